# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The costs and interest of a collection case: the fee lines the follow-up charged on its
invoices, the fee invoices still open, and what of them is still owed."""

from odoo import models


class ArCollectionCase(models.Model):
    _inherit = "ar.collection.case"  # pylint: disable=consider-merging-classes-inherited

    def _ar_fee_invoices(self, lines=None):
        """The open fee invoices (collection costs, interest) the follow-up charged on the
        case's invoices."""
        lines = self._ar_fee_lines() if lines is None else lines
        fees = lines.fee_move_id | self.move_ids.filtered("ar_is_fee_invoice")
        return fees.filtered(lambda m: m.state == "posted" and m.amount_residual > 0)

    def _ar_principal_invoices(self):
        """The case's invoices of goods and services (not its fee invoices)."""
        return self.move_ids.filtered(lambda m: not m.ar_is_fee_invoice)

    def _ar_fee_lines(self):
        """The fee lines of the history (collection costs, interest) on the case's invoices,
        but those cancelled (claimed by a reminder that was not delivered)."""
        self.ensure_one()
        return (
            self.env["ar.followup.history"]
            .sudo()
            .search(
                [
                    ("channel", "=", "fee"),
                    ("company_id", "=", self.company_id.id),
                    ("move_ids", "in", self.move_ids.ids),
                    ("delivery_state", "!=", "cancelled"),
                ]
            )
        )

    def _ar_charged_fees(self, lines=None):
        """The collection costs and interest the follow-up charged on the case's invoices and
        that are still owed, in company currency: a fee invoice paid (or collected and kept by
        an agency before) counts no more, one partly paid in the share still open."""
        lines = self._ar_fee_lines() if lines is None else lines
        costs = interest = 0.0
        for line in lines:
            share = 1.0
            fee_move = line.fee_move_id
            if fee_move:
                if fee_move.state != "posted" or not fee_move.amount_total:
                    continue
                share = fee_move.amount_residual / fee_move.amount_total
            costs += line.fee_amount * share
            interest += line.interest_amount * share
        currency = self.company_id.currency_id
        return {"costs": currency.round(costs), "interest": currency.round(interest)}
