# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up of a customer as its form, list and search show it in the current company:
its policy, level, next date, responsible and pause (its account's, see
``ar_customer_account.py``), its amounts due and overdue, what keeps its reminders from
reaching it, and whom they go to. Everything else of its account is on the account's own page
(``ar_customer_account_figures.py``, ``ar_customer_account_actions.py``)."""

import operator

from odoo import api, fields, models
from odoo.exceptions import UserError

from .ar_customer_account import CONTACT_ISSUES, account_field
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
    ar_followup_paused_until = account_field(
        fields.Date,
        "followup_paused_until",
        string="Follow-up paused until",
        help="No reminder goes to this customer up to and including this date.",
        groups=ACCOUNT_GROUPS,
    )
    ar_contact_issue = fields.Selection(
        CONTACT_ISSUES,
        string="Contact issue",
        compute="_compute_ar_contact_issue",
        search="_search_ar_contact_issue",
        help="The customer has open invoices but no e-mail address the reminders can go to, "
        "or its follow-up has reached a call and it has no phone number.",
        groups=ACCOUNT_GROUPS,
    )
    ar_amount_due = fields.Monetary(
        string="Amount due",
        compute="_compute_ar_amounts",
        search="_search_ar_amount_due",
        currency_field="currency_id",
        help="Open receivable balance in company currency, net of credit notes and unapplied "
        "payments.",
        groups=ACCOUNT_GROUPS,
    )
    ar_amount_overdue = fields.Monetary(
        string="Amount overdue",
        compute="_compute_ar_amounts",
        search="_search_ar_amount_overdue",
        currency_field="currency_id",
        help="What the reminders ask: the open amount, in company currency, of the items past "
        "their due date, less what open disputes cover (shown as disputed), payment plans and "
        "invoices handed over to an agency left out.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_partner_to = fields.Char(
        compute="_compute_ar_followup_partner_to", groups=ACCOUNT_GROUPS
    )

    @api.depends_context("company")
    def _compute_ar_amounts(self):
        Account = self.env["ar.customer.account"]
        figures = Account._ar_receivables_of(
            self._origin.commercial_partner_id.ids, self.env.company
        )
        for partner in self:
            row = figures.get(partner._origin.commercial_partner_id.id, ReceivableFigures())
            partner.ar_amount_due = row.amount_due
            partner.ar_amount_overdue = row.amount_asked

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

    @api.depends("email", "child_ids.type", "child_ids.email", "child_ids.active")
    def _compute_ar_followup_partner_to(self):
        contacts = self.env["ar.customer.account"]._ar_contacts_of(self._origin)
        for partner in self:
            to = contacts.get(partner._origin.commercial_partner_id.id, self.browse())
            partner.ar_followup_partner_to = ",".join(str(pid) for pid in to.ids)

    @api.depends_context("company")
    @api.depends("email", "phone", "mobile", "child_ids.email", "child_ids.phone")
    def _compute_ar_contact_issue(self):
        Account = self.env["ar.customer.account"]
        issues = Account._ar_contact_issues_of(self._origin, self.env.company)
        for partner in self:
            partner.ar_contact_issue = issues.get(partner._origin.commercial_partner_id.id, False)

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
