# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An agency's remittance of a collection case: what it collected (principal, collection
costs, interest), what it keeps (its commission, and the collection costs when it keeps
them), what it pays out. One journal entry, balanced: the payout on the bank's outstanding
receipts account (matched with the bank statement later, as a payment), the commission and
the costs kept as an expense, and the customer's receivable credited and reconciled with the
case's invoices (oldest first) and its fee invoices; the case is paid, or partly paid and
closed when the agency says it is done, or still collecting."""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_round, format_date, formatLang


class ArCollectionRemittance(models.TransientModel):
    _name = "ar.collection.remittance"
    _description = "Collection Agency Remittance"

    case_id = fields.Many2one("ar.collection.case", required=True, readonly=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        string="Bank",
        required=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        help="The bank account the agency pays into: the payout waits on its outstanding "
        "receipts account for the bank statement.",
    )
    principal = fields.Monetary(
        string="Principal collected", help="What the agency collected of the invoices."
    )
    costs = fields.Monetary(
        string="Collection costs collected",
        help="What the agency collected of the collection costs (the fee invoices).",
    )
    interest = fields.Monetary(
        string="Interest collected",
        help="What the agency collected of the interest (the fee invoices).",
    )
    commission = fields.Monetary(
        compute="_compute_commission",
        store=True,
        readonly=False,
        help="What the agency keeps as its commission (by default its percentage of the "
        "principal collected).",
    )
    costs_kept = fields.Monetary(
        string="Collection costs kept",
        compute="_compute_commission",
        store=True,
        readonly=False,
        help="The collection costs the agency keeps (all it collected of them, when its terms "
        "say so): cleared against the fee invoice, not paid out.",
    )
    payout = fields.Monetary(
        compute="_compute_payout", help="What the agency pays out: collected less what it keeps."
    )
    final = fields.Boolean(
        string="The agency closes the case",
        help="The agency's last remittance: the case is closed, paid or partly paid.",
    )

    @api.constrains("case_id")
    def _check_case_access(self):
        # a case of a company the user does not work in is not theirs to settle
        for wizard in self.filtered("case_id"):
            wizard.case_id.check_access("write")

    @api.constrains("principal", "costs", "interest", "commission", "costs_kept")
    def _check_amounts_positive(self):
        for wizard in self:
            rounding = wizard.currency_id.rounding or 0.01
            if (
                any(
                    float_compare(amount, 0.0, precision_rounding=rounding) < 0
                    for amount in (
                        wizard.principal,
                        wizard.costs,
                        wizard.interest,
                        wizard.commission,
                        wizard.costs_kept,
                    )
                )
                or float_compare(wizard.costs_kept, wizard.costs, precision_rounding=rounding) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The amounts of a remittance are positive, and the agency keeps at "
                        "most the collection costs it collected."
                    )
                )

    @api.depends("principal", "costs", "case_id")
    def _compute_commission(self):
        for wizard in self:
            agency = wizard.case_id.collection_agency_id
            wizard.commission = float_round(wizard.principal * agency.commission / 100.0, 2)
            wizard.costs_kept = wizard.costs if agency.keeps_costs else 0.0

    @api.depends("principal", "costs", "interest", "commission", "costs_kept")
    def _compute_payout(self):
        for wizard in self:
            wizard.payout = (
                wizard.principal
                + wizard.costs
                + wizard.interest
                - wizard.commission
                - wizard.costs_kept
            )

    def _ar_check(self):
        self.ensure_one()
        case = self.case_id
        case._ar_check_manager()
        if case.state not in ("handed_over", "collecting"):
            raise UserError(self.env._("%(case)s is not with the agency.", case=case.name))
        today = fields.Date.context_today(self)
        if not case.date_handover <= self.date <= today:
            raise UserError(
                self.env._(
                    "A remittance is dated between the hand-over (%(handover)s) and today "
                    "(%(today)s).",
                    handover=format_date(self.env, case.date_handover),
                    today=format_date(self.env, today),
                )
            )
        self._ar_check_amounts()
        if not self.company_id.ar_agency_expense_account_id:
            raise UserError(
                self.env._(
                    "Set the account of agency commissions in the settings (Accounts "
                    "receivable follow-up > Collection agency) first."
                )
            )

    def _ar_check_amounts(self):
        """The amounts: positive, something collected, at most what is open, kept at most
        what was collected, in the company's currency."""
        case = self.case_id
        rounding = self.currency_id.rounding
        self._check_amounts_positive()
        if float_is_zero(self.principal + self.costs + self.interest, precision_rounding=rounding):
            raise ValidationError(
                self.env._("Enter what the agency collected: principal, costs or interest.")
            )
        if float_compare(self.payout, 0.0, precision_rounding=rounding) < 0:
            raise ValidationError(
                self.env._("The agency keeps more than it collected: the payout is negative.")
            )
        if case.move_ids.currency_id != self.company_id.currency_id:
            raise UserError(
                self.env._(
                    "%(case)s has invoices in another currency than the company's: record "
                    "its remittance by hand.",
                    case=case.name,
                )
            )
        open_principal = sum(case._ar_principal_invoices().mapped("amount_residual"))
        open_fees = sum(case._ar_fee_invoices().mapped("amount_residual"))
        for collected, still_open, what in (
            (self.principal, open_principal, self.env._("principal")),
            (self.costs + self.interest, open_fees, self.env._("costs and interest")),
        ):
            if float_compare(collected, still_open, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "The %(what)s collected (%(collected)s) is more than is open (%(open)s).",
                        what=what,
                        collected=self._ar_amount(collected),
                        open=self._ar_amount(still_open),
                    )
                )

    def action_confirm(self):
        """Post the remittance's entry, reconcile it, and move the case on."""
        self._ar_check()
        case = self.case_id
        company = self.company_id
        allocation = self._ar_allocation()
        lines = self._ar_entry_lines(allocation)
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self._ar_general_journal().id,
                    "date": self.date,
                    "ref": self.env._(
                        "Remittance %(case)s, %(agency)s",
                        case=case.name,
                        agency=case.agency_id.name,
                    ),
                    "ar_collection_case_id": case.id,
                    "line_ids": [Command.create(vals) for vals in lines],
                }
            )
        )
        move.action_post()
        self._ar_reconcile(move, allocation)
        case.sudo().message_post(
            body=self.env._(
                "Remittance of %(agency)s posted (%(move)s): collected %(collected)s, kept "
                "%(kept)s, paid out %(payout)s.",
                agency=case.agency_id.name,
                move=move.name,
                collected=self._ar_amount(self.principal + self.costs + self.interest),
                kept=self._ar_amount(self.commission + self.costs_kept),
                payout=self._ar_amount(self.payout),
            ),
            subtype_xmlid="mail.mt_note",
        )
        case.sudo()._ar_after_payment(
            final=self.final,
            date=self.date,
            collected=self.principal,
            kept=self.commission,
            costs_kept=self.costs_kept,
        )
        return {"type": "ir.actions.act_window_close"}

    def _ar_amount(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _ar_general_journal(self):
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company_id.id), ("type", "=", "general")], limit=1
        )
        if not journal:
            raise UserError(self.env._("The company has no miscellaneous journal."))
        return journal

    def _ar_outstanding_account(self):
        line = self.journal_id.inbound_payment_method_line_ids.filtered("payment_account_id")[:1]
        if line:
            return line.payment_account_id
        return (
            self.env["account.payment"]
            .with_company(self.company_id)
            .new({"company_id": self.company_id.id})
            ._get_outstanding_account("inbound")
        )

    def _ar_entry_lines(self, allocation):
        """The entry's lines: debit the payout, the commission and the costs kept; credit
        the receivable of each invoice and fee invoice for what was collected of it."""
        case = self.case_id
        partner = case.partner_id
        expense = self.company_id.ar_agency_expense_account_id
        lines = []

        def debit(account, amount, name):
            if not float_is_zero(amount, precision_rounding=self.currency_id.rounding):
                lines.append(
                    {
                        "account_id": account.id,
                        "partner_id": case.agency_id.id,
                        "name": name,
                        "debit": amount,
                        "credit": 0.0,
                    }
                )

        debit(self._ar_outstanding_account(), self.payout, self.env._("Paid out by the agency"))
        debit(expense, self.commission, self.env._("Commission of the agency"))
        debit(expense, self.costs_kept, self.env._("Collection costs kept by the agency"))
        for invoice, amount in allocation:
            receivable = invoice.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )[:1]
            lines.append(
                {
                    "account_id": receivable.account_id.id,
                    "partner_id": partner.id,
                    "name": self.env._(
                        "Collected by %(agency)s: %(invoice)s",
                        agency=case.agency_id.name,
                        invoice=invoice.name,
                    ),
                    "debit": 0.0,
                    "credit": amount,
                }
            )
        return lines

    def _ar_allocation(self):
        """``[(invoice, amount)]``: the principal over the case's invoices and the costs and
        interest over its fee invoices, each oldest first."""
        case = self.case_id
        result = []
        for invoices, collected in (
            (case._ar_principal_invoices(), self.principal),
            (case._ar_fee_invoices(), self.costs + self.interest),
        ):
            left = collected
            for invoice in invoices.sorted(lambda m: (m.invoice_date_due or m.date, m.id)):
                if float_is_zero(left, precision_rounding=self.currency_id.rounding):
                    break
                amount = min(left, invoice.amount_residual)
                if amount > 0:
                    result.append((invoice, float_round(amount, 2)))
                    left -= amount
        return result

    def _ar_reconcile(self, move, allocation):
        """Each credit line with its invoice: the credit lines are the entry's last ones, in
        the order of ``allocation`` (lines are created in the order given)."""
        credits = move.line_ids.sorted("id")[-len(allocation) :] if allocation else []
        for line, (invoice, _amount) in zip(credits, allocation, strict=True):
            invoice_line = invoice.line_ids.filtered(
                lambda il: il.display_type == "payment_term" and not il.reconciled
            )
            (line + invoice_line).reconcile()
