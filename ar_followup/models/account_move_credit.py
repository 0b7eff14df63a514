# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision at the customer invoice: posting an invoice (or a sales receipt) of a
customer on credit hold, or one that takes its exposure above its credit limit under the
*Block* policy, goes ahead only on a credit-control manager's override. It is decided where
the invoice becomes posted (``write`` of the state, which ``_post`` and every other path go
through, and ``create`` in that state), whoever posts: a user, ``sudo()``, Odoo's auto-post
cron (OdooBot, which decides nothing). The follow-up's own fee invoices are the server's
decision (:func:`~.ar_credit_override.decided_by_system`); an invoice its customer has paid
online in full takes no credit."""

from odoo import api, fields, models

from .account_move import INTERNAL
from .ar_credit_override import is_decided_by_system

# the documents that give credit: a customer invoice, a sales receipt (not a credit note)
CREDIT_MOVE_TYPES = ("out_invoice", "out_receipt")


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    ar_partner_credit_hold = fields.Boolean(
        string="Customer on credit hold",
        compute="_compute_ar_partner_credit_hold",
        help="The customer is on credit hold in the invoice's company.",
        groups=INTERNAL,
    )
    ar_partner_credit_hold_reason = fields.Char(
        compute="_compute_ar_partner_credit_hold", groups=INTERNAL
    )

    @api.depends("commercial_partner_id", "company_id")
    def _compute_ar_partner_credit_hold(self):
        for move in self:
            partner = move.commercial_partner_id.with_company(move.company_id)
            hold = move.is_sale_document(include_receipts=True) and partner.ar_credit_hold
            move.ar_partner_credit_hold = hold
            move.ar_partner_credit_hold_reason = hold and partner.ar_credit_hold_reason

    def _compute_partner_credit_warning(self):  # pylint: disable=missing-return
        # Odoo's banner ('warn'), unless the customer's credit policy is 'none'
        super()._compute_partner_credit_warning()
        for move in self.filtered(lambda m: m.partner_credit_warning and m.commercial_partner_id):
            if move.commercial_partner_id._ar_credit_policy_for(move.company_id) == "none":
                move.partner_credit_warning = ""

    # -- where the state changes ---------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        posted = moves.filtered(lambda m: m.state == "posted")
        if posted:
            posted._ar_check_credit()
        return moves

    def write(self, vals):
        if vals.get("state") == "posted":
            self.filtered(lambda m: m.state != "posted")._ar_check_credit()
        return super().write(vals)

    def action_post(self):
        """The button: a credit-control manager is asked for the override and its reason
        first; anybody else is refused at once (the decision itself is the posting's)."""
        action = self.env["ar.credit.override"]._ar_button(
            self, self.env._("Only a credit-control manager can post this invoice.")
        )
        return action or super().action_post()

    def action_ar_credit_override(self):
        """*Credit override* (a credit-control manager): the override of the next posting,
        with its reason, without posting yet."""
        return self.env["ar.credit.override.wizard"]._ar_action(self, proceed=False)

    # -- the decision ----------------------------------------------------------------------

    def _ar_check_credit(self):
        """Posting customer invoices of a customer on credit hold, or whose exposure would go
        above its credit limit under the 'block' policy: only on a credit-control manager's
        override, logged on the invoice; else refused."""
        self.env["ar.credit.override"]._ar_decide(
            self._ar_credit_document_problems(),
            self.env._("Only a credit-control manager can post this invoice."),
            self.env._("Posted by %(user)s despite:"),
        )

    def _ar_credit_document_problems(self):
        """``{invoice: [why it may not be posted]}`` for the invoices of ``self`` that give
        credit (the protocol of ``ar.credit.override``)."""
        return {
            move: move._ar_credit_problems(
                move.commercial_partner_id.with_company(move.company_id).sudo()
            )
            for move in self.filtered(
                lambda m: (
                    m.move_type in CREDIT_MOVE_TYPES
                    and m.commercial_partner_id
                    and m.commercial_partner_id._ar_credit_may_stop(m.company_id)
                    and not m._ar_credit_exempt()
                )
            )
        }

    def _ar_credit_document_customer(self):
        return self.commercial_partner_id

    def _ar_credit_document_action(self):
        return "action_post"

    def _ar_credit_exempt(self):
        """Whether posting this invoice takes no credit decision: the follow-up's own fee
        invoice being posted by the run, or an invoice the customer paid online in full."""
        self.ensure_one()
        return is_decided_by_system(self) or self._ar_paid_online()

    def _ar_paid_online(self):
        """Whether the customer's own online payments (done transactions of its commercial
        partner, linked to this invoice, in its currency) cover the invoice: Odoo posts the
        invoices of an order paid online after the payment (``sale.automatic_invoice``)."""
        transactions = self.sudo().transaction_ids.filtered(
            lambda tx: (
                tx.state == "done"
                and tx.currency_id == self.currency_id
                and tx.partner_id.commercial_partner_id == self.commercial_partner_id
            )
        )
        if not transactions:
            return False
        paid = sum(transactions.mapped("amount"))
        return self.currency_id.compare_amounts(paid, self.amount_total) >= 0

    def _ar_credit_problems(self, partner):
        """Why this invoice may not be posted for ``partner`` (in the invoice's company): its
        credit hold, or an exposure above its credit limit under the 'block' policy."""
        self.ensure_one()
        # Odoo's credit figures are computed, not stored: read them anew before and after
        figures = ["credit", "credit_to_invoice", "ar_exposure", "ar_exposure_draft"]
        partner.invalidate_recordset(figures)
        problems = [partner._ar_credit_hold_problem()]
        excess = partner._ar_credit_excess_figures(self.company_id)
        if excess:
            problems.append(
                self.env._(
                    "Posting %(invoice)s takes the exposure of %(partner)s to "
                    "%(exposure)s, above its credit limit of %(limit)s by %(excess)s.",
                    invoice=self.display_name,
                    **excess,
                )
            )
        partner.invalidate_recordset(figures)
        return [problem for problem in problems if problem]
