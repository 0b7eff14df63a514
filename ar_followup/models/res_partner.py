# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import operator
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, format_date, formatLang
from odoo.tools.translate import LazyTranslate

from ..tools import ArFormatter
from .res_company import CREDIT_POLICIES

_lt = LazyTranslate(__name__)

# The aging buckets of the statement: (key, label, last day overdue; None = no limit).
AGING_BUCKETS = [
    ("not_due", _lt("Not due"), 0),
    ("d1_30", _lt("1-30 days"), 30),
    ("d31_60", _lt("31-60 days"), 60),
    ("d61_90", _lt("61-90 days"), 90),
    ("over_90", _lt("Over 90 days"), None),
]

# Like Odoo's own credit fields: for the accounting users only, never for portal users.
ACCOUNT_GROUPS = "account.group_account_invoice,account.group_account_readonly"

# Fields only a credit-control manager may change (a billing user sees them read-only).
CREDIT_MANAGER_FIELDS = {
    "credit_limit",
    "ar_credit_policy",
    "ar_credit_hold",
    "ar_credit_hold_reason",
    "ar_credit_hold_date",
    "ar_credit_hold_origin",
    "ar_credit_rating",
    "ar_credit_rating_date",
    "ar_credit_rating_source",
    "ar_insured_limit",
    "ar_credit_review_date",
}

# Writing these changes whose credit data a partner has (its commercial partner).
STRUCTURE_FIELDS = {"parent_id", "is_company"}

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

    ar_followup_policy_id = fields.Many2one(
        "ar.followup.policy",
        string="Follow-up policy",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Ladder of follow-up levels for this customer; empty: the company's default policy.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_level_id = fields.Many2one(
        "ar.followup.level",
        string="Follow-up level",
        company_dependent=True,
        readonly=True,
        help="The highest follow-up level reached by the customer's open invoices.",
        groups=ACCOUNT_GROUPS,
    )
    ar_next_followup_date = fields.Date(
        string="Next follow-up",
        company_dependent=True,
        readonly=True,
        help="Earliest date at which one of the customer's open invoices reaches its next level.",
        groups=ACCOUNT_GROUPS,
    )
    ar_followup_responsible_id = fields.Many2one(
        "res.users",
        string="Follow-up responsible",
        company_dependent=True,
        help="Account manager who gets the follow-up call activities; empty: the salesperson.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_hold = fields.Boolean(
        string="On credit hold",
        company_dependent=True,
        readonly=True,
        help="Set when the customer reaches a follow-up level that puts it on hold.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_hold_reason = fields.Char(
        string="Credit hold reason",
        company_dependent=True,
        readonly=True,
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_hold_date = fields.Date(
        string="On hold since",
        company_dependent=True,
        readonly=True,
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_hold_origin = fields.Selection(
        [("followup", "Follow-up level"), ("manual", "By hand")],
        string="Hold set by",
        company_dependent=True,
        readonly=True,
        help="A hold set by the follow-up lifts itself when nothing is overdue any more; a hold "
        "set by hand is lifted by hand.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit limit policy",
        company_dependent=True,
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
        help="Open posted receivables, plus draft customer invoices, plus what is still to be "
        "invoiced (sales orders), in company currency.",
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
    ar_insured_limit = fields.Float(
        string="Insured limit",
        company_dependent=True,
        digits="Account",
        help="Amount covered by the credit insurance for this customer, in company currency.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_review_date = fields.Date(
        string="Next credit review",
        company_dependent=True,
        help="On this date the credit-control manager gets an activity to review the credit limit.",
        groups=ACCOUNT_GROUPS,
    )
    ar_credit_review_notified = fields.Date(
        company_dependent=True,
        readonly=True,
        help="Review date for which the review activity was created (so it is created once).",
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
    ar_can_edit_credit = fields.Boolean(compute="_compute_ar_can_edit_credit")
    ar_dispute_count = fields.Integer(
        string="Disputes", compute="_compute_ar_dispute_count", groups=ACCOUNT_GROUPS
    )
    ar_followup_paused_until = fields.Date(
        string="Follow-up paused until",
        company_dependent=True,
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
        help="Open amount, in company currency, of the receivable items past their due date.",
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

    def _ar_date(self):
        return fields.Date.to_date(self.env.context.get("ar_followup_date")) or (
            fields.Date.context_today(self)
        )

    @api.depends_context("company")
    def _compute_ar_company_currency_id(self):
        self.ar_company_currency_id = self.env.company.currency_id

    # what the open items read of the journal items, flushed before each query
    OPEN_ITEM_LINE_FIELDS = (
        "account_id",
        "amount_residual",
        "amount_residual_currency",
        "company_id",
        "currency_id",
        "date",
        "date_maturity",
        "move_id",
        "parent_state",
        "partner_id",
        "reconciled",
    )

    @api.model
    def _ar_open_items_query(self, company, partner_ids=None):
        """The one definition of a customer's open items, as SQL: every posted journal item
        of ``company`` on a receivable account that is not fully matched yet (invoices,
        credit notes, payments not matched, other receivable entries), with its commercial
        partner and its due date, the line's due date or, where it has none, its date.

        Columns: ``line_id``, ``move_id``, ``partner_id``, ``currency_id``, ``date``, ``due``,
        ``residual`` (company currency, signed: credits negative), ``residual_currency``.
        The partners' amounts due and overdue, the open items of their tab, their statement,
        the collector worklist read it; the aging as of a date (:meth:`ar.kpi.aging`) uses
        the same lines and due date with the matchings at that date.
        """
        return SQL(
            """
            SELECT l.id AS line_id, l.move_id, p.commercial_partner_id AS partner_id,
                   l.currency_id, l.date, COALESCE(l.date_maturity, l.date) AS due,
                   l.amount_residual AS residual,
                   l.amount_residual_currency AS residual_currency
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND NOT l.reconciled
               %(partner_filter)s
            """,
            company=company.id,
            partner_filter=SQL("AND p.commercial_partner_id IN %s", tuple(partner_ids) or (0,))
            if partner_ids is not None
            else SQL(),
        )

    @api.model
    def _ar_flush_open_items(self):
        self.env["account.move.line"].flush_model(self.OPEN_ITEM_LINE_FIELDS)
        self.flush_model(["commercial_partner_id"])

    @api.model
    def _ar_receivable_query(self, date, company, partner_ids=None):
        """One query over :meth:`_ar_open_items_query`: per commercial partner, the open
        receivable balance, the overdue open amount (the debit items due before ``date``),
        the oldest overdue days at ``date`` and the open credits (credit notes, payments and
        other credit items not matched yet, negative), in company currency. Net of its
        credits, a customer owes ``amount_overdue + credits`` overdue."""
        overdue = SQL("o.due < %s AND o.residual > 0", date)
        return SQL(
            """
            WITH o AS (%(items)s)
            SELECT o.partner_id,
                   SUM(o.residual) AS amount_due,
                   COALESCE(SUM(o.residual) FILTER (WHERE %(overdue)s), 0) AS amount_overdue,
                   COALESCE(MAX(%(date)s - o.due) FILTER (WHERE %(overdue)s), 0) AS oldest_days,
                   COALESCE(SUM(o.residual) FILTER (WHERE o.residual < 0), 0) AS credits
              FROM o
             GROUP BY o.partner_id
            """,
            items=self._ar_open_items_query(company, partner_ids),
            overdue=overdue,
            date=date,
        )

    @api.model
    def _ar_receivable_figures(self, date, company, partner_ids=None):
        """``{commercial_partner_id: (amount_due, amount_overdue, oldest_days, credits)}``
        from :meth:`_ar_receivable_query`, after flushing what it reads."""
        self._ar_flush_open_items()
        self.env.cr.execute(self._ar_receivable_query(date, company, partner_ids))
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.depends_context("company", "ar_followup_date")
    def _compute_ar_amounts(self):
        ids = tuple(self._origin.commercial_partner_id.ids)
        figures = self._ar_receivable_figures(self._ar_date(), self.env.company, ids) if ids else {}
        for partner in self:
            due, overdue, days, _credits = figures.get(
                partner._origin.commercial_partner_id.id, (0, 0, 0, 0)
            )
            partner.ar_amount_due = due
            partner.ar_amount_overdue = overdue
            partner.ar_oldest_overdue_days = days

    def _ar_search_amount(self, column, operator_, value):
        if operator_ not in OPERATORS:
            raise UserError(self.env._("Operation not supported: %s", operator_))
        value = value or 0.0
        figures = self._ar_receivable_figures(self._ar_date(), self.env.company)
        index = {"amount_due": 0, "amount_overdue": 1}[column]
        compare = OPERATORS[operator_]
        if compare(0.0, value):
            # partners without open items count as 0 and match: exclude the others
            others = [pid for pid, row in figures.items() if not compare(row[index], value)]
            return [("id", "not in", others)]
        return [("id", "in", [pid for pid, row in figures.items() if compare(row[index], value)])]

    def _search_ar_amount_due(self, operator_, value):
        return self._ar_search_amount("amount_due", operator_, value)

    def _search_ar_amount_overdue(self, operator_, value):
        return self._ar_search_amount("amount_overdue", operator_, value)

    @api.depends_context("company")
    def _compute_ar_open_move_ids(self):
        """The open items of :meth:`_ar_open_items_query` (journal items) and their entries,
        ordered by due date (one query)."""
        ids = tuple(self._origin.commercial_partner_id.ids)
        by_partner = defaultdict(list)
        if ids:
            self._ar_flush_open_items()
            self.env.cr.execute(
                SQL(
                    "SELECT o.partner_id, o.line_id, o.move_id FROM (%s) o"
                    " ORDER BY o.due, o.move_id, o.line_id",
                    self._ar_open_items_query(self.env.company, ids),
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

    def action_ar_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ar_followup.action_ar_dispute")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

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
        """Per commercial partner, the draft customer invoices minus draft credit notes, in
        company currency, for the current company and its branches (one query)."""
        groups = self.env["account.move"]._read_group(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "child_of", self.env.company.root_id.id),
                ("state", "=", "draft"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            ["commercial_partner_id"],
            ["amount_total_signed:sum"],
        )
        return {partner.id: amount for partner, amount in groups}

    @api.depends_context("company")
    def _compute_ar_exposure(self):
        """Exposure = Odoo's ``credit`` (open posted receivables) + draft customer invoices +
        Odoo's ``credit_to_invoice``; a constant number of queries for any number of
        partners."""
        commercial = self.commercial_partner_id.sudo()
        drafts = commercial._ar_draft_invoice_amounts()
        for partner in self:
            main = partner.commercial_partner_id.sudo()
            draft = drafts.get(main.id, 0.0)
            exposure = main.credit + draft + main.credit_to_invoice
            partner.ar_exposure_draft = draft
            partner.ar_exposure = exposure
            partner.ar_available_credit = main.credit_limit - exposure if main.credit_limit else 0.0

    def _ar_followup_policy(self, company=None):
        """The follow-up policy of this customer in ``company`` (default: the current one):
        its own while active and of that company, else the company's default. The one answer
        to "which policy applies", for the run, the preview and the contact check."""
        self.ensure_one()
        company = company or self.env.company
        policy = self.commercial_partner_id.with_company(company).ar_followup_policy_id
        if not policy.active or policy.company_id != company:
            return company.ar_default_policy_id
        return policy

    def _ar_call_levels_reached(self):
        """Partners of ``self`` whose policy has a call level that their oldest overdue item
        has reached."""
        call = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        reached = self.browse()
        for partner in self:
            policy = partner._ar_followup_policy()
            delays = [
                lvl.delay
                for lvl in policy.level_ids
                if lvl.active and lvl.create_activity and lvl.activity_type_id == call
            ]
            if delays and partner.ar_oldest_overdue_days >= min(delays):
                reached |= partner
        return reached

    @api.depends_context("company", "ar_followup_date")
    @api.depends("email", "phone", "mobile", "child_ids.email", "child_ids.phone")
    def _compute_ar_contact_issue(self):
        commercial = self.commercial_partner_id
        calling = commercial._ar_call_levels_reached()
        for partner in self:
            main = partner.commercial_partner_id
            if main.ar_amount_due <= 0 and main.ar_amount_overdue <= 0:
                partner.ar_contact_issue = False
            elif not main.ar_has_followup_email:
                partner.ar_contact_issue = "no_email"
            elif main in calling and not main._ar_phone():
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

    def _ar_collector(self, company=None):
        """Who is responsible for the follow-up of this customer in ``company`` (default: the
        current one): its follow-up responsible, else its salesperson, else the company's
        credit-control manager; only active internal users. The one answer to "who" for
        calls, disputes, payment plans and promises."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id.with_company(company).sudo()
        for user in (partner.ar_followup_responsible_id, partner.user_id):
            if user and user.active and not user.share and company in user.company_ids:
                return user
        return company._ar_credit_manager()

    def _ar_phone(self):
        """The phone number a follow-up call can use: the customer's, else an invoice
        contact's."""
        self.ensure_one()
        contacts = self | self.child_ids.filtered(lambda c: c.type == "invoice")
        return next((c.phone or c.mobile for c in contacts if c.phone or c.mobile), False)

    # ------------------------------------------------------------------
    # Credit checks, holds
    # ------------------------------------------------------------------

    @api.constrains("credit_limit", "ar_insured_limit")
    def _check_ar_credit_amounts(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The credit limit of %(partner)s cannot be negative.",
                        partner=partner.display_name,
                    )
                )
            if partner.ar_insured_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The insured limit of %(partner)s cannot be negative.",
                        partner=partner.display_name,
                    )
                )

    def _ar_check_credit_write_access(self, vals):
        """Credit decisions are the credit-control manager's (DESIGN.md, credit): limits,
        holds and ratings, checked on every partner written, contacts included, before the
        write and as the write would leave them (``parent_id`` and ``is_company`` with the
        credit fields). Credit data belong to the commercial partner: a contact only takes
        the copies Odoo makes of its company's limit. Moving a partner under another company,
        or out of one, is the manager's too when credit data go with it."""
        if self.env.su:
            return  # the hold and release methods, Odoo's own synchronisation of contacts
        manager = self.env.user.has_group("ar_followup.group_ar_manager")
        protected = CREDIT_MANAGER_FIELDS.intersection(vals)
        for partner in self:
            commercial = partner._ar_commercial_after(vals)
            for fname in protected:
                field = self._fields[fname]
                new = field.convert_to_cache(vals[fname], partner)
                if new == field.convert_to_cache(partner[fname], partner):
                    continue
                if commercial != partner:
                    if fname == "credit_limit" and new == field.convert_to_cache(
                        commercial[fname], commercial
                    ):
                        continue  # Odoo copies the company's limit to its contacts
                    raise UserError(
                        self.env._(
                            "The credit data of %(contact)s are those of %(company)s: change "
                            "them on %(company)s.",
                            contact=partner.display_name,
                            company=commercial.display_name,
                        )
                    )
                if not manager:
                    raise AccessError(
                        self.env._(
                            "Only a credit-control manager can change the credit limit, "
                            "credit hold and credit rating of %(partner)s.",
                            partner=partner.display_name,
                        )
                    )
        if manager or not STRUCTURE_FIELDS.intersection(vals):
            return
        moved = self.filtered(lambda p: p._ar_commercial_after(vals) != p.commercial_partner_id)
        if not moved:
            return
        involved = moved | moved.commercial_partner_id
        if vals.get("parent_id"):
            involved |= self.browse(vals["parent_id"]).commercial_partner_id
        with_data = involved._ar_with_credit_data()
        if with_data:
            raise AccessError(
                self.env._(
                    "Only a credit-control manager can move %(partner)s to another company or "
                    "out of one: %(with_data)s has a credit limit, hold or policy.",
                    partner=", ".join(moved.mapped("display_name")),
                    with_data=", ".join(with_data.mapped("display_name")),
                )
            )

    def _ar_commercial_after(self, vals):
        """The commercial partner this partner would have after writing ``vals``."""
        self.ensure_one()
        is_company = vals.get("is_company", self.is_company)
        parent = self.browse(vals["parent_id"]) if "parent_id" in vals else self.parent_id
        if is_company or not parent:
            return self
        return parent.commercial_partner_id

    def _ar_with_credit_data(self):
        """The partners of ``self`` with a credit limit, a credit hold, a credit policy or an
        insured limit in any company (one query over the company-dependent columns)."""
        if not self.ids:
            return self.browse()
        self.flush_model(["credit_limit", "ar_credit_hold", "ar_credit_policy", "ar_insured_limit"])

        def any_value(column, condition):
            return SQL(
                "EXISTS (SELECT 1 FROM jsonb_each_text(COALESCE(%s, '{}'::jsonb)) v WHERE %s)",
                SQL.identifier(column),
                SQL(condition),
            )

        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) AND (%s OR %s OR %s OR %s)",
                self.ids,
                any_value("credit_limit", "v.value::numeric <> 0"),
                any_value("ar_credit_hold", "v.value = 'true'"),
                any_value("ar_credit_policy", "v.value IS NOT NULL"),
                any_value("ar_insured_limit", "v.value::numeric <> 0"),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("ar_followup.group_ar_manager"):
            for vals in vals_list:
                parent = self.browse(vals.get("parent_id")).commercial_partner_id
                for fname in CREDIT_MANAGER_FIELDS:
                    if not vals.get(fname):
                        continue
                    if (
                        parent
                        and not vals.get("is_company")
                        and fname == "credit_limit"
                        and vals[fname] == parent.credit_limit
                    ):
                        continue  # Odoo's copy of the company's limit
                    raise AccessError(
                        self.env._(
                            "Only a credit-control manager can set a credit limit, credit "
                            "hold or credit rating."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        self._ar_check_credit_write_access(vals)
        if "ar_credit_hold" in vals and not self.env.su:
            # a hold changes through the hold and release methods only: logged in the
            # follow-up history and the chatter
            vals = dict(vals)
            hold = bool(vals.pop("ar_credit_hold"))
            reason = vals.pop("ar_credit_hold_reason", False)
            vals.pop("ar_credit_hold_date", None)
            vals.pop("ar_credit_hold_origin", None)
            changing = self.filtered(lambda p: bool(p.ar_credit_hold) != hold)
            default = self.env._("by %(user)s", user=self.env.user.name)
            if hold:
                changing._ar_set_credit_hold(reason or default)
            else:
                changing._ar_release_credit_hold(reason or default)
            if not vals:
                return True
        return super().write(vals)

    def _ar_set_credit_hold(self, reason, origin="manual", level=None, run=None, moves=None):
        """Put the partners on credit hold for the current company, with a history line and a
        chatter note each. Returns the history values (created by the caller when given a
        run, else here)."""
        company = self.env.company
        partners = self.filtered(lambda p: not p.ar_credit_hold)
        if not partners:
            return []
        date = (run.date if run else None) or fields.Date.context_today(self)
        partners.sudo().write(
            {
                "ar_credit_hold": True,
                "ar_credit_hold_reason": reason,
                "ar_credit_hold_date": date,
                "ar_credit_hold_origin": origin,
            }
        )
        body = Markup("<p>%s</p>") % self.env._("Put on credit hold: %(reason)s.", reason=reason)
        partners.sudo()._message_log_batch(bodies=dict.fromkeys(partners.ids, body))
        history = [
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "channel": "hold",
                "date": date,
                "level_id": level.id if level else False,
                "run_id": run.id if run else False,
                "note": reason,
                "move_ids": tuple(moves.get(partner.id, ()) if moves else ()),
            }
            for partner in partners
        ]
        if run is None:
            self.env["ar.followup.history"].sudo().create(history)
            return []
        return history

    def _ar_release_credit_hold(self, reason, date=None):
        """Lift the credit hold of the partners for the current company (history dated
        ``date``, default today)."""
        company = self.env.company
        partners = self.filtered("ar_credit_hold")
        if not partners:
            return self.browse()
        partners.sudo().write(
            {
                "ar_credit_hold": False,
                "ar_credit_hold_reason": False,
                "ar_credit_hold_date": False,
                "ar_credit_hold_origin": False,
            }
        )
        body = Markup("<p>%s</p>") % self.env._("Credit hold lifted: %(reason)s.", reason=reason)
        partners.sudo()._message_log_batch(bodies=dict.fromkeys(partners.ids, body))
        self.env["ar.followup.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "channel": "release",
                    "date": date or fields.Date.context_today(self),
                    "note": reason,
                }
                for partner in partners
            ]
        )
        return partners

    @api.model
    def _ar_release_settled_holds(self, partner_ids=None, date=None):
        """Lift the follow-up holds (not the ones set by hand) of the current company's
        partners that have nothing overdue any more at ``date`` (default today), net of their
        open credits."""
        date = date or fields.Date.context_today(self)
        if partner_ids is not None and not partner_ids:
            return self.browse()
        company = self.env.company
        key = str(company.id)
        self.flush_model(["ar_credit_hold", "ar_credit_hold_origin"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE (ar_credit_hold ->> %(key)s)::boolean
                   AND ar_credit_hold_origin ->> %(key)s = 'followup'
                   %(scope)s
                """,
                key=key,
                scope=SQL("AND id IN %s", tuple(partner_ids)) if partner_ids else SQL(),
            )
        )
        held = [row[0] for row in self.env.cr.fetchall()]
        if not held:
            return self.browse()
        figures = self._ar_receivable_figures(date, company, held)
        rounding = company.currency_id.rounding
        settled = []
        for pid in held:
            _due, overdue, _days, credits = figures.get(pid, (0.0, 0.0, 0, 0.0))
            if float_compare(overdue + credits, 0.0, precision_rounding=rounding) <= 0:
                settled.append(pid)
        return (
            self.browse(settled)
            .with_company(company)
            ._ar_release_credit_hold(self.env._("nothing is overdue any more"), date=date)
        )

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

    @api.model
    def _cron_credit_review(self):
        """Daily: a 'Review credit limit' activity for the credit-control manager of each
        company, once per review date, for the partners whose review date has come."""
        activity_type = self.env.ref("ar_followup.mail_activity_type_credit_review")
        model_id = self.env["ir.model"]._get_id("res.partner")
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            Partner = self.with_company(company).sudo()
            today = fields.Date.context_today(Partner)
            due = Partner.search([("ar_credit_review_date", "<=", today)])
            due = due.filtered(lambda p: p.ar_credit_review_notified != p.ar_credit_review_date)
            if not due:
                continue
            manager = company._ar_credit_manager()
            self.env["mail.activity"].sudo().create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.with_context(lang=manager.lang).summary,
                        "note": self.env._(
                            "Credit limit %(limit)s, exposure %(exposure)s, review date %(date)s.",
                            limit=formatLang(
                                self.env, partner.credit_limit, currency_obj=company.currency_id
                            ),
                            exposure=formatLang(
                                self.env, partner.ar_exposure, currency_obj=company.currency_id
                            ),
                            date=format_date(self.env, partner.ar_credit_review_date),
                        ),
                        "user_id": manager.id,
                        "date_deadline": today,
                        "automated": True,
                    }
                    for partner in due
                ]
            )
            for review_date in set(due.mapped("ar_credit_review_date")):
                due.filtered(lambda p, d=review_date: p.ar_credit_review_date == d).write(
                    {"ar_credit_review_notified": review_date}
                )

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

    # ------------------------------------------------------------------
    # Statement of open items (reminder e-mails, preview)
    # ------------------------------------------------------------------

    # what a statement line reads of its invoice or credit note
    STATEMENT_MOVE_FIELDS = (
        "commercial_partner_id",
        "move_type",
        "name",
        "invoice_date",
        "invoice_date_due",
        "date",
        "amount_total",
        "amount_residual",
        "currency_id",
        "payment_reference",
        "access_token",
        "ar_is_disputed",
        "ar_in_payment_plan",
        "ar_is_fee_invoice",
        "ar_followup_excluded",
        "company_id",
        "state",
    )

    @api.model
    def _ar_statement_rows(self, partner_ids=None):
        """The rows behind the statements of ``partner_ids`` (commercial partners; ``None``:
        every customer of ``env.company``, in one pass, which a follow-up run does instead of
        a query per batch): ``({partner_id: [invoice row]}, {partner_id: [other row]})``,
        the open items of :meth:`_ar_open_items_query`, ordered as the statement lists them."""
        company = self.env.company
        Move = self.env["account.move"]
        Move.check_access("read")
        Move.flush_model(self.STATEMENT_MOVE_FIELDS)
        self._ar_flush_open_items()
        items = self._ar_open_items_query(company, partner_ids)
        # the invoices and credit notes: one row per open item (an invoice with instalments
        # has one per instalment still open), amounts in the document's currency
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%s)
                SELECT m.id, o.partner_id, m.move_type = 'out_refund', m.name,
                       m.invoice_date, o.due, m.date, m.amount_total, o.residual_currency,
                       o.currency_id, m.payment_reference, m.access_token,
                       m.ar_is_disputed IS TRUE, m.ar_in_payment_plan IS TRUE,
                       m.ar_is_fee_invoice IS TRUE, m.ar_followup_excluded IS TRUE, %s
                  FROM o
                  JOIN account_move m ON m.id = o.move_id
                 WHERE m.move_type IN ('out_invoice', 'out_refund')
                 ORDER BY o.due, m.name, o.line_id
                """,
                items,
                Move._ar_undisputed_ratio_sql(),
            )
        )
        moves = defaultdict(list)
        for row in self.env.cr.fetchall():
            moves[row[1]].append(row)
        # every other open item: payments not matched yet, other receivable entries
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%s)
                SELECT o.partner_id, o.move_id, m.name, m.ref, o.date, o.due, o.currency_id,
                       o.residual, o.residual_currency
                  FROM o
                  JOIN account_move m ON m.id = o.move_id
                 WHERE m.move_type NOT IN ('out_invoice', 'out_refund')
                 ORDER BY o.due, o.line_id
                """,
                items,
            )
        )
        payments = defaultdict(list)
        for row in self.env.cr.fetchall():
            payments[row[0]].append(row)
        return moves, payments

    def _ar_followup_statements(self, date, chased_move_ids=(), rows=None):
        """The open items of the commercial partners in ``self`` for ``env.company`` at
        ``date``, with two queries for all of them (a follow-up run builds the statements of
        thousands of customers: the lines are read as rows, not as records).

        :param rows: the result of :meth:`_ar_statement_rows` for these partners or more
            (a follow-up run reads them once for all its batches); read here when not given
        :returns: ``{partner_id: {'lines': [...], 'totals': [...], 'date', 'company', 'bank'}}``;
            each line has the move (or payment line), its amounts signed from the customer's
            point of view (credits negative), its days overdue and whether it is overdue and
            chased in this run; totals are per currency.
        """
        company = self.env.company
        partner_ids = tuple(self.commercial_partner_id.ids)
        Move = self.env["account.move"]
        statements = {
            pid: {
                "lines": [],
                "totals": [],
                "date": date,
                "company": company,
                "bank": company.partner_id.bank_ids[:1],
            }
            for pid in partner_ids
        }
        if not partner_ids:
            return statements
        if rows is None:
            rows = self._ar_statement_rows(partner_ids)
        move_rows = [row for pid in partner_ids for row in rows[0].get(pid, ())]
        payment_rows = [row for pid in partner_ids for row in rows[1].get(pid, ())]
        missing = [row[0] for row in move_rows if not row[11] and not row[2]]
        tokens = Move._ar_set_missing_portal_tokens(Move.browse(missing)) if missing else {}
        currencies = self.env["res.currency"].browse(
            {row[9] for row in move_rows} | {row[6] for row in payment_rows if row[6]}
        )
        currencies.fetch(["name", "rounding", "decimal_places", "symbol", "position"])
        chased = set(chased_move_ids)
        base_url = Move.get_base_url()
        totals = defaultdict(lambda: {"open": 0.0, "overdue": 0.0})

        def add(pid, line):
            statements[pid]["lines"].append(line)
            total = totals[pid, line["currency"]]
            total["open"] += line["amount_residual"]
            if line["overdue"]:
                total["overdue"] += line["amount_residual"] - line["amount_disputed"]

        for (
            move_id,
            partner_id,
            refund,
            name,
            invoice_date,
            due,
            move_date,
            amount_total,
            amount_residual,
            currency_id,
            payment_reference,
            token,
            disputed,
            planned,
            fee,
            excluded,
            undisputed,
        ) in move_rows:
            sign = -1 if refund else 1
            days = (date - due).days
            token = token or tokens.get(move_id)
            add(
                partner_id,
                {
                    "move": Move.browse(move_id),
                    "kind": "credit_note" if refund else "invoice",
                    "fee": fee,
                    "number": name,
                    "date": invoice_date or move_date,
                    "due_date": due,
                    "days_overdue": max(days, 0) if not refund else 0,
                    # a dispute covers its amount, not the whole invoice: the rest is overdue
                    "overdue": not refund and days > 0 and float(undisputed) > 0 and not planned,
                    "amount_disputed": float(amount_residual) * (1 - float(undisputed))
                    if disputed
                    else 0.0,
                    "chased": move_id in chased,
                    "excluded": excluded,
                    "disputed": disputed,
                    "planned": planned,
                    "amount_total": sign * float(amount_total),
                    "amount_residual": float(amount_residual),
                    "currency": currencies.browse(currency_id),
                    "payment_reference": payment_reference or name,
                    "portal_url": False
                    if refund
                    else f"{base_url}/my/invoices/{move_id}?access_token={token}",
                },
            )
        for (
            partner_id,
            move_id,
            name,
            ref,
            line_date,
            due,
            currency_id,
            residual,
            residual_currency,
        ) in payment_rows:
            currency = currencies.browse(currency_id) if currency_id else company.currency_id
            debit = residual > 0  # an other receivable item the customer owes, due as dated
            residual = float(residual_currency if currency_id else residual)
            days = max((date - due).days, 0) if debit else 0
            add(
                partner_id,
                {
                    "move": Move.browse(move_id),
                    "kind": "entry" if debit else "payment",
                    "number": name,
                    "date": line_date,
                    "due_date": due,
                    "days_overdue": days,
                    "overdue": days > 0,
                    "chased": False,
                    "excluded": False,
                    "fee": False,
                    "disputed": False,
                    "amount_disputed": 0.0,
                    "planned": False,
                    "amount_total": residual,
                    "amount_residual": residual,
                    "currency": currency,
                    "payment_reference": ref or name,
                    "portal_url": False,
                },
            )
        for (pid, currency), total in sorted(
            totals.items(), key=lambda kv: (kv[0][0], kv[0][1].name)
        ):
            statements[pid]["totals"].append({"currency": currency, **total})
        for statement in statements.values():
            statement["aging"] = self._ar_aging_buckets(statement["lines"])
        return statements

    @api.model
    def _ar_aging_buckets(self, lines):
        """Open amounts per currency in the buckets of :data:`AGING_BUCKETS` (credits and
        payments in 'not due', as :meth:`ar.kpi.aging` has them)."""
        aging = {}
        for line in lines:
            row = aging.setdefault(
                line["currency"], dict.fromkeys([key for key, _label, _max in AGING_BUCKETS], 0.0)
            )
            days = line["days_overdue"] if line["amount_residual"] > 0 else 0
            key = next(
                key for key, _label, limit in AGING_BUCKETS if limit is None or days <= limit
            )
            row[key] += line["amount_residual"]
        return [
            {"currency": currency, "buckets": row, "total": sum(row.values())}
            for currency, row in sorted(aging.items(), key=lambda kv: kv[0].name)
        ]

    def _ar_followup_statement(self):
        """The statement of this customer, for the reminder templates: the one computed by the
        running follow-up for its whole batch, else computed now."""
        self.ensure_one()
        partner = self.commercial_partner_id
        statements = self.env.context.get("ar_followup_statements") or {}
        if partner.id in statements:
            return statements[partner.id]
        return partner._ar_followup_statements(self._ar_date())[partner.id]

    def _ar_collection_costs_preview(self):
        """The collection costs the 14-day letter announces, in company currency: those of
        the claim the letter makes (its overdue invoices not charged before, not the fee
        invoices), by the customer's rule, as the run charges them after its term."""
        self.ensure_one()
        return self._ar_rendering_run()._ar_claim_preview(self)[0]

    def _ar_be_consumer_notice(self):
        """For the first reminder of a Belgian consumer: the damages and the interest rate
        that follow its 14-day period (``False`` for other customers)."""
        self.ensure_one()
        return self._ar_rendering_run()._ar_be_consumer_notice(self)

    def _ar_costs_basis(self):
        """On which basis the 14-day letter announces costs to this customer: 'nl_wik' (the
        Dutch scale), 'be_consumer' (Book XIX CEL), 'flat' (a fixed sum per invoice for
        businesses) or ``False`` (the company charges businesses none)."""
        self.ensure_one()
        company = self.env.company
        rule = self.env["ar.fee"]._rule(self.commercial_partner_id, company)
        if rule.costs in ("nl_wik", "be_consumer"):
            return rule.costs
        if company.ar_costs_b2b == "none":
            return False
        return "nl_wik" if rule.law == "nl" and company.ar_costs_b2b == "wik" else "flat"

    def _ar_rendering_run(self):
        """The follow-up run (not stored) whose rules a template applies: the company's, at
        the date the reminder is rendered for."""
        date = self.env.context.get("ar_followup_date") or fields.Date.context_today(self)
        return (
            self.env["ar.followup.run"]
            .sudo()
            .new({"company_id": self.env.company.id, "date": date})
        )

    @api.model
    def _ar_formatter(self):
        """Amounts and dates in the language of the rendering (the reminders' open items).

        A follow-up run renders thousands of reminders: it passes a dict in the context
        (``ar_followup_formatters``) that keeps one formatter per language for its batch.
        """
        formatters = self.env.context.get("ar_followup_formatters")
        if formatters is None:
            return ArFormatter(self.env)
        lang = self.env.lang
        if lang not in formatters:
            formatters[lang] = ArFormatter(self.env)
        return formatters[lang]

    def _ar_portal_url(self):
        """Where the customer sees its statement and pays its invoices."""
        self.ensure_one()
        return self.get_base_url() + "/my/statement"

    @api.model
    def _ar_aging_labels(self):
        return [(key, label._translate(self.env.lang)) for key, label, _limit in AGING_BUCKETS]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_ar_send_reminder(self):
        """'Send reminder now': the follow-up run, with the same rules, for these customers."""
        run = self.env["ar.followup.run"].process(partners=self)
        return self._ar_run_notification(run)

    def action_ar_send_next_reminder(self):
        """'Send the next reminder' (several customers at once, from the list): the overdue
        invoices of these customers move to their next level now, without waiting for its
        delay; one reminder a customer a day, never a milder one, never on a reminder that was
        not delivered yet."""
        run = self.env["ar.followup.run"].process(partners=self, force=True)
        return self._ar_run_notification(run)

    def _ar_run_notification(self, run):
        """What a run by hand did, as it is: e-mails are queued (the history shows when they
        are sent or why not), letters wait to be printed. A run by hand that did nothing
        leaves no run behind."""
        if run.email_count or run.letter_count or run.activity_count or run.hold_count:
            message = self.env._(
                "%(emails)s reminder e-mail(s) queued for sending (their delivery shows in the "
                "follow-up history), %(letters)s letter(s) to print, %(activities)s "
                "activity(ies) scheduled, %(holds)s credit hold(s), %(skips)s skipped.",
                emails=run.email_count,
                letters=run.letter_count,
                activities=run.activity_count,
                holds=run.hold_count,
                skips=run.skip_count,
            )
            kind = "success"
        else:
            message = self.env._(
                "Nothing to send today: no open invoice of these customers has reached its next "
                "follow-up level, a reminder was already sent today or is still on its way, or "
                "the follow-up is paused."
            )
            kind = "info"
            if not run.history_ids and run.scope == "partner":
                run.sudo().unlink()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Follow-up"),
                "message": message,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_ar_send_statement(self):
        """Send the statement of open items now, outside the ladder (no level, no costs, no
        legal term): one e-mail a customer with the statement PDF, logged in the follow-up
        history with its delivery state."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users can send statements."))
        self.check_access("read")
        partners = self.commercial_partner_id.with_company(self.env.company)
        template = self.env.ref("ar_followup.mail_template_statement")
        sendable = partners.filtered("ar_has_followup_email")
        mails = self.env["mail.mail"]
        for partner in sendable:
            mails |= mails.browse(template.send_mail(partner.id))
        company = self.env.company
        self.env["ar.followup.history"].sudo().create(
            [
                {
                    "partner_id": mail.res_id,
                    "company_id": company.id,
                    "channel": "statement",
                    "date": fields.Date.context_today(self),
                    "mail_id": mail.id,
                    "message_id": mail.mail_message_id.id,
                    "delivery_state": "queued",
                    "user_id": self.env.uid,
                }
                for mail in mails
            ]
        )
        missing = partners - sendable
        message = self.env._(
            "%(count)s statement(s) queued for sending (their delivery shows in the follow-up "
            "history).",
            count=len(mails),
        )
        if missing:
            message += " " + self.env._(
                "No e-mail address for: %(names)s.",
                names=", ".join(missing.mapped("display_name")),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Statement of account"),
                "message": message,
                "type": "warning" if missing else "success",
                "sticky": bool(missing),
            },
        }

    def action_ar_preview_reminder(self):
        self.ensure_one()
        wizard = self.env["ar.followup.preview"].create(
            {"partner_id": self.commercial_partner_id.id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminder preview"),
            "res_model": "ar.followup.preview",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_ar_open_items(self):
        """The open receivable items behind the amounts due and overdue."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open items of %s", self.commercial_partner_id.display_name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("account.view_move_line_tree").id, "list"),
                (False, "form"),
            ],
            "domain": [
                ("partner_id", "child_of", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            "context": {"search_default_group_by_move": 0, "create": False},
        }

    def action_ar_log_promise(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to pay"),
            "res_model": "ar.promise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_promise_amount": self.commercial_partner_id.ar_amount_overdue,
            },
        }

    def action_ar_payment_plan(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment plan"),
            "res_model": "ar.payment.plan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_ar_open_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_followup.action_ar_followup_history"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
