# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..demo import generator

CREDIT_POLICIES = [
    ("none", "No check"),
    ("warn", "Warn"),
    ("block", "Block"),
]


MAX_FIXED_COSTS = 10000.0  # per invoice: more is a typing error (the WIK maximum is 6,775)


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_default_policy_id = fields.Many2one(
        "ar.followup.policy",
        string="Default follow-up policy",
        domain="[('company_id', '=', id)]",
        help="Follow-up policy of the customers that do not have one of their own.",
    )

    ar_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit limit policy",
        default="warn",
        required=True,
        help="What a credit limit does when an invoice would take a customer above it: "
        "nothing, Odoo's warning banner, or block the posting (credit-control managers may "
        "post anyway; their override is logged on the invoice). Customers can override it.",
    )

    ar_dispute_days_quality = fields.Integer(
        string="Response time, quality disputes (days)", default=10
    )
    ar_dispute_days_delivery = fields.Integer(
        string="Response time, delivery disputes (days)", default=5
    )
    ar_dispute_days_pricing = fields.Integer(
        string="Response time, pricing disputes (days)", default=5
    )
    ar_dispute_days_not_received = fields.Integer(
        string="Response time, invoice not received (days)", default=2
    )
    ar_dispute_days_other = fields.Integer(string="Response time, other disputes (days)", default=7)

    ar_plan_max_instalments = fields.Integer(
        string="Most instalments a customer may ask for", default=12
    )
    ar_plan_start_days = fields.Integer(
        string="First instalment at most (days ahead)",
        default=60,
        help="A customer asking for a payment plan on the portal starts paying within this "
        "many days.",
    )
    ar_plan_min_instalment = fields.Monetary(
        string="Smallest instalment a customer may ask for",
        currency_field="currency_id",
        default=50.0,
    )
    ar_plan_grace_days = fields.Integer(
        string="Grace period of payment plans (days)",
        default=5,
        help="Days an instalment may be late before the plan counts as broken.",
    )
    ar_plan_reminder_days = fields.Integer(
        string="Instalment reminder (days before)",
        default=3,
        help="The customer is reminded of an instalment this many days before its date.",
    )
    ar_promise_horizon_days = fields.Integer(
        string="Promises to pay at most (days ahead)",
        default=90,
        help="A promise to pay is for a date within this many days.",
    )
    ar_promise_grace_days = fields.Integer(
        string="Grace period of promises to pay (days)",
        default=3,
        help="The follow-up waits this many days after a promised payment date.",
    )
    ar_bank_feed_days = fields.Integer(
        string="Bank statements current within (working days)",
        default=3,
        help="When the newest bank statement line is older than this, the credit-control "
        "manager is told: payments by transfer since are not seen.",
    )
    ar_bank_feed_hold = fields.Boolean(
        string="Hold reminders back while the bank statements are not current",
        default=True,
        help="While the newest bank statement line is too old, nothing beyond the first "
        "overdue level goes out: a customer who paid by transfer is not chased harder.",
    )
    ar_bank_feed_told = fields.Boolean(
        string="Told of no bank statements",
        readonly=True,
        help="The company was told once that it never imported a bank statement.",
    )
    ar_reply_pause_days = fields.Integer(
        string="Pause after a customer's reply (working days)",
        default=3,
        help="An e-mail of the customer answering its reminders pauses its follow-up this many "
        "working days, or until the follow-up responsible marks the reply handled.",
    )

    ar_default_agency_id = fields.Many2one(
        "res.partner",
        string="Default collection agency",
        domain=lambda self: self.env["ar.collection.agency"]._ar_partner_domain(),
        help="The agency new collection cases of this company are handed to, unless chosen "
        "otherwise.",
    )
    ar_agency_expense_account_id = fields.Many2one(
        "account.account",
        string="Agency commissions",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="The expense account of what collection agencies keep: their commission and "
        "the collection costs they keep.",
    )
    ar_bad_debt_account_id = fields.Many2one(
        "account.account",
        string="Bad debts",
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
        help="The account written-off receivables are posted to as a loss.",
    )
    ar_statement_link_days = fields.Integer(
        string="Statement links valid for (days)",
        default=60,
        help="The statement link of a reminder opens the customer's statement without a "
        "login for this many days after the last reminder that carried it.",
    )

    ar_followup_grace_days = fields.Integer(
        string="Grace period after a dispute or plan (days)",
        default=3,
        help="After a dispute is closed or a payment plan is cancelled, the follow-up of its "
        "invoices waits this many days before the next reminder.",
    )

    ar_costs_b2b = fields.Selection(
        [
            ("wik", "WIK scale, at least €40 per invoice"),
            ("minimum", "€40 per invoice"),
            ("fixed", "Fixed amount per invoice (terms)"),
            ("none", "No collection costs"),
        ],
        string="Collection costs for businesses",
        default="wik",
        required=True,
        help="What businesses pay when a follow-up level claims collection costs. Dutch law "
        "(art. 6:96 BW) applies the WIK scale to businesses too unless the contract says "
        "otherwise, with at least €40 per invoice (Directive 2011/7/EU); Belgian businesses "
        "pay €40 per invoice for the WIK option. Consumers always pay the statutory scale of "
        "their country, after its waiting period.",
    )
    ar_costs_b2b_fixed = fields.Monetary(
        string="Fixed collection costs per invoice",
        currency_field="currency_id",
        help="The amount per invoice the company's terms set for businesses.",
    )
    ar_costs_add_vat = fields.Boolean(
        string="We cannot deduct VAT",
        help="The company cannot deduct VAT (it is exempt): the WIK collection costs are "
        "increased by the general VAT rate of 21%.",
    )
    ar_consumer_fatal_term = fields.Boolean(
        string="The payment term is a fatal term for consumers",
        help="The company's terms make the payment term of an invoice a fatal term (art. 6:83 "
        "BW): a Dutch consumer is in default from the day after the due date and statutory "
        "interest runs from then. Without it, interest runs from the day after the term of "
        "the 14-day letter.",
    )
    ar_fee_product_id = fields.Many2one(
        "product.product",
        string="Collection costs product",
        help="Product of the lines of the fee invoices (collection costs and interest).",
    )
    ar_fee_min_amount = fields.Monetary(
        string="Smallest fee invoice",
        currency_field="currency_id",
        default=5.0,
        help="Collection costs and interest of a customer below this amount are not invoiced "
        "on their own: they accrue (shown on the customer) and go with its next fee invoice, "
        "or at the hand-off to an agency. A fee invoice below it never climbs the ladder by "
        "itself, only with the customer's other invoices.",
    )
    ar_fee_journal_id = fields.Many2one(
        "account.journal",
        string="Fee journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales journal of the fee invoices; empty: the default sales journal.",
    )
    ar_interest_regime = fields.Selection(
        [("nl", "Dutch"), ("be", "Belgian")],
        string="Collection law",
        default=lambda self: "be" if self.env.company.country_id.code == "BE" else "nl",
        help="The law of the company's claims: which collection costs and statutory interest "
        "apply to businesses (Dutch: WIK and handelsrente, compounded yearly; Belgian: €40 and "
        "the commercial rate). Consumers in the Netherlands or Belgium get the rules of their "
        "own country, others the company's.",
    )

    def write(self, vals):
        if "ar_costs_b2b_fixed" in vals:
            try:
                amount = float(vals["ar_costs_b2b_fixed"] or 0.0)
            except (TypeError, ValueError):
                amount = math.nan
            if not math.isfinite(amount):
                raise ValidationError(
                    self.env._("Fixed collection costs for businesses: give an amount.")
                )
        return super().write(vals)

    @api.constrains("ar_costs_b2b", "ar_costs_b2b_fixed")
    def _check_ar_costs_b2b_fixed(self):
        for company in self:
            amount = company.ar_costs_b2b_fixed
            if (
                not math.isfinite(amount)
                or not 0 <= amount <= MAX_FIXED_COSTS
                or (company.ar_costs_b2b == "fixed" and not amount)
            ):
                raise ValidationError(
                    self.env._(
                        "Fixed collection costs for businesses: give a positive amount per "
                        "invoice, at most 10,000."
                    )
                )

    @api.constrains("ar_fee_min_amount")
    def _check_ar_fee_min_amount(self):
        for company in self:
            amount = company.ar_fee_min_amount
            if not math.isfinite(amount) or not 0 <= amount <= MAX_FIXED_COSTS:
                raise ValidationError(
                    self.env._(
                        "The smallest fee invoice must be an amount from 0 to 10,000 (0: every "
                        "fee is invoiced)."
                    )
                )

    @api.constrains(
        "ar_plan_max_instalments",
        "ar_plan_start_days",
        "ar_promise_horizon_days",
        "ar_statement_link_days",
        "ar_reply_pause_days",
        "ar_bank_feed_days",
    )
    def _check_ar_portal_windows(self):
        # bounded, so that no instalment or promise date leaves the calendar
        for company in self:
            if not 1 <= company.ar_plan_max_instalments <= 120:
                raise ValidationError(
                    self.env._("A payment plan may have between 1 and 120 instalments.")
                )
            if not 0 <= company.ar_plan_start_days <= 366:
                raise ValidationError(
                    self.env._("The first instalment must be within 0 to 366 days.")
                )
            if not 0 <= company.ar_promise_horizon_days <= 366:
                raise ValidationError(self.env._("Promises to pay must be within 0 to 366 days."))
            if not 1 <= company.ar_statement_link_days <= 366:
                raise ValidationError(
                    self.env._("Statement links must be valid for 1 to 366 days.")
                )
            if not 0 <= company.ar_bank_feed_days <= 60:
                raise ValidationError(
                    self.env._("Bank statements are current within 0 to 60 working days.")
                )
            if not 0 <= company.ar_reply_pause_days <= 30:
                raise ValidationError(
                    self.env._("A reply pauses the follow-up 0 to 30 working days.")
                )

    def _ar_dispute_response_days(self, reason):
        """Days to answer a dispute of ``reason``: the company's ``ar_dispute_days_<reason>``."""
        self.ensure_one()
        fname = f"ar_dispute_days_{reason}"
        return self[fname] if reason and fname in self._fields else self.ar_dispute_days_other

    def _ar_lang(self):
        """The language the follow-up writes in for the company's users (history notes,
        hold reasons, run logs, chatter): the company's, else the current one."""
        self.ensure_one()
        return self.partner_id.lang or self.env.lang or "en_US"

    def _ar_credit_manager(self):
        """The first credit-control manager of the company (then accounting administrator,
        then the administrator): who gets escalations, reviews and unassigned calls."""
        self.ensure_one()
        Users = self.env["res.users"].sudo()
        root = self.env.ref("base.user_root")
        for xmlid in ("ar_followup.group_ar_manager", "account.group_account_manager"):
            group = self.env.ref(xmlid, raise_if_not_found=False)
            user = group and Users.search(
                [
                    ("groups_id", "in", group.id),
                    ("share", "=", False),
                    ("company_ids", "in", self.id),
                    ("id", "!=", root.id),
                ],
                order="id",
                limit=1,
            )
            if user:
                return user
        return self.env.ref("base.user_admin")

    def _ar_followup_contact(self, partner):
        """Who ``partner`` contacts about its follow-up, as printed on its letters and
        statements (paper has no "reply to this e-mail"): ``{'collector': res.users, 'name',
        'phone', 'email'}``, the company's phone and e-mail, else the collector's."""
        self.ensure_one()
        collector = self.env["ar.customer.account"]._ar_collector(partner, self)
        return {
            "collector": collector,
            "name": collector.name or self.env._("Credit control"),
            "phone": self.phone or collector.phone or "",
            "email": self.email or collector.email or "",
        }

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._ar_ensure_default_policy()
        return companies

    @api.model
    def _ar_ensure_default_policy_all(self):
        self.sudo().search([])._ar_ensure_default_policy()  # pylint: disable=no-search-all

    def _ar_ensure_default_policy(self):
        """Create the default policy (with the default levels) of the companies lacking one."""
        Policy = self.env["ar.followup.policy"].sudo()
        for company in self.sudo().filtered(lambda c: not c.ar_default_policy_id):
            company.ar_default_policy_id = Policy._create_default_policy(company)

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _ar_followup_demo_data(self, company_ids):
        """The demo data of demo/ar_followup_demo.xml (ar_followup/demo/generator.py)."""
        generator.generate(self.env, company_ids)
