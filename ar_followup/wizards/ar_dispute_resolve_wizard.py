# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError


class ArDisputeResolveWizard(models.TransientModel):
    _name = "ar.dispute.resolve.wizard"
    _description = "Close a Dispute"

    dispute_id = fields.Many2one("ar.dispute", required=True, ondelete="cascade")
    outcome = fields.Selection(
        [
            ("credit_note", "Resolved with a credit note"),
            ("resolved", "Resolved without credit note"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="credit_note",
    )
    amount_disputed = fields.Monetary(
        related="dispute_id.amount_disputed", readonly=False, string="Credit note amount"
    )
    currency_id = fields.Many2one(related="dispute_id.currency_id")
    resolution = fields.Text(
        required=True, help="What was decided; the customer receives it by e-mail."
    )

    def action_confirm(self):
        self.ensure_one()
        resolution = (self.resolution or "").strip()
        if not resolution:
            raise UserError(self.env._("Describe the outcome of the dispute."))
        if self.outcome == "rejected":
            self.dispute_id.action_reject(resolution)
        else:
            self.dispute_id.action_resolve(resolution, credit_note=self.outcome == "credit_note")
        return {"type": "ir.actions.act_window_close"}
