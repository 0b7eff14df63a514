# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Credit management of the customers: credit policy, limit and exposure, credit hold and its
release, rating and review; only credit-control managers change them (logged in the follow-up
history and the chatter)."""

from collections import namedtuple

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from .ar_customer_account import HOLD_ORIGINS, account_field
from .ar_customer_account_hold import reason_clause
from .res_company import CREDIT_POLICIES
from .res_partner import ACCOUNT_GROUPS

# Fields of the partner itself (not of its account) that only a credit-control manager may
# change: Odoo's own credit limit and the rating (a billing user sees them read-only). The
# account's fields are the account's access rights' (ar_customer_account.py).
CREDIT_MANAGER_FIELDS = {
    "credit_limit",
    "ar_credit_rating",
    "ar_credit_rating_date",
    "ar_credit_rating_source",
}

# an exposure above the credit limit, in company currency
CreditExcess = namedtuple("CreditExcess", "exposure limit excess")

# Writing these changes whose credit data a partner has (its commercial partner).
STRUCTURE_FIELDS = {"parent_id", "is_company"}


# credit management is a concern of its own, in its own file (as account.journal's dashboard)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    ar_credit_hold = account_field(
        fields.Boolean,
        "credit_hold",
        string="On credit hold",
        readonly=True,
        help="Set when the customer reaches a follow-up level that puts it on hold.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_hold_reason = account_field(
        fields.Char,
        "credit_hold_reason",
        string="Credit hold reason",
        readonly=True,
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_hold_date = account_field(
        fields.Date,
        "credit_hold_date",
        string="On hold since",
        readonly=True,
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_hold_origin = account_field(
        fields.Selection,
        "credit_hold_origin",
        selection=HOLD_ORIGINS,
        string="Hold set by",
        readonly=True,
        help="A hold set by the follow-up lifts itself when nothing is overdue any more; a hold "
        "set by hand is lifted by hand.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_policy = account_field(
        fields.Selection,
        "credit_policy",
        selection=CREDIT_POLICIES,
        string="Credit limit policy",
        help="What the credit limit does for this customer; empty: the company's policy.",
        groups=ACCOUNT_GROUPS,
    )
    ar_effective_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit limit policy in force",
        compute="_compute_ar_effective_credit_policy",
        groups=ACCOUNT_GROUPS,
    )
    ar_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_ar_exposure",
        currency_field="ar_company_currency_id",
        help="Open posted receivables, plus draft customer invoices (draft credit notes count "
        "nothing), plus what is still to be invoiced (sales orders), in company currency.",
        groups=ACCOUNT_GROUPS,
    )
    ar_exposure_draft = fields.Monetary(
        string="Draft invoices",
        compute="_compute_ar_exposure",
        currency_field="ar_company_currency_id",
        groups=ACCOUNT_GROUPS,
    )
    ar_available_credit = fields.Monetary(
        string="Available credit",
        compute="_compute_ar_exposure",
        currency_field="ar_company_currency_id",
        help="Credit limit minus exposure; empty when the customer has no credit limit.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_rating = fields.Char(
        string="Credit rating",
        tracking=True,
        help="Rating from the credit agency, as given.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_rating_date = fields.Date(string="Rating date", groups=ACCOUNT_GROUPS)
    ar_credit_rating_source = fields.Char(
        string="Rating source",
        help="Who gave the rating, e.g. the credit agency or insurer.",
        groups=ACCOUNT_GROUPS,
    )
    ar_insured_limit = account_field(
        fields.Float,
        "insured_limit",
        string="Insured limit",
        digits="Account",
        help="Amount covered by the credit insurance for this customer, in company currency.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_review_date = account_field(
        fields.Date,
        "credit_review_date",
        string="Next credit review",
        help="On this date the credit-control manager gets an activity to review the credit limit.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_review_notified = account_field(
        fields.Date,
        "credit_review_notified",
        string="Review notified for",
        readonly=True,
        help="Review date for which the review activity was created (so it is created once).",
        groups=ACCOUNT_GROUPS,
    )

    ar_can_edit_credit = fields.Boolean(compute="_compute_ar_can_edit_credit")

    @api.depends_context("uid")
    def _compute_ar_can_edit_credit(self):
        self.ar_can_edit_credit = self.env.su or self.env.user.has_group(
            "ar_followup.group_ar_manager"
        )

    @api.depends_context("company")
    @api.depends("ar_credit_policy")
    def _compute_ar_effective_credit_policy(self):
        for partner in self:
            partner.ar_effective_credit_policy = partner._ar_credit_policy_for(self.env.company)

    def _ar_credit_policy_for(self, company):
        """The credit limit policy in force for this customer in ``company``."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        return partner.ar_credit_policy or company.ar_credit_policy

    def _ar_draft_invoice_amounts(self):
        """Per commercial partner, the draft customer invoices and sales receipts, in company
        currency, for the current company and its branches (one query). A draft credit note
        counts nothing: a draft lowers no exposure (it can be deleted once the invoice it
        made room for is posted)."""
        groups = self.env["account.move"]._read_group(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "child_of", self.env.company.root_id.id),
                ("state", "=", "draft"),
                ("move_type", "in", ("out_invoice", "out_receipt")),
            ],
            ["commercial_partner_id"],
            ["amount_total_signed:sum"],
        )
        return {partner.id: amount for partner, amount in groups}

    def _ar_exposure_extra(self):
        """Per commercial partner of ``self``, what else its exposure counts, in company
        currency (the sale bridge: what confirmed orders will invoice beyond Odoo's
        ``credit_to_invoice``)."""
        return {}

    @api.depends_context("company")
    def _compute_ar_exposure(self):
        """Exposure = Odoo's ``credit`` (open posted receivables) + draft customer invoices +
        Odoo's ``credit_to_invoice``; a constant number of queries for any number of
        partners."""
        commercial = self.commercial_partner_id.sudo()
        drafts = commercial._ar_draft_invoice_amounts()
        extra = commercial._ar_exposure_extra()
        for partner in self:
            main = partner.commercial_partner_id.sudo()
            draft = drafts.get(main.id, 0.0)
            exposure = main.credit + draft + main.credit_to_invoice + extra.get(main.id, 0.0)
            partner.ar_exposure_draft = draft
            partner.ar_exposure = exposure
            partner.ar_available_credit = main.credit_limit - exposure if main.credit_limit else 0.0

    def _ar_credit_excess(self, company, extra=0.0):
        """How far the exposure of this customer (commercial partner, read in ``company``),
        with ``extra`` more (in company currency: an order about to be confirmed), goes above
        its credit limit under the 'block' policy: a :class:`CreditExcess`, else ``None``
        (no limit, another policy, the company uses no credit limits, or within it)."""
        self.ensure_one()
        limit = self.credit_limit
        if not (
            limit
            and company.account_use_credit_limit
            and self._ar_credit_policy_for(company) == "block"
        ):
            return None
        exposure = self.ar_exposure + extra
        if company.currency_id.compare_amounts(exposure - limit, 0.0) <= 0:
            return None
        return CreditExcess(exposure, limit, exposure - limit)

    def _ar_credit_blocking(self, company):
        """Whether this customer (commercial partner) has a credit limit under the 'block'
        policy in ``company`` (which uses credit limits)."""
        self.ensure_one()
        partner = self.with_company(company).sudo()
        return bool(
            partner.credit_limit
            and company.account_use_credit_limit
            and partner._ar_credit_policy_for(company) == "block"
        )

    def _ar_credit_may_stop(self, company):
        """Whether the credit decision can stop a document of this customer (commercial
        partner) in ``company`` at all: a credit hold, or a credit limit under the 'block'
        policy (the sale bridge adds the prepayment). Read first, so that the documents of
        the other customers cost nothing more."""
        self.ensure_one()
        return bool(
            self.with_company(company).sudo().ar_credit_hold or self._ar_credit_blocking(company)
        )

    def _ar_credit_hold_problem(self):
        """The sentence a document of this customer on credit hold stops with (``None``
        when it is not on hold), the same at the invoice, the order and the delivery."""
        self.ensure_one()
        if not self.ar_credit_hold:
            return None
        return self.env._(
            "%(partner)s is on credit hold (%(reason)s).",
            partner=self.display_name,
            reason=reason_clause(self.ar_credit_hold_reason),
        )

    def _ar_credit_excess_figures(self, company, extra=0.0):
        """:meth:`_ar_credit_excess` as the words of a message: ``{'partner', 'exposure',
        'limit', 'excess'}`` formatted in company currency, or ``None``."""
        excess = self._ar_credit_excess(company, extra)
        if not excess:
            return None

        def fmt(amount):
            return formatLang(self.env, amount, currency_obj=company.currency_id)

        return {
            "partner": self.display_name,
            "exposure": fmt(excess.exposure),
            "limit": fmt(excess.limit),
            "excess": fmt(excess.excess),
        }

    @api.constrains("credit_limit")
    def _check_ar_credit_amounts(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The credit limit of %(partner)s cannot be negative.",
                        partner=partner.display_name,
                    )
                )

    def _ar_by_user(self):
        """The reason of a measure a user changes without giving one: "by <user>", a text of
        the system (its history line is in every language, see :meth:`_ar_set_credit_hold`)."""
        name = self.env.user.name

        def by_user(env):
            return env._("by %(user)s", user=name)

        return by_user

    def _ar_one_language_text(self, render):
        """A text of the system (``render(env)``) for what has one language only (the
        customer's hold reason, a chatter note): the language of the user who acts; for the
        system itself (the scheduled run), the company's."""
        lang = self.env.lang
        if self.env.uid == SUPERUSER_ID or not lang:
            lang = self.env.company.partner_id.lang or lang or "en_US"
        return render(self.with_context(lang=lang).env)

    def action_ar_credit_hold(self):
        return self._ar_hold_wizard("hold")

    def action_ar_credit_release(self):
        return self._ar_hold_wizard("release")

    def _ar_hold_wizard(self, action):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Put on credit hold")
            if action == "hold"
            else self.env._("Lift the credit hold"),
            "res_model": "ar.credit.hold.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_action": action,
            },
        }

    def action_ar_open_exposure(self):
        """The documents behind the exposure: open receivable items and draft invoices."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exposure of %s", partner.display_name),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "child_of", self.env.company.root_id.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                "|",
                ("state", "=", "draft"),
                "&",
                ("state", "=", "posted"),
                ("amount_residual", "!=", 0),
            ],
            "context": {"create": False},
        }
