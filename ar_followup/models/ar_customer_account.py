# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's account in a company: one record per commercial partner and company,
created when first needed, that holds the follow-up state (policy, level, next date, pause,
responsible) and the credit decision's data (hold, credit policy, insured limit, review date;
the sale bridge adds the prepayment). Plain columns, so that the run, the credit check and
the bridges read them with plain SQL and the ORM, and the access layer decides who changes
them: billing users read, credit-control managers write, a record rule per company. The hold
(and the sale bridge's prepayment) changes only through its methods, which log it in the
follow-up history and the chatter.

The partner shows the current company's account through fields of the same names as before
(``ar_`` + the account's field, see :func:`account_field`): readable, searchable, sortable and
groupable as the company-dependent fields they replace were."""

from collections import namedtuple

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_company import CREDIT_POLICIES

# What a billing user sets on a customer's follow-up (the partner form, as before the
# account): written for it; the credit data are the credit-control manager's (the account's
# access rights).
FOLLOWUP_FIELDS = {"followup_policy_id", "followup_responsible_id", "followup_paused_until"}
# What the follow-up keeps itself: written by the system only.
SYSTEM_FIELDS = {"followup_level_id", "next_followup_date", "credit_review_notified"}

# A customer measure (the hold; the sale bridge's prepayment): how a user's write sets and
# lifts it, and its own fields (see ArCustomerAccount._ar_measures).
Measure = namedtuple("Measure", "set lift fields")

CONTACT_ISSUES = [
    ("no_email", "No e-mail address for reminders"),
    ("no_phone", "No phone number for the call"),
]

HOLD_ORIGINS = [
    ("followup", "Follow-up level"),
    ("manual", "By hand"),
    ("collection", "Collection case"),
]


def account_field(field_class, name, **kwargs):
    """A field of the partner that shows (and, unless read-only, writes) the field ``name``
    of the partner's account in the current company; the partner's field is ``ar_`` +
    ``name``. Writing goes through the account's access rights (:meth:`ResPartner.
    _ar_write_account_field`), searching, sorting and grouping through one SQL expression
    (:meth:`ResPartner._field_to_sql`)."""

    def inverse(partners):
        partners.env["ar.customer.account"]._ar_write_from_partners(partners, name)

    def search(partners, operator, value):
        return partners.env["ar.customer.account"]._ar_partner_domain("ar_" + name, operator, value)

    return field_class(
        compute="_compute_ar_account_fields",
        inverse=inverse,
        search=search,
        ar_account_field=name,
        **kwargs,
    )


class ArCustomerAccount(models.Model):
    _name = "ar.customer.account"
    _description = "Customer account"
    _rec_name = "partner_id"
    _order = "company_id, partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The commercial partner (the company, or the person without a company).",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)

    # -- follow-up ---------------------------------------------------------------------
    followup_policy_id = fields.Many2one(
        "ar.followup.policy",
        string="Follow-up policy",
        check_company=True,
        help="Ladder of follow-up levels for this customer; empty: the company's default policy.",
    )
    followup_level_id = fields.Many2one(
        "ar.followup.level",
        string="Follow-up level",
        readonly=True,
        copy=False,
        check_company=True,
        index="btree_not_null",
        help="The highest follow-up level reached by the customer's open invoices.",
    )
    next_followup_date = fields.Date(
        string="Next follow-up",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Earliest date at which one of the customer's open invoices reaches its next level.",
    )
    followup_responsible_id = fields.Many2one(
        "res.users",
        string="Follow-up responsible",
        index="btree_not_null",
        help="Account manager who gets the follow-up call activities; empty: the salesperson.",
    )
    followup_paused_until = fields.Date(
        string="Follow-up paused until",
        help="No reminder goes to this customer up to and including this date.",
    )

    # -- credit ------------------------------------------------------------------------
    credit_hold = fields.Boolean(
        string="On credit hold",
        readonly=True,
        index="btree_not_null",
        help="Set when the customer reaches a follow-up level that puts it on hold, by hand or "
        "by a collection case; changed only through the hold and release actions.",
    )
    credit_hold_reason = fields.Char(string="Credit hold reason", readonly=True)
    credit_hold_date = fields.Date(string="On hold since", readonly=True)
    credit_hold_origin = fields.Selection(
        HOLD_ORIGINS,
        string="Hold set by",
        readonly=True,
        help="A hold set by the follow-up lifts itself when nothing is overdue any more; a hold "
        "set by hand is lifted by hand.",
    )
    credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit limit policy",
        help="What the credit limit does for this customer; empty: the company's policy.",
    )
    credit_rating = fields.Char(
        string="Credit rating", help="Rating from the credit agency, as given."
    )
    credit_rating_date = fields.Date(string="Rating date")
    credit_rating_source = fields.Char(
        string="Rating source", help="Who gave the rating, e.g. the credit agency or insurer."
    )
    insured_limit = fields.Float(
        string="Insured limit",
        digits="Account",
        help="Amount covered by the credit insurance for this customer, in company currency.",
    )
    credit_review_date = fields.Date(
        string="Next credit review",
        index="btree_not_null",
        help="On this date the credit-control manager gets an activity to review the credit limit.",
    )
    credit_review_notified = fields.Date(
        string="Review notified for",
        readonly=True,
        copy=False,
        help="Review date for which the review activity was created (so it is created once).",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one account per company.",
        ),
    ]

    @api.constrains("insured_limit")
    def _check_insured_limit(self):
        for account in self:
            if account.insured_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The insured limit of %(partner)s cannot be negative.",
                        partner=account.partner_id.display_name,
                    )
                )

    @api.constrains("followup_responsible_id")
    def _check_responsible(self):
        for account in self:
            if account.followup_responsible_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an internal user: the follow-up responsible gets the "
                        "calls and to-dos of %(partner)s.",
                        user=account.followup_responsible_id.name,
                        partner=account.partner_id.display_name,
                    )
                )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for account in self:
            if account.partner_id != account.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The account of %(contact)s is that of %(company)s.",
                        contact=account.partner_id.display_name,
                        company=account.partner_id.commercial_partner_id.display_name,
                    )
                )

    # -- the customer measures: changed through their methods only ----------------------

    def _ar_measures(self):
        """``{flag: Measure}``: the customer measures, each with the logged method that a
        write by a user turns its flag into (``set(accounts, values, reason, date)``,
        ``lift(accounts, reason, date)``) and the fields that are its own, which only those
        methods write; the sale bridge adds the prepayment."""
        return {
            "credit_hold": Measure(
                lambda accounts, _vals, reason, date: accounts._ar_set_credit_hold(reason, date),
                lambda accounts, reason, date: accounts._ar_release_credit_hold(reason, date),
                {"credit_hold", "credit_hold_reason", "credit_hold_date", "credit_hold_origin"},
            ),
        }

    def _ar_measure_fields(self):
        """The fields of all the measures."""
        return set().union(*(measure.fields for measure in self._ar_measures().values()))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            if any(SYSTEM_FIELDS.intersection(vals) for vals in vals_list):
                raise UserError(
                    self.env._(
                        "The follow-up level, the next follow-up date and the review notice are "
                        "kept by the follow-up itself."
                    )
                )
            for vals in vals_list:
                measures = self._ar_measure_fields().intersection(vals)
                if any(vals[fname] for fname in measures):
                    # a new account starts without measures: they are set by their methods
                    raise ValidationError(
                        self.env._(
                            "A credit hold or prepayment is set with its action on the customer, "
                            "not when its account is created."
                        )
                    )
        accounts = super().create(vals_list)
        self._ar_invalidate_partners()
        return accounts

    def write(self, vals):
        for fname in ("partner_id", "company_id"):
            if fname in vals and any(account[fname].id != vals[fname] for account in self):
                # an account is its customer's in its company for good (a merge of partners
                # moves it in SQL)
                raise UserError(
                    self.env._("The customer and the company of an account do not change.")
                )
        if not self.env.su and SYSTEM_FIELDS.intersection(vals):
            raise UserError(
                self.env._(
                    "The follow-up level, the next follow-up date and the review notice are "
                    "kept by the follow-up itself."
                )
            )
        if not self.env.su and self._ar_measure_fields().intersection(vals):
            vals = self._ar_write_measures(vals)
            if not vals:
                return True
        ratings = (
            {account: account.credit_rating for account in self} if "credit_rating" in vals else {}
        )
        result = super().write(vals)
        self._ar_invalidate_partners()
        self._ar_log_ratings(ratings)
        return result

    def _ar_log_ratings(self, before):
        """A change of the credit rating noted in its customer's chatter (``before``:
        ``{account: the rating it had}``), as the rating on the partner was tracked."""
        for account, old in before.items():
            if account.credit_rating == old:
                continue
            new = account.credit_rating

            def text(env, account=account, old=old, new=new):
                return env._(
                    "Credit rating in %(company)s: %(old)s → %(new)s",
                    company=account.company_id.name,
                    old=old or "–",
                    new=new or "–",
                )

            body = Markup("<p>%s</p>") % self._ar_one_language_text(text)
            account.partner_id.sudo()._message_log(body=body)

    def _ar_change_measure(
        self, values, channel, text, date, note, level=None, run=None, moves=None
    ):
        """The one path by which a customer measure (the hold; the sale bridge's prepayment)
        is set or lifted on the accounts: ``values`` written, a
        chatter note ``text(env)`` (in one language, :meth:`_ar_one_language_text`)
        on each customer, and a history line ``channel`` each with ``note`` (a text, or a
        function of an environment for a text of the system), ``level``, the invoices of
        ``moves`` (``{partner id: invoices}``) and ``run``. Returns the history values when
        given a run (recorded with the run's), else records them and returns ``[]``."""
        if not self:
            return []
        accounts = self.sudo()
        accounts.write(values)
        partners = accounts.partner_id
        body = Markup("<p>%s</p>") % self._ar_one_language_text(text)
        partners._message_log_batch(bodies=dict.fromkeys(partners.ids, body))
        History = self.env["ar.followup.history"]
        history = [
            History._ar_line(
                account.partner_id,
                channel,
                date,
                company=account.company_id,
                level=level,
                moves=moves.get(account.partner_id.id, ()) if moves else (),
                run=run,
                note=note,
            )
            for account in accounts
        ]
        if run is None:
            History._ar_record(history)
            return []
        return history

    def _ar_write_measures(self, vals):
        """A user (the form, RPC) sets or lifts a measure: its logged method, once the access
        layer has said the user may write accounts at all. Returns the other values."""
        self.check_access("write")
        vals = {
            fname: self._fields[fname].convert_to_write(
                self._fields[fname].convert_to_cache(value, self), self
            )
            if fname in self._ar_measure_fields()
            else value
            for fname, value in vals.items()
        }
        measures = self._ar_measures()
        flags = set(measures).intersection(vals)
        asked = self._ar_measure_fields().intersection(vals)
        if not flags and asked and not any(self._fields[fname].readonly for fname in asked):
            # what a measure in force asks (the share of a prepayment) changed alone, as the
            # form sends it: the measure set again with it
            flags = {
                flag
                for flag, measure in measures.items()
                if asked & measure.fields and self and all(self.sudo().mapped(flag))
            }
            vals = {**vals, **dict.fromkeys(flags, True)}
        if not flags:
            raise UserError(
                self.env._(
                    "A credit hold or prepayment is set or lifted as a whole, with its action "
                    "on the customer."
                )
            )
        default = self._ar_by_user()
        today = fields.Date.context_today(self)
        for fname in flags:
            set_measure, lift_measure, _fields = measures[fname]
            reason = vals.get(f"{fname}_reason") or default  # the hold's, given with it
            for company, accounts in self.sudo().grouped("company_id").items():
                accounts = accounts.with_company(company)
                if vals[fname]:
                    set_measure(accounts, vals, reason, today)
                else:
                    lift_measure(accounts, reason, today)
        return {k: v for k, v in vals.items() if k not in self._ar_measure_fields()}

    @api.model
    def _ar_by_user(self):
        """The reason of a measure a user changes without giving one: "by <user>", a text of
        the system (its history line is in every language, see :meth:`_ar_change_measure`)."""
        name = self.env.user.name

        def by_user(env):
            return env._("by %(user)s", user=name)

        return by_user

    @api.model
    def _ar_one_language_text(self, render):
        """A text of the system (``render(env)``) for what has one language only (the
        customer's hold reason, a chatter note): the language of the user who acts; for the
        system itself (the scheduled run), the company's."""
        lang = self.env.lang
        if self.env.uid == SUPERUSER_ID or not lang:
            lang = self.env.company.partner_id.lang or lang or "en_US"
        return render(self.with_context(lang=lang).env)

    def _ar_invalidate_partners(self):
        """The partners' fields of the accounts are computed: forget them."""
        Partner = self.env["res.partner"]
        Partner.invalidate_model(["ar_account_id", *Partner._ar_account_fields()])

    @api.model
    def _ar_get(self, partners, company, create=True, fnames=()):
        """``{commercial partner id: account}`` of ``partners``'s commercial partners in
        ``company`` (sudo), the missing ones created when ``create``, with ``fnames`` read
        in the same query."""
        Account = self.sudo().with_company(company)
        commercial_ids = set(partners._origin.commercial_partner_id.ids)
        if not commercial_ids:
            return {}
        accounts = {
            account.partner_id.id: account
            for account in Account.search_fetch(
                [("partner_id", "in", list(commercial_ids)), ("company_id", "=", company.id)],
                ["partner_id", *fnames],
            )
        }
        missing = commercial_ids - set(accounts)
        if create and missing:
            created = Account.create(
                [{"partner_id": pid, "company_id": company.id} for pid in sorted(missing)]
            )
            accounts.update((account.partner_id.id, account) for account in created)
        return accounts

    @api.model
    def _ar_of(self, partners):
        """The accounts (sudo) of ``partners``'s commercial partners in their company,
        created when missing: for the logged methods that change them."""
        accounts = self._ar_get(partners, partners.env.company)
        return self.sudo().browse(account.id for account in accounts.values())
