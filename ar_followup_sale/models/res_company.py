# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_credit_check_delivered = fields.Boolean(
        string="Credit check on invoices of delivered goods",
        help="Off (the default): an invoice of goods already delivered is posted whatever the "
        "customer's credit hold or limit (the credit decision was taken at the order and the "
        "delivery; the invoice only asks to be paid). On: such an invoice is stopped too.",
    )
