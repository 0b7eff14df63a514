# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The reminder: what one run sends one customer (an e-mail, a letter, or both), the record
the reminder templates and the letter render on.

Everything a template asks is the reminder's own: its company and date (the rules of
``ar.followup.rules``: the costs a 14-day letter announces, the Belgian consumer's notice),
its level, the invoices it asks, its statement link. The statement of open items is handed
over by the run, which computes those of a whole batch at once
(:meth:`ArFollowupReminder._ar_hand_statements`); a reminder computes its own otherwise
(the preview, a letter printed later). Nothing comes from the context, so no client can give
a reminder another date. The preview builds the same record without saving it."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from .ar_followup_history import REMINDER_CHANNELS

# where a cursor keeps the statements handed to reminders (see _ar_hand_statements)
_STATEMENTS = "ar_followup.reminder.statements"


class ArFollowupReminder(models.Model):
    _name = "ar.followup.reminder"
    _inherit = ["ar.followup.rules"]
    _description = "Follow-up Reminder"
    _order = "date desc, id desc"
    _check_company_auto = True

    run_id = fields.Many2one(
        "ar.followup.run",
        readonly=True,
        index=True,
        ondelete="set null",
        help="The follow-up run that sent it.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True, index=True, help="The day of the reminder.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    level_id = fields.Many2one(
        "ar.followup.level", required=True, readonly=True, ondelete="restrict"
    )
    channel = fields.Selection(
        [("email", "E-mail"), ("letter", "Letter"), ("both", "E-mail and letter")],
        required=True,
        readonly=True,
        help="How the reminder goes out: by e-mail, by letter, or both.",
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_move_ids",
        help="The invoices that reached the reminder's level: those it asks to be paid (the "
        "invoices of its e-mail and letter).",
    )
    link_id = fields.Many2one(
        "ar.statement.link",
        string="Statement link",
        readonly=True,
        ondelete="set null",
        groups="ar_followup.group_ar_manager",  # who manages the links (and their tokens)
        help="The link to the customer's statement the reminder carries.",
    )
    history_ids = fields.One2many("ar.followup.history", "reminder_id", readonly=True)
    # what a reminder template reads of its customer (the templates of a database are kept
    # when the module is updated: these are the names they have always read)
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    lang = fields.Selection(related="partner_id.lang")
    ar_followup_partner_to = fields.Char(compute="_compute_ar_followup_partner_to")
    ar_credit_hold = fields.Boolean(
        string="On credit hold",
        compute="_compute_ar_credit_hold",
        help="Whether the customer's account is on hold in the reminder's company.",
    )

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = " · ".join(
                name
                for name in (
                    reminder.level_id.name,
                    reminder.partner_id.display_name,
                    reminder.date and format_date(self.env, reminder.date),
                )
                if name
            )

    @api.depends("partner_id")
    def _compute_ar_followup_partner_to(self):
        to = self.env["ar.customer.account"]._ar_partner_to(self.partner_id)
        for reminder in self:
            commercial = reminder.partner_id.commercial_partner_id
            reminder.ar_followup_partner_to = to.get(commercial.id, "")

    @api.depends("history_ids.move_ids")
    def _compute_move_ids(self):
        for reminder in self:
            lines = reminder.history_ids.filtered(lambda h: h.channel in REMINDER_CHANNELS)
            reminder.move_ids = lines.move_ids

    @api.depends("partner_id", "company_id")
    def _compute_ar_credit_hold(self):
        for reminder in self:
            partner = reminder.partner_id.with_company(reminder.company_id)
            reminder.ar_credit_hold = partner.ar_credit_hold

    # -- the statement, handed over by the run ------------------------------------------

    # the columns a run gives its reminders (see _ar_insert)
    _AR_RUN_COLUMNS = (
        "run_id",
        "company_id",
        "date",
        "partner_id",
        "level_id",
        "channel",
        "link_id",
    )

    @api.model
    def _ar_insert(self, vals_list):
        """The reminders of a run's batch (``vals_list``: the values of
        :data:`_AR_RUN_COLUMNS`), made with one INSERT, where the ORM's ``create`` makes one
        for every 100 (a batch of 500 customers: 1 query, not 5); nothing of theirs is
        computed or stored elsewhere. Returns them in the order given."""
        if not vals_list:
            return self.browse()
        columns = self._AR_RUN_COLUMNS
        uid, now = self.env.uid, fields.Datetime.now()
        rows = [
            SQL(
                "(%s)",
                SQL(", ").join([*(vals.get(name) or None for name in columns), uid, now, uid, now]),
            )
            for vals in vals_list
        ]
        self.env.cr.execute(
            SQL(
                "INSERT INTO ar_followup_reminder (%s, create_uid, create_date, write_uid,"
                " write_date) VALUES %s RETURNING id",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(rows),
            )
        )
        reminders = self.browse(row[0] for row in self.env.cr.fetchall())
        for name in columns:  # what the ORM's create would have cached (read right after)
            field = self._fields[name]
            values = [field.convert_to_cache(vals.get(name) or False, self) for vals in vals_list]
            self.env.cache.update(reminders, field, values)
        return reminders

    def _ar_hand_statements(self, statements):
        """Give these reminders the statements of ``{partner_id: statement}`` (the run's
        batch, computed at once); :meth:`_ar_forget_statements` when they are rendered."""
        memo = self.env.cr.cache.setdefault(_STATEMENTS, {})
        for reminder in self:
            memo[reminder.id] = statements[reminder.partner_id.id]

    def _ar_forget_statements(self):
        memo = self.env.cr.cache.get(_STATEMENTS, {})
        for reminder_id in self.ids:
            memo.pop(reminder_id, None)

    def _ar_followup_statement(self):
        """The statement of open items the reminder shows, at its date, its invoices marked
        as the ones it asks: the one the run handed over, else computed now for the
        reminders read together with it (a template renders a batch at once)."""
        self.ensure_one()
        memo = self.env.cr.cache.setdefault(_STATEMENTS, {})
        if self.id not in memo:
            groups = defaultdict(lambda: self.browse())
            for reminder in self.browse(self._prefetch_ids):
                if reminder.id not in memo:
                    groups[reminder.company_id, reminder.date] |= reminder
            Statement = self.env["ar.followup.statement"]
            for (company, date), group in groups.items():
                statements = Statement.with_company(company)._ar_statements(
                    group.partner_id, date, company, chased_move_ids=set(group.move_ids.ids)
                )
                for reminder in group:
                    memo[reminder.id] = statements[reminder.partner_id.id]
        return memo[self.id]

    # -- what the templates ask ---------------------------------------------------------

    def _ar_collection_costs_preview(self):
        """The collection costs the 14-day letter announces, in company currency: those of
        the claim the letter makes (its overdue invoices not charged before, not the fee
        invoices), by the customer's rule, as the run charges them after its term."""
        self.ensure_one()
        reminder = self.sudo()  # the run's rules, whoever renders it (a letter printed later)
        return reminder._ar_claim_preview(reminder.partner_id)[0]

    def _ar_be_consumer_notice(self):
        """For the first reminder of a Belgian consumer: the damages and the interest rate
        that follow its 14-day period (``False`` for other customers)."""
        self.ensure_one()
        reminder = self.sudo()
        return reminder._ar_be_consumer_notice_of(reminder.partner_id)

    def _ar_costs_basis(self):
        """On which basis the 14-day letter announces costs to this customer: 'nl_wik' (the
        Dutch scale), 'be_consumer' (Book XIX CEL), 'flat' (a fixed sum per invoice for
        businesses) or ``False`` (the company charges businesses none)."""
        self.ensure_one()
        company = self.company_id
        rule = self.env["ar.fee"]._rule(self.partner_id, company)
        if rule.costs in ("nl_wik", "be_consumer"):
            return rule.costs
        if company.ar_costs_b2b == "none":
            return False
        return "nl_wik" if rule.law == "nl" and company.ar_costs_b2b == "wik" else "flat"

    def _ar_link(self):
        """The reminder's statement link: the one the run gave it, else one valid from its
        date (renewed)."""
        self.ensure_one()
        if self.sudo().link_id:  # (the link is the credit-control manager's to read)
            return self.sudo().link_id
        partner = self.partner_id
        return self.env["ar.statement.link"]._ar_links(partner, self.company_id, self.date)[
            partner.id
        ]

    def _ar_portal_url(self):
        """Where the customer sees its statement and pays its invoices, without a login."""
        return self._ar_link()._ar_url()

    def _ar_qr_image_url(self):
        """The address of the SEPA QR image of the reminder (of its statement link, without
        the link's token): it asks the invoices the reminder asks, and only those, whenever
        it is read."""
        Statement = self.env["ar.followup.statement"]
        asked = Statement._ar_asked_invoice_ids(self._ar_followup_statement())
        return self._ar_link()._ar_qr_url(asked)
