# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

PREPAYMENT_CHANNELS = [
    ("prepayment", "Prepayment required"),
    ("prepayment_lifted", "Prepayment lifted"),
]


class ArFollowupHistory(models.Model):
    _inherit = "ar.followup.history"

    channel = fields.Selection(
        selection_add=PREPAYMENT_CHANNELS,
        ondelete={"prepayment": "cascade", "prepayment_lifted": "cascade"},
    )
