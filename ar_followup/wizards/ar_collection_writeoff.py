# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Writing off bad debts: a collection case closed as written off, or any overdue invoice a
credit-control manager writes off, posts its open amount to the company's bad-debt account
with a reason, the receivable reconciled. When the VAT it contains is reclaimed (art. 29 Wet
OB: a debt unpaid a year after its due date; the default for Dutch companies then), the
write-off carries the invoice's taxes on the bad-debt line, so that Odoo books their
reversal on the tax accounts with the credit-note grids of the VAT return; otherwise the
whole open amount is the loss."""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_is_zero, format_date

from ..models.account_move_line import FOLLOW_LATER
from ..models.ar_customer_account_hold import reason_clause

MANAGER = "ar_followup.group_ar_manager"


class ArCollectionWriteoff(models.TransientModel):
    _name = "ar.collection.writeoff"
    _description = "Write-off of Bad Debts"

    case_id = fields.Many2one("ar.collection.case", readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('amount_residual', '>', 0), ('company_id', '=', company_id)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Char(required=True, help="Why the debt is written off (in the entry).")
    reclaim_vat = fields.Boolean(
        string="Reclaim the VAT",
        compute="_compute_reclaim_vat",
        store=True,
        readonly=False,
        help="Reverse the VAT the open amount contains (art. 29 Wet OB: a debt still unpaid "
        "a year after its due date). On by default for Dutch companies when every invoice is "
        "that old.",
    )

    @api.constrains("case_id")
    def _check_case_access(self):
        # a case of a company the user does not work in is not theirs to settle
        for wizard in self.filtered("case_id"):
            wizard.case_id.check_access("write")

    @api.constrains("reason")
    def _check_reason(self):
        for wizard in self:
            if not (wizard.reason or "").strip():
                raise ValidationError(self.env._("Give the reason of the write-off."))

    @api.constrains("case_id", "move_ids", "company_id")
    def _check_case_invoices(self):
        """A case's write-off: of the case while the agency has it, of its own invoices (and
        fee invoices) only, in its company."""
        for wizard in self.filtered("case_id"):
            case = wizard.case_id
            if not case.is_open:
                raise ValidationError(
                    self.env._(
                        "%(case)s is not with an agency: it is not written off.", case=case.name
                    )
                )
            others = wizard.move_ids - case.sudo().move_ids
            if others or wizard.company_id != case.company_id:
                raise ValidationError(
                    self.env._(
                        "The write-off of %(case)s is of its own invoices, not %(moves)s.",
                        case=case.name,
                        moves=", ".join(others.mapped("display_name")) or wizard.company_id.name,
                    )
                )

    @api.depends("move_ids", "date", "company_id")
    def _compute_reclaim_vat(self):
        for wizard in self:
            limit = wizard.date.year > 1 and wizard.date - relativedelta(years=1)
            wizard.reclaim_vat = bool(
                wizard.company_id.account_fiscal_country_id.code == "NL"
                and wizard.move_ids
                and limit
                and all(m.invoice_date_due and m.invoice_date_due < limit for m in wizard.move_ids)
            )

    def action_confirm(self):
        invoices, account = self._ar_check()
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company_id.id), ("type", "=", "general")], limit=1
        )
        written_off = sum(invoices.mapped("amount_residual"))
        moves = self.env["account.move"]
        for invoice in invoices:
            moves |= self._ar_post(invoice, journal, account)
        if self.case_id:
            self.case_id.sudo().amount_written_off = written_off
            self.case_id.sudo()._ar_close("written_off", self.date)
        # the write-off entries as journal entries (not in the invoices' list, whose
        # "Tax Excluded" column read 0.00 for them)
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Write-offs"),
            "res_model": "account.move",
            "context": {"default_move_type": "entry"},
        }
        if len(moves) == 1:
            return {**action, "view_mode": "form", "views": [(False, "form")], "res_id": moves.id}
        return {
            **action,
            "view_mode": "list,form",
            "views": [(self.env.ref("account.view_move_tree").id, "list"), (False, "form")],
            "domain": [("id", "in", moves.ids)],
        }

    def _ar_check(self):
        """The invoices to write off and the bad-debt account, or why not."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a credit-control manager can write off debts."))
        account = self.company_id.ar_bad_debt_account_id
        if not account:
            raise UserError(
                self.env._(
                    "Set the bad-debt account in the settings (Accounts receivable follow-up "
                    "> Collection agency) first."
                )
            )
        invoices = self._ar_check_invoices()
        self._ar_check_date(invoices)
        if invoices.currency_id != self.company_id.currency_id:
            raise UserError(
                self.env._(
                    "Invoices in another currency than the company's are written off by hand."
                )
            )
        return invoices, account

    def _ar_check_invoices(self):
        """The open posted customer invoices of the company to write off; none at an agency
        but the case's."""
        others = self.move_ids.filtered(
            lambda m: (
                m.move_type != "out_invoice"
                or m.state != "posted"
                or m.company_id != self.company_id
            )
        )
        if others:
            raise UserError(
                self.env._(
                    "Only posted customer invoices of %(company)s are written off as bad debts, "
                    "not %(moves)s.",
                    company=self.company_id.name,
                    moves=", ".join(others.mapped("display_name")),
                )
            )
        invoices = self.move_ids.filtered(lambda m: m.amount_residual > 0)
        if not invoices:
            raise UserError(self.env._("Nothing is open on these invoices."))
        # an invoice with an agency is written off with its case, not behind its back
        at_agency = invoices.filtered("ar_in_collection") - self.case_id.move_ids
        if at_agency:
            raise UserError(
                self.env._(
                    "Handed over in %(cases)s: %(invoices)s. Write off the case, or get it "
                    "back from the agency first.",
                    invoices=", ".join(at_agency.mapped("name")),
                    cases=", ".join(
                        at_agency.ar_collection_case_ids.filtered("is_open").mapped("name")
                    ),
                )
            )
        return invoices

    def _ar_check_date(self, invoices):
        """Dated on or after the invoices, today at the latest (the clock, not a context)."""
        today = fields.Date.context_today(self)
        first = max(invoices.mapped(lambda m: m.invoice_date or m.date))
        if self.date < first:
            raise UserError(
                self.env._(
                    "A write-off is dated on or after its invoices' date (%(date)s).",
                    date=format_date(self.env, first),
                )
            )
        if self.date > today:
            raise UserError(
                self.env._(
                    "A write-off is dated today (%(today)s) at the latest, not %(date)s.",
                    today=format_date(self.env, today),
                    date=format_date(self.env, self.date),
                )
            )

    def _ar_post(self, invoice, journal, account):
        """The write-off entry of one invoice, posted and reconciled with it."""
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": self.date,
                    "ref": self.env._(
                        "Write-off %(invoice)s: %(reason)s",
                        invoice=invoice.name,
                        reason=self.reason,
                    ),
                    "ar_collection_case_id": self.case_id.id,
                    "line_ids": [Command.create(vals) for vals in self._ar_lines(invoice, account)],
                }
            )
        )
        move.action_post()
        receivable = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        open_line = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term" and not line.reconciled
        )
        # a write-off is no payment: the customer's level follows, no "Invoices paid" line
        token = FOLLOW_LATER.set(True)
        try:
            (receivable + open_line).reconcile()
        finally:
            FOLLOW_LATER.reset(token)
        self.env["ar.followup.move.state"]._ar_reopened(invoice)
        invoice.sudo().message_post(
            body=self.env._(
                "Written off as a bad debt (%(move)s): %(reason)s.",
                move=move.name,
                reason=reason_clause(self.reason),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return move

    def _ar_lines(self, invoice, account):
        """The receivable credited for the open amount and the loss debited; with the VAT
        reclaimed, the loss per tax of the invoice's lines (its taxes on it) and each of its
        tax lines reversed in proportion of what is open, on the credit-note repartition of
        its tax (given with the entry, Odoo keeps these amounts and sets the grids), the
        rounding cents on the loss, untaxed."""
        currency = invoice.currency_id
        residual = invoice.amount_residual
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        lines = [
            {
                "account_id": receivable[:1].account_id.id,
                "partner_id": invoice.commercial_partner_id.id,
                "name": invoice.name,
                "balance": -residual,
            }
        ]
        if not self.reclaim_vat or not invoice.amount_tax:
            return [*lines, self._ar_loss_line(invoice, account, residual)]
        ratio = residual / invoice.amount_total
        for taxes, products in (
            invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
            .grouped(lambda line: line.tax_ids)
            .items()
        ):
            base = currency.round(-sum(products.mapped("balance")) * ratio)
            lines.append(
                {**self._ar_loss_line(invoice, account, base), "tax_ids": [Command.set(taxes.ids)]}
            )
        for tax_line in invoice.line_ids.filtered(lambda line: line.display_type == "tax"):
            lines.append(
                {
                    "account_id": tax_line.account_id.id,
                    "partner_id": invoice.commercial_partner_id.id,
                    "name": tax_line.name,
                    "balance": currency.round(-tax_line.balance * ratio),
                    "tax_repartition_line_id": self._ar_refund_repartition(tax_line).id,
                    "tax_ids": [Command.set(tax_line.tax_ids.ids)],
                }
            )
        difference = -sum(line["balance"] for line in lines)
        if not float_is_zero(difference, precision_rounding=currency.rounding):
            lines.append(self._ar_loss_line(invoice, account, difference))
        return lines

    def _ar_refund_repartition(self, tax_line):
        """The credit-note repartition line of the tax line's (the same place among the
        tax's repartition lines of the tax type)."""
        tax = tax_line.tax_line_id
        invoice_lines = tax.invoice_repartition_line_ids.filtered(
            lambda r: r.repartition_type == "tax"
        )
        refund_lines = tax.refund_repartition_line_ids.filtered(
            lambda r: r.repartition_type == "tax"
        )
        index = list(invoice_lines).index(tax_line.tax_repartition_line_id)
        return refund_lines[index]

    def _ar_loss_line(self, invoice, account, amount):
        return {
            "account_id": account.id,
            "partner_id": invoice.commercial_partner_id.id,
            "name": self.env._("Bad debt %(invoice)s", invoice=invoice.name),
            "balance": amount,
        }
