# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_block_delivery_over_limit = fields.Boolean(
        string="Block deliveries above the credit limit",
        help="Besides the customers on credit hold (always), stop the deliveries of customers "
        "whose exposure is above their credit limit under the Block policy.",
    )
