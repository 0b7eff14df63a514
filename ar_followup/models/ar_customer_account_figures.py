# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the customer's account shows of its customer in its company, computed when read (one
query per figure for any number of accounts, grouped by company): the amounts due, overdue
(what the reminders ask) and disputed, the oldest overdue item, the costs and interest
accrued, the open items, the follow-up history, the disputes, the reminder contacts and what
is missing to reach them, and the credit figures (limit, policy in force, exposure). The
partner's list and search read the same helpers for the current company."""

import operator
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from .ar_customer_account import CONTACT_ISSUES
from .ar_followup_statement import ReceivableFigures
from .res_company import CREDIT_POLICIES

OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
# The account's amounts and the column of ReceivableFigures each is.
AMOUNT_COLUMNS = {"amount_due": "amount_due", "amount_overdue": "amount_asked"}


@api.depends_context("company")
@api.depends("email", "phone", "mobile", "child_ids.email", "child_ids.phone")
def compute_partner_figures(partners):
    """The figures of the partners' accounts in the current company, for their list and
    search (``res_partner.py``); computed by the account, :meth:`ArCustomerAccount.
    _ar_set_partner_figures`."""
    partners.env["ar.customer.account"]._ar_set_partner_figures(partners)


def partner_figure(field_class, name, **kwargs):
    """A field of the partner that shows the figure ``name`` of its account in the current
    company (``amount_due``, ``amount_overdue``, ``contact_issue``), computed and searched by
    the account: a customer without an
    account yet shows what it owes all the same."""

    def search(partners, operator_, value):
        return partners.env["ar.customer.account"]._ar_partner_figure_domain(name, operator_, value)

    return field_class(compute=compute_partner_figures, search=search, **kwargs)


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(
        string="Amount due",
        compute="_compute_amounts",
        search="_search_amount_due",
        help="Open receivable balance in company currency, net of credit notes and unapplied "
        "payments.",
    )
    amount_overdue = fields.Monetary(
        string="Amount overdue",
        compute="_compute_amounts",
        search="_search_amount_overdue",
        help="What the reminders ask: the open amount, in company currency, of the items past "
        "their due date, less what open disputes cover (shown as disputed), payment plans and "
        "invoices handed over to an agency left out.",
    )
    amount_disputed = fields.Monetary(
        string="Disputed",
        compute="_compute_amounts",
        help="The open amount, in company currency, that the customer's open disputes cover: "
        "not asked while the dispute is open.",
    )
    oldest_overdue_days = fields.Integer(
        string="Oldest overdue (days)",
        compute="_compute_amounts",
        help="Days past due of the customer's oldest overdue open item.",
    )
    fees_accrued = fields.Monetary(
        string="Costs and interest accrued",
        compute="_compute_fees_accrued",
        help="Collection costs and interest computed on the customer's open invoices but not "
        "invoiced yet: below the company's smallest fee invoice, they go with the next fee "
        "invoice or the hand-off to an agency.",
    )
    open_line_ids = fields.Many2many(
        "account.move.line",
        string="Open items",
        compute="_compute_open_line_ids",
        help="The customer's receivable items not matched yet: invoices, credit notes, "
        "payments and other entries on its receivable account.",
    )
    history_ids = fields.Many2many(
        "ar.followup.history",
        string="Follow-up actions",
        compute="_compute_history_ids",
    )
    dispute_count = fields.Integer(string="Disputes", compute="_compute_dispute_count")
    followup_contact_ids = fields.Many2many(
        "res.partner",
        string="Reminders go to",
        compute="_compute_contacts",
        help="The invoice-address contacts with an e-mail address, else the customer itself.",
    )
    contact_issue = fields.Selection(
        CONTACT_ISSUES,
        string="Contact issue",
        compute="_compute_contacts",
        search="_search_contact_issue",
        help="The customer has open invoices but no e-mail address the reminders can go to, "
        "or its follow-up has reached a call and it has no phone number.",
    )
    credit_limit = fields.Monetary(
        string="Credit limit",
        compute="_compute_credit",
        help="The customer's credit limit in this company (Odoo's, set on the customer).",
    )
    effective_credit_policy = fields.Selection(
        CREDIT_POLICIES, string="Credit limit policy in force", compute="_compute_credit"
    )
    exposure = fields.Monetary(
        compute="_compute_credit",
        help="Open posted receivables, plus draft customer invoices (draft credit notes count "
        "nothing), plus what is still to be invoiced (sales orders), in company currency.",
    )
    exposure_draft = fields.Monetary(string="Draft invoices", compute="_compute_credit")
    available_credit = fields.Monetary(
        string="Available credit",
        compute="_compute_credit",
        help="Credit limit minus exposure; empty when the customer has no credit limit.",
    )

    # -- the figures, for accounts and for partners ------------------------------------

    @api.model
    def _ar_receivables_of(self, partner_ids, company):
        """``{commercial partner id: ReceivableFigures}`` of ``partner_ids`` in ``company``
        today (one query)."""
        if not partner_ids:
            return {}
        Statement = self.env["ar.followup.statement"]
        today = fields.Date.context_today(self)
        return Statement._ar_receivable_figures(today, company, tuple(partner_ids))

    @api.model
    def _ar_fees_accrued_of(self, partner_ids, company):
        """``{commercial partner id: costs and interest accrued}`` in ``company``."""
        if not partner_ids:
            return {}
        self.env["ar.followup.move.state"].flush_model(["fee_accrued"])
        self.env.cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id, SUM(s.fee_accrued)
                  FROM ar_followup_move_state s
                  JOIN account_move m ON m.id = s.move_id
                 WHERE m.commercial_partner_id = ANY(%s) AND m.company_id = %s
                   AND m.state = 'posted' AND m.amount_residual > 0 AND s.fee_accrued > 0
                 GROUP BY m.commercial_partner_id
                """,
                list(partner_ids),
                company.id,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _ar_contacts_of(self, customers):
        """``{commercial partner id: the contacts its reminders go to}``: its invoice-address
        contacts with an e-mail address, else itself when it has one (one query)."""
        commercials = customers.commercial_partner_id
        Partner = self.env["res.partner"]
        invoice_contacts = defaultdict(Partner.browse)
        for contact in Partner.search_fetch(
            [
                ("type", "=", "invoice"),
                ("email", "!=", False),
                "|",
                ("id", "in", commercials.ids),
                ("parent_id", "in", commercials.ids),
            ],
            ["parent_id"],
        ):
            invoice_contacts[(contact.parent_id or contact).id] |= contact
        result = {}
        for commercial in commercials:
            contacts = invoice_contacts.get(commercial.id, Partner.browse())
            result[commercial.id] = contacts or (commercial if commercial.email else contacts)
        return result

    @api.model
    def _ar_contact_issues_of(self, customers, company):
        """``{commercial partner id: contact issue or False}`` in ``company``: open items and
        no address for the reminders, or a call level reached and no phone."""
        commercials = customers.commercial_partner_id.with_company(company)
        figures = self._ar_receivables_of(commercials.ids, company)
        owing = commercials.filtered(
            lambda p: (row := figures.get(p.id)) and (row.amount_due > 0 or row.amount_asked > 0)
        )
        contacts = self._ar_contacts_of(owing)
        calling = self.with_company(company)._ar_call_levels_reached(owing)
        issues = dict.fromkeys(commercials.ids, False)
        for partner in owing:
            if not contacts[partner.id]:
                issues[partner.id] = "no_email"
            elif partner in calling and not self._ar_phone(partner):
                issues[partner.id] = "no_phone"
        return issues

    # -- computes ----------------------------------------------------------------------

    def _compute_amounts(self):
        for company, accounts in self.grouped("company_id").items():
            figures = self._ar_receivables_of(accounts.partner_id.ids, company)
            for account in accounts:
                row = figures.get(account.partner_id.id, ReceivableFigures())
                account.amount_due = row.amount_due
                account.amount_overdue = row.amount_asked
                account.amount_disputed = row.amount_disputed
                account.oldest_overdue_days = row.oldest_days

    def _compute_fees_accrued(self):
        for company, accounts in self.grouped("company_id").items():
            accrued = self._ar_fees_accrued_of(accounts.partner_id.ids, company)
            for account in accounts:
                account.fees_accrued = accrued.get(account.partner_id.id, 0.0)

    def _compute_open_line_ids(self):
        Statement = self.env["ar.followup.statement"]
        for company, accounts in self.grouped("company_id").items():
            Statement._ar_flush_open_items()
            self.env.cr.execute(
                SQL(
                    "SELECT o.partner_id, o.line_id FROM (%s) o"
                    " ORDER BY o.due, o.move_id, o.line_id",
                    Statement._ar_open_items_query(company, tuple(accounts.partner_id.ids)),
                )
            )
            lines = defaultdict(list)
            for partner_id, line_id in self.env.cr.fetchall():
                lines[partner_id].append(line_id)
            for account in accounts:
                account.open_line_ids = [fields.Command.set(lines.get(account.partner_id.id, []))]

    def _compute_history_ids(self):
        History = self.env["ar.followup.history"]
        lines = defaultdict(list)
        for line in History.search_fetch(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ],
            ["partner_id", "company_id"],
        ):
            lines[line.partner_id.id, line.company_id.id].append(line.id)
        for account in self:
            account.history_ids = [
                fields.Command.set(lines.get((account.partner_id.id, account.company_id.id), []))
            ]

    def _compute_dispute_count(self):
        groups = self.env["ar.dispute"]._read_group(
            [("partner_id", "in", self.partner_id.ids), ("company_id", "in", self.company_id.ids)],
            ["partner_id", "company_id"],
            ["__count"],
        )
        counts = {(partner.id, company.id): count for partner, company, count in groups}
        for account in self:
            account.dispute_count = counts.get((account.partner_id.id, account.company_id.id), 0)

    def _compute_contacts(self):
        for company, accounts in self.grouped("company_id").items():
            contacts = self._ar_contacts_of(accounts.partner_id)
            issues = self._ar_contact_issues_of(accounts.partner_id, company)
            for account in accounts:
                account.followup_contact_ids = contacts[account.partner_id.id]
                account.contact_issue = issues[account.partner_id.id]

    def _compute_credit(self):
        for company, accounts in self.grouped("company_id").items():
            Account = self.with_company(company)
            exposures = Account._ar_exposures(accounts.partner_id)
            for account in accounts:
                partner = account.partner_id.with_company(company).sudo()
                exposure, draft = exposures.get(partner.id, (0.0, 0.0))
                account.credit_limit = partner.credit_limit
                account.effective_credit_policy = account.credit_policy or company.ar_credit_policy
                account.exposure = exposure
                account.exposure_draft = draft
                account.available_credit = (
                    partner.credit_limit - exposure if partner.credit_limit else 0.0
                )

    # -- searches ----------------------------------------------------------------------

    @api.model
    def _ar_compared(self, column, operator_, value, company):
        """``(ids, True)``: the commercial partners of ``company`` whose ``column`` of
        :class:`ReceivableFigures` compares to ``value``; ``(ids, False)``: those that do not,
        when a customer without open items (which counts 0) matches."""
        if operator_ not in OPERATORS:
            raise UserError(self.env._("Operation not supported: %s", operator_))
        compare = OPERATORS[operator_]
        try:
            value = float(value or 0.0)
        except (TypeError, ValueError):
            raise UserError(self.env._("An amount is a number: %s", str(value)[:40])) from None
        Statement = self.env["ar.followup.statement"]
        figures = Statement._ar_receivable_figures(fields.Date.context_today(self), company)
        zero_matches = compare(0.0, value)
        amounts = {pid: getattr(row, column) for pid, row in figures.items()}
        ids = [pid for pid, amount in amounts.items() if compare(amount, value) != zero_matches]
        return ids, not zero_matches

    def _ar_search_amount(self, column, operator_, value):
        """Accounts of the user's companies whose ``column`` of :class:`ReceivableFigures`
        compares to ``value`` (an account without open items counts 0)."""
        domains = []
        for company in self.env.companies:
            ids, matching = self._ar_compared(column, operator_, value, company)
            partners = ("partner_id", "in" if matching else "not in", ids)
            domains.append([("company_id", "=", company.id), partners])
        return ["|"] * (len(domains) - 1) + [term for domain in domains for term in ["&", *domain]]

    @api.model
    def _ar_set_partner_figures(self, partners):
        """Set the partners' ``ar_amount_due``, ``ar_amount_overdue`` and ``ar_contact_issue``
        from their commercial partners' in the current company (one query each for any number
        of partners)."""
        company = self.env.company
        commercials = partners._origin.commercial_partner_id
        figures = self._ar_receivables_of(commercials.ids, company)
        issues = self._ar_contact_issues_of(commercials, company)
        for partner in partners:
            commercial_id = partner._origin.commercial_partner_id.id
            row = figures.get(commercial_id, ReceivableFigures())
            partner.ar_amount_due = row.amount_due
            partner.ar_amount_overdue = row.amount_asked
            partner.ar_contact_issue = issues.get(commercial_id, False)

    @api.model
    def _ar_partner_figure_domain(self, name, operator_, value):
        """The partners' domain of ``(name, operator_, value)`` on the figure ``name`` of
        their accounts in the current company."""
        if name in AMOUNT_COLUMNS:
            column = AMOUNT_COLUMNS[name]
            ids, matching = self._ar_compared(column, operator_, value, self.env.company)
            return [("id", "in" if matching else "not in", ids)]
        if operator_ not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Operation not supported: %s", operator_))
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if any(v and not isinstance(v, str) for v in values):
            raise UserError(self.env._("A contact issue is one of its names, or none."))
        values = {v or False for v in values}
        Partner = self.env["res.partner"]
        owing = Partner.search(
            [
                ("parent_id", "=", False),
                "|",
                ("ar_amount_due", ">", 0),
                ("ar_amount_overdue", ">", 0),
            ]
        )
        issues = self._ar_contact_issues_of(owing, self.env.company)
        matching = owing.filtered(lambda p: (issues.get(p.id) or False) in values)
        if False in values:
            # a customer that owes nothing has no issue either: all but the owing others
            positive = ("id", "not in", (owing - matching).ids)
            negative = ("id", "in", (owing - matching).ids)
        else:
            positive = ("id", "in", matching.ids)
            negative = ("id", "not in", matching.ids)
        return [negative if operator_ in ("!=", "not in") else positive]

    def _search_contact_issue(self, operator_, value):
        domains = [
            [
                ("company_id", "=", company.id),
                (
                    "partner_id",
                    "any",
                    self.with_company(company)._ar_partner_figure_domain(
                        "contact_issue", operator_, value
                    ),
                ),
            ]
            for company in self.env.companies
        ]
        return expression.OR(domains)

    def _search_amount_due(self, operator_, value):
        return self._ar_search_amount("amount_due", operator_, value)

    def _search_amount_overdue(self, operator_, value):
        return self._ar_search_amount("amount_asked", operator_, value)
