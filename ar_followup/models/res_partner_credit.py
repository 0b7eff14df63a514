# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Credit management of the customers: credit policy, limit and exposure, credit hold and its
release, rating and review; only credit-control managers change them (logged in the follow-up
history and the chatter)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .ar_customer_account import HOLD_ORIGINS, account_field
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
        Account = self.env["ar.customer.account"]
        for partner in self:
            partner.ar_effective_credit_policy = Account._ar_policy_in_force(
                partner, self.env.company
            )

    @api.depends_context("company")
    def _compute_ar_exposure(self):
        """The account's exposure (:meth:`~.ar_customer_account_credit.ArCustomerAccount.
        _ar_exposures`) and the credit left under the limit."""
        exposures = self.env["ar.customer.account"]._ar_exposures(self)
        for partner in self:
            main = partner.commercial_partner_id.sudo()
            exposure, draft = exposures.get(main.id, (0.0, 0.0))
            partner.ar_exposure_draft = draft
            partner.ar_exposure = exposure
            partner.ar_available_credit = main.credit_limit - exposure if main.credit_limit else 0.0

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
