# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Payments made to the company directly for invoices handed over to an agency: they close
the invoices as usual, and the case tells the agency (an activity for the case's responsible
and, if the agency's terms say so, an e-mail); a case whose invoices are all paid is paid.
The agency's own remittances and the case's write-off notify nobody: their entries carry
the case (``account.move.ar_collection_case_id``, which only the system writes), not a context
key a caller could send."""

from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # most reconciliations touch no invoice at an agency: that is read first
        moves = partials.debit_move_id.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.sudo().ar_in_collection
        )
        if moves:
            direct = partials.filtered(
                lambda p: (
                    p.debit_move_id.move_id in moves
                    and not p.sudo().credit_move_id.move_id.ar_collection_case_id
                )
            )
            paid = direct.debit_move_id.move_id
            if paid:
                self.env["ar.collection.case"].sudo()._ar_direct_payments(paid, direct)
        return partials

    def unlink(self):
        """A matching taken back (a payment that bounced, a wrong match corrected): the
        invoices are open again, and their customers' follow-up level follows at once."""
        moves = self.debit_move_id.move_id
        res = super().unlink()
        self.env["ar.followup.move.state"]._ar_reopened(moves.exists())
        return res
