# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ar_dd_return_days_core = fields.Integer(
        related="company_id.ar_dd_return_days_core", readonly=False
    )
    ar_dd_return_days_b2b = fields.Integer(
        related="company_id.ar_dd_return_days_b2b", readonly=False
    )
    ar_dd_prenotice_days = fields.Integer(related="company_id.ar_dd_prenotice_days", readonly=False)
    ar_dd_returns_policy_id = fields.Many2one(
        related="company_id.ar_dd_returns_policy_id", readonly=False
    )
