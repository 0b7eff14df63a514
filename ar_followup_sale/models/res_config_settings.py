# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ar_credit_check_delivered = fields.Boolean(
        related="company_id.ar_credit_check_delivered", readonly=False
    )
