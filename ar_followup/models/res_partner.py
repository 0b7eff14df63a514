# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up of a customer: its policy, level and next date, its collector, its reminder
contacts, its amounts due and overdue, and the actions of its form and list. Credit
management is in res_partner_credit.py, the statement of open items in
ar_followup_statement.py."""

import operator
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .ar_customer_account import account_field
from .ar_followup_statement import ReceivableFigures

# Like Odoo's own credit fields: for the accounting users only, never for portal users.
ACCOUNT_GROUPS = "account.group_account_invoice,account.group_account_readonly"

OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    ar_followup_policy_id = account_field(
        fields.Many2one,
        "followup_policy_id",
        comodel_name="ar.followup.policy",
        string="Follow-up policy",
        domain="[('company_id', '=', current_company_id)]",
        help="Ladder of follow-up levels for this customer; empty: the company's default policy.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_level_id = account_field(
        fields.Many2one,
        "followup_level_id",
        comodel_name="ar.followup.level",
        string="Follow-up level",
        readonly=True,
        help="The highest follow-up level reached by the customer's open invoices.",
        groups=ACCOUNT_GROUPS,
    )
    ar_next_followup_date = account_field(
        fields.Date,
        "next_followup_date",
        string="Next follow-up",
        readonly=True,
        help="Earliest date at which one of the customer's open invoices reaches its next level.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_responsible_id = account_field(
        fields.Many2one,
        "followup_responsible_id",
        comodel_name="res.users",
        string="Follow-up responsible",
        help="Account manager who gets the follow-up call activities; empty: the salesperson.",
        groups=ACCOUNT_GROUPS,
    )
    ar_contact_issue = fields.Selection(
        [
            ("no_email", "No e-mail address for reminders"),
            ("no_phone", "No phone number for the call"),
        ],
        string="Contact issue",
        compute="_compute_ar_contact_issue",
        search="_search_ar_contact_issue",
        help="The customer has open invoices but no e-mail address the reminders can go to, "
        "or its follow-up has reached a call and it has no phone number.",
        groups=ACCOUNT_GROUPS,
    )
    ar_dispute_count = fields.Integer(
        string="Disputes", compute="_compute_ar_dispute_count", groups=ACCOUNT_GROUPS
    )
    ar_followup_paused_until = account_field(
        fields.Date,
        "followup_paused_until",
        string="Follow-up paused until",
        help="No reminder goes to this customer up to and including this date.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_history_ids = fields.One2many(
        "ar.followup.history",
        "partner_id",
        string="Follow-up actions",
        readonly=True,
        groups=ACCOUNT_GROUPS,
    )
    ar_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_ar_company_currency_id"
    )
    ar_amount_due = fields.Monetary(
        string="Amount due",
        compute="_compute_ar_amounts",
        search="_search_ar_amount_due",
        currency_field="ar_company_currency_id",
        help="Open receivable balance in company currency, net of credit notes and unapplied "
        "payments.",
        groups=ACCOUNT_GROUPS,
    )
    ar_amount_overdue = fields.Monetary(
        string="Amount overdue",
        compute="_compute_ar_amounts",
        search="_search_ar_amount_overdue",
        currency_field="ar_company_currency_id",
        help="What the reminders ask: the open amount, in company currency, of the items past "
        "their due date, less what open disputes cover (shown as disputed), payment plans and "
        "invoices handed over to an agency left out.",
        groups=ACCOUNT_GROUPS,
    )
    ar_amount_disputed = fields.Monetary(
        string="Disputed",
        compute="_compute_ar_amounts",
        currency_field="ar_company_currency_id",
        help="The open amount, in company currency, that the customer's open disputes cover: "
        "not asked while the dispute is open.",
        groups=ACCOUNT_GROUPS,
    )
    ar_fees_accrued = fields.Monetary(
        string="Costs and interest accrued",
        compute="_compute_ar_fees_accrued",
        currency_field="ar_company_currency_id",
        help="Collection costs and interest computed on the customer's open invoices but not "
        "invoiced yet: below the company's smallest fee invoice, they go with the next fee "
        "invoice or the hand-off to an agency.",
        groups=ACCOUNT_GROUPS,
    )
    ar_oldest_overdue_days = fields.Integer(
        string="Oldest overdue (days)",
        compute="_compute_ar_amounts",
        help="Days past due of the customer's oldest overdue open item.",
        groups=ACCOUNT_GROUPS,
    )
    ar_open_move_ids = fields.Many2many(
        "account.move",
        string="Open entries",
        compute="_compute_ar_open_move_ids",
        help="The invoices, credit notes, payments and other entries of the open items.",
        groups=ACCOUNT_GROUPS,
    )
    ar_open_line_ids = fields.Many2many(
        "account.move.line",
        string="Open items",
        compute="_compute_ar_open_move_ids",
        help="The customer's receivable items not matched yet: invoices, credit notes, "
        "payments and other entries on its receivable account.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_contact_ids = fields.Many2many(
        "res.partner",
        string="Reminders go to",
        compute="_compute_ar_followup_contact_ids",
        help="The invoice-address contacts with an e-mail address, else the customer itself.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_partner_to = fields.Char(
        compute="_compute_ar_followup_contact_ids", groups=ACCOUNT_GROUPS
    )
    ar_has_followup_email = fields.Boolean(
        string="Has a reminder e-mail address",
        compute="_compute_ar_followup_contact_ids",
        search="_search_ar_has_followup_email",
        groups=ACCOUNT_GROUPS,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_ar_company_currency_id(self):
        self.ar_company_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_ar_amounts(self):
        ids = tuple(self._origin.commercial_partner_id.ids)
        Statement = self.env["ar.followup.statement"]
        date = fields.Date.context_today(self)
        figures = Statement._ar_receivable_figures(date, self.env.company, ids) if ids else {}
        for partner in self:
            row = figures.get(partner._origin.commercial_partner_id.id, ReceivableFigures())
            partner.ar_amount_due = row.amount_due
            partner.ar_amount_overdue = row.amount_asked
            partner.ar_amount_disputed = row.amount_disputed
            partner.ar_oldest_overdue_days = row.oldest_days

    @api.depends_context("company")
    def _compute_ar_fees_accrued(self):
        ids = self._origin.commercial_partner_id.ids
        accrued = {}
        if ids:
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
                    ids,
                    self.env.company.id,
                )
            )
            accrued = dict(self.env.cr.fetchall())
        for partner in self:
            partner.ar_fees_accrued = accrued.get(partner._origin.commercial_partner_id.id, 0.0)

    def _ar_search_amount(self, column, operator_, value):
        if operator_ not in OPERATORS:
            raise UserError(self.env._("Operation not supported: %s", operator_))
        value = value or 0.0
        Statement = self.env["ar.followup.statement"]
        figures = Statement._ar_receivable_figures(
            fields.Date.context_today(self), self.env.company
        )
        amounts = {pid: getattr(row, column) for pid, row in figures.items()}
        compare = OPERATORS[operator_]
        if compare(0.0, value):
            # partners without open items count as 0 and match: exclude the others
            others = [pid for pid, amount in amounts.items() if not compare(amount, value)]
            return [("id", "not in", others)]
        return [("id", "in", [pid for pid, amount in amounts.items() if compare(amount, value)])]

    def _search_ar_amount_due(self, operator_, value):
        return self._ar_search_amount("amount_due", operator_, value)

    def _search_ar_amount_overdue(self, operator_, value):
        return self._ar_search_amount("amount_asked", operator_, value)

    @api.depends_context("company")
    def _compute_ar_open_move_ids(self):
        """The open items of ``ar.followup.statement._ar_open_items_query`` (journal items)
        and their entries, ordered by due date (one query)."""
        ids = tuple(self._origin.commercial_partner_id.ids)
        by_partner = defaultdict(list)
        if ids:
            Statement = self.env["ar.followup.statement"]
            Statement._ar_flush_open_items()
            self.env.cr.execute(
                SQL(
                    "SELECT o.partner_id, o.line_id, o.move_id FROM (%s) o"
                    " ORDER BY o.due, o.move_id, o.line_id",
                    Statement._ar_open_items_query(self.env.company, ids),
                )
            )
            for partner_id, line_id, move_id in self.env.cr.fetchall():
                by_partner[partner_id].append((line_id, move_id))
        for partner in self:
            items = by_partner.get(partner._origin.commercial_partner_id.id, [])
            partner.ar_open_line_ids = [fields.Command.set([line for line, _move in items])]
            partner.ar_open_move_ids = [
                fields.Command.set(list(dict.fromkeys(move for _line, move in items)))
            ]

    @api.depends("email", "child_ids.type", "child_ids.email", "child_ids.active")
    def _compute_ar_followup_contact_ids(self):
        commercials = self._origin.commercial_partner_id
        invoice_contacts = defaultdict(lambda: self.browse())
        for contact in self.search_fetch(
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
        for partner in self:
            commercial = partner._origin.commercial_partner_id
            contacts = invoice_contacts.get(commercial.id, self.browse())
            if not contacts and commercial.email:
                contacts = commercial
            partner.ar_followup_contact_ids = contacts
            partner.ar_followup_partner_to = ",".join(str(pid) for pid in contacts.ids)
            partner.ar_has_followup_email = bool(contacts)

    def _compute_ar_dispute_count(self):
        groups = self.env["ar.dispute"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.ar_dispute_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.depends_context("company")
    @api.depends("email", "phone", "mobile", "child_ids.email", "child_ids.phone")
    def _compute_ar_contact_issue(self):
        commercial = self.commercial_partner_id
        calling = self.env["ar.customer.account"]._ar_call_levels_reached(commercial)
        for partner in self:
            main = partner.commercial_partner_id
            if main.ar_amount_due <= 0 and main.ar_amount_overdue <= 0:
                partner.ar_contact_issue = False
            elif not main.ar_has_followup_email:
                partner.ar_contact_issue = "no_email"
            elif main in calling and not self.env["ar.customer.account"]._ar_phone(main):
                partner.ar_contact_issue = "no_phone"
            else:
                partner.ar_contact_issue = False

    def _search_ar_contact_issue(self, operator_, value):
        if operator_ not in ("=", "!="):
            raise UserError(self.env._("Operation not supported: %s", operator_))
        owing = self.search(
            [
                ("parent_id", "=", False),
                "|",
                ("ar_amount_due", ">", 0),
                ("ar_amount_overdue", ">", 0),
            ]
        )
        with_issue = owing.filtered(
            lambda p: p.ar_contact_issue == value if value else p.ar_contact_issue
        )
        if (operator_ == "=") == bool(value):
            return [("id", "in", with_issue.ids)]
        return [("id", "not in", with_issue.ids)]

    def _search_ar_has_followup_email(self, operator_, value):
        if operator_ not in ("=", "!="):
            raise UserError(self.env._("Operation not supported: %s", operator_))
        with_email = [
            "|",
            ("email", "!=", False),
            "&",
            ("child_ids.type", "=", "invoice"),
            ("child_ids.email", "!=", False),
        ]
        positive = (operator_ == "=") == bool(value)
        return with_email if positive else ["!"] + with_email
