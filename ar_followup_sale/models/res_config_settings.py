# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ar_credit_check_delivered = fields.Boolean(
        related="company_id.ar_credit_check_delivered", readonly=False
    )
    ar_prepayment_new_customers = fields.Boolean(
        related="company_id.ar_prepayment_new_customers", readonly=False
    )
    ar_prepayment_new_customer_invoices = fields.Integer(
        related="company_id.ar_prepayment_new_customer_invoices", readonly=False
    )
    ar_prepayment_new_customer_percent = fields.Float(
        related="company_id.ar_prepayment_new_customer_percent", readonly=False
    )
