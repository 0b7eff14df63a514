# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up of a customer as its form, list and search show it in the current company:
its policy, level, next date, responsible and pause (its account's, see
``ar_customer_account.py``), its amounts due and overdue, what keeps its reminders from
reaching it. Everything else of its account is on the account's own page
(``ar_customer_account_figures.py``, ``ar_customer_account_actions.py``)."""

from odoo import fields, models

from .ar_customer_account import CONTACT_ISSUES, account_field
from .ar_customer_account_figures import partner_figure

# Like Odoo's own credit fields: for the accounting users only, never for portal users.
ACCOUNT_GROUPS = "account.group_account_invoice,account.group_account_readonly"


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
    ar_contact_issue = partner_figure(
        fields.Selection,
        "contact_issue",
        selection=CONTACT_ISSUES,
        string="Contact issue",
        help="The customer has open invoices but no e-mail address the reminders can go to, "
        "or its follow-up has reached a call and it has no phone number.",
        groups=ACCOUNT_GROUPS,
    )
    ar_amount_due = partner_figure(
        fields.Monetary,
        "amount_due",
        string="Amount due",
        currency_field="currency_id",
        help="Open receivable balance in company currency, net of credit notes and unapplied "
        "payments.",
        groups=ACCOUNT_GROUPS,
    )
    ar_amount_overdue = partner_figure(
        fields.Monetary,
        "amount_overdue",
        string="Amount overdue",
        currency_field="currency_id",
        help="What the reminders ask: the open amount, in company currency, of the items past "
        "their due date, less what open disputes cover (shown as disputed), payment plans and "
        "invoices handed over to an agency left out.",
        groups=ACCOUNT_GROUPS,
    )
