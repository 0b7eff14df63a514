# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision at the customer invoice: posting an invoice (a sales receipt, or a
credit note that in fact charges) of a customer on credit hold, or one that takes its
exposure above its credit limit under the *Block* policy, goes ahead only on a credit-control
manager's override. It is decided where the document becomes posted, as the write leaves it
(``write`` of the state, which ``_post`` and every other path go through, with whatever else
the write changes; ``create`` in that state), whoever posts: a user, ``sudo()``, Odoo's
auto-post cron (OdooBot, which decides nothing). A posted document whose receivable moves
to another customer, or grows (its partner, its lines' partner, account or amount written),
is decided for the customer whose receivable rises. Taking back what lowered a blocked
customer's exposure (a credit note or a payment set to draft, cancelled, deleted or
reversed) is decided too: else an invoice is posted in the room it made, and the room
taken back. The follow-up's own fee invoices are the server's decision
(:func:`~.ar_credit_override.decided_by_system`); an invoice its customer has paid online in
full takes no credit. A journal entry of its own is the accountant's tool, not decided."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .account_move import INTERNAL
from .ar_credit_override import is_decided_by_system

# the documents that may give credit: customer invoices, sales receipts and credit notes,
# when they raise what the customer owes (a credit note with a negative total does)
CREDIT_MOVE_TYPES = ("out_invoice", "out_receipt", "out_refund")
# what, written on a posted move, may move its receivable to another customer or change it
RECEIVABLE_MOVE_FIELDS = frozenset(
    {"partner_id", "commercial_partner_id", "line_ids", "invoice_line_ids", "currency_id"}
)


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
    ar_credit_may_stop = fields.Boolean(
        string="Credit decision applies",
        compute="_compute_ar_partner_credit_hold",
        groups=INTERNAL,
        help="The customer is on credit hold, or under a blocking credit limit: a "
        "credit-control manager may give an override of this document's next step.",
    )

    @api.depends("commercial_partner_id", "company_id")
    def _compute_ar_partner_credit_hold(self):
        Decision = self.env["ar.customer.account"]
        for move in self:
            partner = move.commercial_partner_id.with_company(move.company_id)
            hold = move.is_sale_document(include_receipts=True) and partner.ar_credit_hold
            move.ar_partner_credit_hold = hold
            move.ar_partner_credit_hold_reason = hold and partner.ar_account_id.credit_hold_reason
            move.ar_credit_may_stop = bool(
                move.commercial_partner_id
                and move.state in ("draft", "posted")
                and Decision._ar_credit_may_stop(move.commercial_partner_id, move.company_id)
            )

    def _compute_partner_credit_warning(self):  # pylint: disable=missing-return
        # Odoo's banner ('warn'), unless the customer's credit policy is 'none'; then what
        # the bridges add (:meth:`ArCustomerAccount._ar_credit_warnings`)
        super()._compute_partner_credit_warning()
        Decision = self.env["ar.customer.account"]
        for move in self.filtered(lambda m: m.partner_credit_warning and m.commercial_partner_id):
            if Decision._ar_policy_in_force(move.commercial_partner_id, move.company_id) == "none":
                move.partner_credit_warning = ""
        for move in self.filtered(
            lambda m: (
                m.state == "draft"
                and m.move_type in ("out_invoice", "out_receipt")
                and m.commercial_partner_id
            )
        ):
            # a draft is in the exposure already
            lines = Decision._ar_credit_warnings(move.commercial_partner_id, move.company_id)
            if lines:
                move.partner_credit_warning = " ".join(
                    filter(None, [move.partner_credit_warning, *lines])
                )

    # -- where the state changes ---------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("transaction_ids" in vals for vals in vals_list):
            raise AccessError(
                self.env._("The online payments of an invoice are linked by the payment itself.")
            )
        moves = super().create(vals_list)
        moves.filtered(lambda m: m.state == "posted")._ar_check_credit()
        return moves

    def write(self, vals):
        posting = unposting = changing = self.browse()
        if vals.get("state") == "posted":
            posting = self.filtered(lambda m: m.state != "posted")
        elif vals.get("state") in ("draft", "cancel"):
            unposting = self.filtered(lambda m: m.state == "posted")
        if RECEIVABLE_MOVE_FIELDS.intersection(vals) and "state" not in vals:
            changing = self.filtered(lambda m: m.state == "posted")
        # what is read before the write: the customer documents among those posted (a type
        # written in the same write does not hide one), what the posted ones lowered
        documents = {m.id for m in posting if m.move_type in CREDIT_MOVE_TYPES}
        lowered = unposting._ar_exposure_lowered()
        before = changing._ar_receivable_balances(split=True)
        res = super().write(vals)
        # decided as the write leaves them (another type, customer or amount in the same
        # write is decided, not what was there before)
        posting.filtered(lambda m: m.state == "posted")._ar_check_credit(documents)
        if lowered:
            self._ar_check_taking_back(lowered)
        if before:
            changing._ar_check_receivable_change(before)
        return res

    def unlink(self):
        # a posted credit note or payment deleted (Odoo's ``force_delete``): taken back
        lowered = self._ar_exposure_lowered()
        if lowered:
            self.env["ar.credit.override"]._ar_decide(
                {move: move._ar_taking_back_problems(lowered[move], None) for move in lowered},
                self._ar_taking_back_refusal(),
                self.env._("Deleted by %(user)s despite:"),
            )
        return super().unlink()

    def action_post(self):
        """The button: a credit-control manager is asked for the override and its reason
        first; anybody else is refused at once (the decision itself is the posting's)."""
        action = self.env["ar.credit.override"]._ar_button(
            self, self.env._("Only a credit-control manager can post this invoice.")
        )
        return action or super().action_post()

    def action_ar_credit_override(self):
        """*Credit override* (a credit-control manager): the override of the document's next
        step (its posting; for a credit note or a payment, setting it back to draft), with
        its reason, without taking it yet."""
        return self.env["ar.credit.override.wizard"]._ar_action(self, proceed=False)

    # -- the decision ----------------------------------------------------------------------

    def _ar_check_credit(self, documents=()):
        """Posting documents that give a customer on credit hold, or under a blocking limit,
        more credit: only on a credit-control manager's override, logged on the document;
        else refused. ``documents``: ids of moves that were customer documents before the
        write that posts them."""
        self.env["ar.credit.override"]._ar_decide(
            self._ar_posting_problems(documents),
            self.env._("Only a credit-control manager can post this invoice."),
            self.env._("Posted by %(user)s despite:"),
        )

    def _ar_check_taking_back(self, lowered):
        """``lowered`` (``{move: {customer: amount}}``) were taken back (draft, cancelled):
        under a blocking limit, the exposure they gave room for is decided again."""
        self.env["ar.credit.override"]._ar_decide(
            {move: move._ar_taking_back_problems(lowered[move], 0.0) for move in lowered},
            self._ar_taking_back_refusal(),
            self.env._("Taken back by %(user)s despite:"),
        )

    def _ar_taking_back_refusal(self):
        return self.env._(
            "Only a credit-control manager can take back a credit note or a payment of a "
            "customer above its credit limit."
        )

    def _ar_check_receivable_change(self, before):
        """Posted moves whose receivable changed (``before``: their
        :meth:`_ar_receivable_balances` before the write): a customer charged more (its
        debit rose) is decided as at a posting, on hold or above its blocking limit; one
        credited less (a credit or payment moved away) as at a taking back, above its
        blocking limit."""
        Decision = self.env["ar.customer.account"]
        after = self._ar_receivable_balances(split=True)
        problems = {}
        for move in self.filtered(lambda m: m.state == "posted"):
            old, new = before.get(move, {}), after.get(move, {})
            debits, credits = {}, {}
            for customer in set(old) | set(new):
                debit_old, credit_old = old.get(customer, (0.0, 0.0))
                debit_new, credit_new = new.get(customer, (0.0, 0.0))
                debits[customer] = debit_new - debit_old
                credits[customer] = credit_old - credit_new
            lines = move._ar_rise_problems(debits)
            taken = {
                customer: amount
                for customer, amount in credits.items()
                if move.company_id.currency_id.compare_amounts(amount, 0.0) > 0
                and Decision._ar_credit_blocking(customer, move.company_id)
            }
            lines += move._ar_taking_back_problems(taken, 0.0)
            problems[move] = lines
        self.env["ar.credit.override"]._ar_decide(
            problems,
            self.env._(
                "Only a credit-control manager can move receivables to a customer on credit "
                "hold or above its credit limit."
            ),
            self.env._("Changed by %(user)s despite:"),
        )

    def _ar_rise_problems(self, rises):
        """Why the receivable of customers may not rise by ``rises`` (``{customer: amount}``)
        on this posted move: a customer on hold, or above its blocking limit now."""
        Decision = self.env["ar.customer.account"]
        problems = []
        company = self.company_id
        for customer, rise in rises.items():
            if company.currency_id.compare_amounts(rise, 0.0) <= 0:
                continue
            if not Decision._ar_credit_may_stop(customer, company):
                continue
            partner = customer.with_company(company).sudo()
            partner.invalidate_recordset(["credit", "credit_to_invoice"])
            problems.append(Decision._ar_credit_hold_problem(partner, company))
            excess = Decision._ar_credit_excess_figures(partner, company)
            if excess:
                problems.append(
                    self.env._(
                        "With %(move)s, the exposure of %(partner)s is %(exposure)s, above its "
                        "credit limit of %(limit)s by %(excess)s.",
                        move=self.display_name,
                        **excess,
                    )
                )
        return [problem for problem in problems if problem]

    def _ar_credit_document_problems(self):
        """``{document: [why its next step may not be taken]}`` (the protocol of
        ``ar.credit.override``): posting a draft, taking back a posted credit note or
        payment."""
        drafts = self.filtered(lambda m: m.state == "draft")
        problems = drafts._ar_posting_problems()
        lowered = (self - drafts).filtered(lambda m: m.state == "posted")._ar_exposure_lowered()
        for move, amounts in lowered.items():
            problems[move] = move._ar_taking_back_problems(amounts, None)
        return problems

    def _ar_credit_document_customer(self):
        return self.commercial_partner_id

    def _ar_credit_document_snapshot(self):
        """What an override of the document allows at most: its total, in company
        currency."""
        return {"amount": abs(self.amount_total_signed)}

    def _ar_credit_document_action(self):
        return "action_post" if self.state == "draft" else "button_draft"

    def _ar_receivable_balances(self, split=False):
        """``{move: {customer: balance}}``: the receivable lines' balance of each move per
        commercial partner, in company currency (positive: owed to the company); with
        ``split``, ``(debit, credit)`` pairs instead."""
        balances = {}
        for move in self:
            amounts = {}
            for line in move.line_ids:
                customer = line.partner_id.commercial_partner_id
                if customer and line.account_id.account_type == "asset_receivable":
                    debit, credit = amounts.get(customer, (0.0, 0.0))
                    amounts[customer] = (debit + line.debit, credit + line.credit)
            balances[move] = (
                amounts
                if split
                else {customer: debit - credit for customer, (debit, credit) in amounts.items()}
            )
        return balances

    def _ar_posting_problems(self, documents=()):
        """``{move: [why it may not be posted]}`` of the moves of ``self`` that give credit:
        customer documents (now, or before the write: ``documents``) raising what their
        customer owes, whose customer can be stopped, not decided by the server nor paid
        online; and reversals of what lowered a blocked customer's exposure."""
        Decision = self.env["ar.customer.account"]
        problems = {}
        for move in self:
            customer = move.commercial_partner_id
            if not customer or not Decision._ar_credit_may_stop(customer, move.company_id):
                continue
            if move.move_type in CREDIT_MOVE_TYPES:
                rise = move.amount_total_signed  # what the customer document charges
            elif move.id in documents or move.reversed_entry_id:
                rise = move._ar_receivable_balances()[move].get(customer, 0.0)
            else:
                continue  # an entry of its own: the accountant's tool
            if move.company_id.currency_id.compare_amounts(rise, 0.0) <= 0:
                continue
            if move.move_type in CREDIT_MOVE_TYPES or move.id in documents:
                lines = move._ar_credit_problems(customer.with_company(move.company_id).sudo())
                # the exemptions read last: only a document that would be stopped pays them
                problems[move] = [] if lines and move._ar_credit_exempt() else lines
            elif move.reversed_entry_id and Decision._ar_credit_blocking(customer, move.company_id):
                # a payment reversed: the room it made taken back
                problems[move] = move._ar_taking_back_problems({customer: rise}, 0.0)
        return problems

    def _ar_exposure_lowered(self):
        """``{move: {customer: amount}}``: what the posted moves of ``self`` lowered of the
        exposure of customers under a blocking limit (their receivable lines' net credit, in
        company currency): credit notes, payments, entries."""
        Decision = self.env["ar.customer.account"]
        lowered = {}
        posted = self.filtered(lambda m: m.state == "posted")
        for move, balances in posted._ar_receivable_balances().items():
            amounts = {
                customer: -balance
                for customer, balance in balances.items()
                if move.company_id.currency_id.compare_amounts(balance, 0.0) < 0
                and Decision._ar_credit_blocking(customer, move.company_id)
            }
            if amounts:
                lowered[move] = amounts
        return lowered

    def _ar_taking_back_problems(self, amounts, extra):
        """Why ``amounts`` (``{customer: amount}``) lowered by this move may not be taken
        back: the exposure of a customer then above its blocking limit. ``extra``: ``None``
        while the move is still posted (what taking it back adds), ``0.0`` once it is."""
        Decision = self.env["ar.customer.account"]
        problems = []
        for customer, amount in amounts.items():
            partner = customer.with_company(self.company_id).sudo()
            partner.invalidate_recordset(["credit", "credit_to_invoice"])
            excess = Decision._ar_credit_excess_figures(
                partner, self.company_id, amount if extra is None else extra
            )
            if excess:
                problems.append(
                    self.env._(
                        "Taking back %(move)s takes the exposure of %(partner)s to "
                        "%(exposure)s, above its credit limit of %(limit)s by %(excess)s.",
                        move=self.display_name,
                        **excess,
                    )
                )
        return problems

    def _ar_credit_exempt(self):
        """Whether posting this invoice takes no credit decision: the follow-up's own fee
        invoice being posted by the run, or an invoice the customer paid online in full."""
        self.ensure_one()
        return is_decided_by_system(self) or self._ar_paid_online()

    def _ar_paid_online(self):
        """Whether the customer's own online payments (done transactions of its commercial
        partner, linked to this invoice by the payment flow, in its currency) cover the
        invoice: Odoo posts the invoices of an order paid online after the payment
        (``sale.automatic_invoice``). Those links and states are the payment flow's: nobody
        writes them by hand (``payment_transaction_trust.py``)."""
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
        credit hold, or an exposure above its credit limit under the 'block' policy (this
        invoice counted: as a draft before the posting, as posted after)."""
        self.ensure_one()
        # Odoo's credit figures are computed, not stored: read them anew before and after
        figures = ["credit", "credit_to_invoice"]
        partner.invalidate_recordset(figures)
        Decision = self.env["ar.customer.account"]
        problems = [Decision._ar_credit_hold_problem(partner, self.company_id)]
        excess = Decision._ar_credit_excess_figures(partner, self.company_id)
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
