# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ArFollowupLevel(models.Model):
    _inherit = "ar.followup.level"

    offer_direct_debit = fields.Boolean(
        string="Offer direct debit",
        help="A customer who has reached this level, and has no valid mandate, is offered to "
        "sign a SEPA direct debit mandate on its statement page (statement link or portal).",
    )
