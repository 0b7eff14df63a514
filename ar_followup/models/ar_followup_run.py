# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up procedure.

One run (``ar.followup.run``) works in three steps:

1. *plan* (:meth:`ArFollowupRun._ar_plan`): one SQL query selects every candidate invoice of
   the company with its current level, one query sums the customers' open credits, the
   customers' policies are read in one batch; the next level of every invoice is then decided
   in memory (DESIGN.md semantics 1 and 2);
2. *execute* (:meth:`ArFollowupRun._ar_execute_batch`), per batch of customers: the e-mails
   are rendered and queued in one call per template, the activities and history lines are
   created in one ``create`` each, the invoices are updated with one ``UPDATE``; from the cron
   every batch is committed and reported through ``ir.cron._notify_progress``;
3. *refresh* (:meth:`ArFollowupRun._ar_refresh_status`): the customers' level and next date
   are recomputed from their invoices with one statement.

Running it again for the same date does nothing: an invoice that reached a level today can
only reach the next one after the difference of the two delays (at least one day). A run that
stopped halfway is resumed by the next call for the same date and company; the batches it
committed are not done again, for the same reason.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, format_date, split_every
from odoo.tools.sql import create_index, drop_index

from ..tools import ladder as ladder_rule

_logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200
LOCK_NAMESPACE = 0x4152  # "AR": first key of the follow-up's advisory locks


class RunInProgress(UserError):
    """Another worker is running the follow-up of the same company."""


DEFAULT_CRON_BATCHES = 25


class InvoicePlan:
    """What the run decided for one candidate invoice."""

    __slots__ = (
        "charge_costs",
        "charge_interest",
        "charge_note",
        "claim",
        "costs_date",
        "currency_id",
        "due",
        "fee_invoice",
        "interest_date",
        "interest_from",
        "interest_missing",
        "invoice_date",
        "last_date",
        "level_id",
        "move_id",
        "new_level",
        "next_date",
        "partner_id",
        "pending",
        "residual",
        "residual_currency",
        "resume_date",
        "stored_next_date",
        "tone",
    )

    def __init__(
        self,
        move_id,
        partner_id,
        due,
        level_id,
        last_date,
        residual,
        stored_next_date,
        invoice_date=None,
        resume_date=None,
        pending=False,
        fee_invoice=False,
        costs_date=None,
        interest_date=None,
        residual_currency=0.0,
        currency_id=None,
        interest_missing=None,
    ):
        self.move_id = move_id
        self.partner_id = partner_id
        self.due = due
        self.level_id = level_id
        self.last_date = last_date
        self.residual = residual
        self.stored_next_date = stored_next_date
        self.invoice_date = invoice_date  # courtesy levels only for invoices issued before them
        self.resume_date = resume_date  # grace period after a dispute or a plan
        self.pending = pending  # the reminder of its level is not delivered yet
        self.fee_invoice = fee_invoice  # a fee invoice: listed, never charged costs itself
        self.costs_date = costs_date  # when collection costs were charged for it
        self.interest_date = interest_date  # interest charged up to this day
        self.residual_currency = residual_currency  # chased part, in its own currency
        self.currency_id = currency_id
        self.interest_missing = interest_missing  # interest waits for a rate of this day
        self.charge_costs = False  # its collection costs are charged in this run (claim)
        self.charge_note = None  # why costs it reached a level for are not charged (skip)
        self.claim = None  # the key of the claim it is charged in
        self.charge_interest = False  # its interest is charged in this run
        self.interest_from = None  # the day after which its statutory interest runs
        self.tone = None  # the customer's reminder level so far (set by the plan)
        self.new_level = None  # ar.followup.level reached in this run
        self.next_date = None  # date at which the following level applies

    @property
    def changed(self):
        return self.new_level is not None or self.next_date != self.stored_next_date


class ArFollowupRun(models.Model):
    _name = "ar.followup.run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Follow-up Run"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Started by",
        readonly=True,
        default=lambda self: self.env.user,
    )
    scope = fields.Selection(
        [("all", "All customers"), ("partner", "Selected customers")],
        default="all",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("in_progress", "In progress"), ("done", "Done"), ("failed", "Failed")],
        default="in_progress",
        required=True,
        readonly=True,
        help="A failed or unfinished run is resumed by the next run for the same date.",
    )
    partner_count = fields.Integer(string="Customers", readonly=True)
    email_count = fields.Integer(
        string="E-mails queued",
        readonly=True,
        help="Reminder e-mails the run put in the mail queue; see how many were sent and how "
        "many were not delivered.",
    )
    email_sent_count = fields.Integer(
        string="E-mails sent",
        compute="_compute_delivery_counts",
        help="Reminder e-mails of this run accepted by the mail server.",
    )
    email_failed_count = fields.Integer(
        string="Not delivered",
        compute="_compute_delivery_counts",
        help="Reminder e-mails of this run that failed, bounced or were cancelled.",
    )
    email_queued_count = fields.Integer(
        string="Still queued",
        compute="_compute_delivery_counts",
        help="Reminder e-mails of this run still waiting in the mail queue.",
    )
    activity_count = fields.Integer(string="Activities scheduled", readonly=True)
    hold_count = fields.Integer(string="Credit holds", readonly=True)
    skip_count = fields.Integer(string="Skipped", readonly=True)
    letter_count = fields.Integer(string="Letters", readonly=True)
    fee_count = fields.Integer(string="Fees charged", readonly=True)
    history_ids = fields.One2many("ar.followup.history", "run_id", string="Actions", readonly=True)
    log = fields.Text(readonly=True)

    def init(self):
        # The candidate query of every run and the statements read the open customer
        # invoices and credit notes of customers, per company.
        drop_index(self.env.cr, "account_move_ar_followup_open_idx", "account_move")
        create_index(
            self.env.cr,
            "account_move_ar_open_items_idx",
            "account_move",
            ["commercial_partner_id", "company_id"],
            where="move_type IN ('out_invoice', 'out_refund') AND state = 'posted' "
            "AND amount_residual <> 0",
        )

    @api.depends("history_ids.delivery_state")
    def _compute_delivery_counts(self):
        groups = self.env["ar.followup.history"]._read_group(
            [
                ("run_id", "in", self.ids),
                ("channel", "=", "email"),
                ("delivery_state", "!=", False),
            ],
            ["run_id", "delivery_state"],
            ["__count"],
        )
        counts = defaultdict(int)
        for run, state, count in groups:
            counts[run.id, state] += count
        for run in self:
            run.email_sent_count = counts[run.id, "sent"]
            run.email_queued_count = counts[run.id, "queued"]
            run.email_failed_count = sum(
                counts[run.id, state] for state in ("failed", "bounced", "cancelled")
            )

    @api.depends("date", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Follow-up of %(date)s", date=format_date(self.env, run.date) if run.date else ""
            )

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def process(self, date=None, partners=None, force=False):
        """Run the follow-up procedure for ``env.company`` as of ``date`` (default: today).

        :param partners: optional ``res.partner`` records: only these customers (their
            commercial partners) are followed up, with the same rules.
        :param force: with ``partners``: their overdue invoices move to their next level now,
            without waiting for its delay (a bookkeeper sends the next reminder by hand); the
            other rules hold (one level an invoice a day, one reminder a day, never a lower
            tone, never on an undelivered reminder, the grace periods, the level's minimum)
        :returns: the ``ar.followup.run`` record
        """
        self._ar_check_run_right()
        date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
        # runs and their history are written by the system only: the right is checked above
        Run = self.sudo()._ar_in_company_lang()
        partners = partners.commercial_partner_id.sudo() if partners else None
        run = Run._ar_locked_run(date, partners)
        run._ar_execute(partners, force=force)
        return run

    @api.model
    def _ar_check_run_right(self):
        """Who may run the follow-up (and see its dry run): billing users and above."""
        if self.env.su or self.env.user.has_group("account.group_account_invoice"):
            return
        raise AccessError(
            self.env._("Only billing users and credit controllers can run the follow-up.")
        )

    @api.model
    def _cron_process(self):
        """Daily scheduled action: the run of today for every company, committed per batch.

        It stops after ``ar_followup.cron_batches`` batches and reports the customers left
        through ``ir.cron._notify_progress``, so that the scheduler calls it again at once and
        the run is resumed where it stopped.
        """
        max_batches = int(
            self.env["ir.config_parameter"].sudo().get_param("ar_followup.cron_batches")
            or DEFAULT_CRON_BATCHES
        )
        done = remaining = 0
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            Run = (
                self.with_company(company)
                .with_context(
                    ar_followup_commit=True,
                    ar_followup_max_batches=max_batches,
                )
                ._ar_in_company_lang()
            )
            today = fields.Date.context_today(Run)
            if Run.search_count(
                [
                    ("company_id", "=", company.id),
                    ("date", "=", today),
                    ("scope", "=", "all"),
                    ("state", "=", "done"),
                ],
                limit=1,
            ):
                continue
            try:
                run = Run._ar_locked_run(today, None)
            except RunInProgress:
                # another worker runs it: it resumes the run; nothing is written here
                _logger.info("Follow-up of %s already running elsewhere", company.name)
                continue
            company_done, company_remaining = run._ar_execute(None)
            done += company_done
            remaining += company_remaining
            if company_remaining:
                break
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _ar_in_company_lang(self):
        """The run writes for the company's users (history notes, hold reasons, its log, the
        chatter) in the company's language; what goes to a customer is in the customer's."""
        company = self.env.company
        return self.with_context(lang=company.partner_id.lang or self.env.lang or "en_US")

    def _ar_locked_run(self, date, partners):
        """Take the company's follow-up lock, then the run to work in: a worker that finds the
        company's run in progress elsewhere writes nothing (no 'Resumed.' line, no run)."""
        if not self._ar_try_lock():
            raise RunInProgress(
                self.env._(
                    "A follow-up run of %(company)s is in progress: try again when it is done.",
                    company=self.env.company.name,
                )
            )
        return self._ar_start(date, partners)

    @api.model
    def _ar_try_lock(self):
        """The company's follow-up lock: a PostgreSQL transaction-level advisory lock. Two
        runs started at the same time, in other workers or cron threads, never act on the
        same customers; the lock ends with the transaction (a commit, a rollback, an error,
        a closed connection), so it is never leaked, and the run takes it again after each
        commit of a batch."""
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK_NAMESPACE, self.env.company.id)
        )
        return self.env.cr.fetchone()[0]

    def _ar_start(self, date, partners):
        """The run to work in: the unfinished run of that date and company, else a new one."""
        company = self.env.company
        scope = "partner" if partners else "all"
        run = self.browse()
        if scope == "all":
            run = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date", "=", date),
                    ("scope", "=", "all"),
                    ("state", "in", ("in_progress", "failed")),
                ],
                order="id desc",
                limit=1,
            )
        if run:
            run.state = "in_progress"
            run._ar_log(self.env._("Resumed."))
        else:
            run = self.create({"date": date, "company_id": company.id, "scope": scope})
        return run

    # ------------------------------------------------------------------
    # Plan
    # ------------------------------------------------------------------

    def _ar_candidate_query(self, partner_ids=None):
        """The candidate invoices of the run (DESIGN.md semantics 1), as one query.

        Other modules add their exclusions (disputes, payment plans) through
        :meth:`_ar_candidate_exclusions`.
        """
        self.ensure_one()
        conditions = [
            SQL("m.company_id = %s", self.company_id.id),
            SQL("m.move_type = 'out_invoice'"),
            SQL("m.state = 'posted'"),
            SQL("m.amount_residual > 0"),
            SQL(
                "(m.ar_followup_excluded IS NOT TRUE OR m.ar_followup_excluded_until < %s)",
                self.date,
            ),
            *self._ar_candidate_exclusions(),
        ]
        if partner_ids is not None:
            conditions.append(SQL("m.commercial_partner_id IN %s", tuple(partner_ids) or (0,)))
        return SQL(
            """
            WITH pending AS (
                -- invoices whose last reminder is still queued (e-mail) or to print (letter)
                SELECT DISTINCT r.move_id
                  FROM ar_followup_history h
                  JOIN ar_followup_history_move_rel r ON r.history_id = h.id
                 WHERE h.company_id = %s AND h.delivery_state = 'queued'
            )
            SELECT m.id, m.commercial_partner_id, m.invoice_date_due, s.level_id,
                   s.last_date, m.amount_residual_signed * %s, s.next_date, m.invoice_date,
                   s.resume_date, m.id IN (SELECT move_id FROM pending),
                   m.ar_is_fee_invoice IS TRUE, s.costs_date, s.interest_date,
                   m.amount_residual * %s, m.currency_id, s.interest_missing
              FROM account_move m
              LEFT JOIN ar_followup_move_state s ON s.move_id = m.id
             WHERE %s
             ORDER BY m.commercial_partner_id, m.invoice_date_due, m.id
            """,
            self.company_id.id,
            self.env["account.move"]._ar_undisputed_ratio_sql(),
            self.env["account.move"]._ar_undisputed_ratio_sql(),
            SQL(" AND ").join(conditions),
        )

    def _ar_candidate_exclusions(self):
        """Extra SQL conditions on ``account_move m`` that a candidate invoice must meet: some
        of it not in an open dispute (the undisputed part is chased, for its amount), not in an
        active payment plan. Override point for other exclusions."""
        ratio = self.env["account.move"]._ar_undisputed_ratio_sql()
        return [
            SQL("(m.ar_is_disputed IS NOT TRUE OR m.amount_residual * %s >= 0.005)", ratio),
            SQL("m.ar_in_payment_plan IS NOT TRUE"),
        ]

    def _ar_open_credits(self, partner_ids):
        """Per commercial partner, the open credits on receivable accounts (credit notes and
        payments not yet matched with an invoice), negative, in company currency."""
        if not partner_ids:
            return {}
        figures = self.env["res.partner"]._ar_receivable_figures(
            self.date, self.company_id, partner_ids
        )
        return {pid: row[3] for pid, row in figures.items()}

    def _ar_reminder_status(self, partner_ids):
        """Per customer, what its reminders so far allow (DESIGN.md semantics 3), in one query:
        ``{partner_id: (tone, reminded_today)}``: the largest delay of the levels of the
        reminders sent or queued for invoices that are still open (a reminder is never of a
        lower level), and whether a reminder was sent or queued on the run's date (at most
        one a day). Reminders that were not delivered do not count."""
        if not partner_ids:
            return {}
        self.env["ar.followup.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT h.partner_id,
                       MAX(l.delay) FILTER (WHERE EXISTS (
                           SELECT 1 FROM ar_followup_history_move_rel r
                             JOIN account_move m ON m.id = r.move_id
                            WHERE r.history_id = h.id AND m.state = 'posted'
                              AND m.amount_residual > 0)),
                       BOOL_OR(h.date = %(date)s)
                  FROM ar_followup_history h
                  JOIN ar_followup_level l ON l.id = h.level_id
                 WHERE h.company_id = %(company)s AND h.partner_id = ANY(%(partners)s)
                   AND h.channel IN ('email', 'letter')
                   AND h.delivery_state IN ('queued', 'sent')
                 GROUP BY h.partner_id
                """,
                date=self.date,
                company=self.company_id.id,
                partners=list(partner_ids),
            )
        )
        return {pid: (tone, today) for pid, tone, today in self.env.cr.fetchall()}

    def _ar_policy_levels(self, partners):
        """``{partner_id: [levels ordered by delay]}`` for the partners' policies (their own,
        else the company's default), reading the policies once."""
        company = self.company_id
        partners = partners.with_company(company)
        by_policy = {}
        result = {}
        for partner in partners:
            policy = partner._ar_followup_policy(company)
            if policy not in by_policy:
                by_policy[policy] = policy.level_ids.filtered("active").sorted(
                    lambda lvl: (lvl.delay, lvl.id)
                )
            result[partner.id] = by_policy[policy]
        return result

    @api.model
    def _ar_next_level(self, levels, current, due, date):
        """The level that follows ``current`` for an invoice due on ``due``, seen at ``date``:
        the first level with a larger delay; levels with a negative delay only while the
        invoice is not yet due."""
        ladder = [(level.delay, level) for level in levels]
        return ladder_rule.next_step(ladder, current.delay if current else None, date > due)[1]

    def _ar_plan(self, partner_ids=None, force=False):
        """Decide, for every candidate invoice, whether it reaches a level in this run.

        :returns: ``{partner_id: [InvoicePlan]}`` for every partner with candidates
        """
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(self._ar_candidate_query(partner_ids))
        by_partner = defaultdict(list)
        for row in self.env.cr.fetchall():
            by_partner[row[1]].append(InvoicePlan(*row))
        if not by_partner:
            return {}

        Partner = self.env["res.partner"].with_company(self.company_id)
        partners = Partner.browse(list(by_partner))
        levels_by_partner = self._ar_policy_levels(partners)
        current_levels = (
            self.env["ar.followup.level"]
            .with_context(active_test=False)
            .browse({p.level_id for plans in by_partner.values() for p in plans if p.level_id})
        )
        current_levels.fetch(["delay"])
        credits = self._ar_open_credits(list(by_partner))
        status = self._ar_reminder_status(list(by_partner))
        currency = self.company_id.currency_id
        date = self.date
        tomorrow = date + timedelta(days=1)

        # the ladders and the delays as plain values: this loop sees every open invoice
        delays = {level.id: level.delay for level in current_levels}
        ladders = {}
        for partner in partners:
            if partner.ar_followup_paused_until and partner.ar_followup_paused_until >= date:
                del by_partner[partner.id]
                continue
            plans = by_partner[partner.id]
            levels = levels_by_partner[partner.id]
            ladder = ladders.get(levels)
            if ladder is None:
                ladder = ladders[levels] = [(level.delay, level) for level in levels]
            credit = credits.get(partner.id, 0.0)
            net_open = sum(p.residual for p in plans) + credit
            net_overdue = sum(p.residual for p in plans if p.due < date) + credit
            tone, reminded_today = status.get(partner.id, (None, False))
            enough = {}  # level -> whether the customer's amount reaches its minimum
            for plan in plans:
                plan.tone = tone  # the batch's actions read it: the status is read once
                current = delays.get(plan.level_id) if plan.level_id else None
                overdue = date > plan.due
                late_issue = (plan.due - plan.invoice_date).days if plan.invoice_date else None
                delay, level = ladder_rule.next_step(ladder, current, overdue, late_issue)
                if level is None:
                    continue
                reach = ladder_rule.reach_date(plan.due, delay, current, plan.last_date)
                grace = plan.resume_date and plan.resume_date > date
                if plan.resume_date and plan.resume_date > reach:
                    reach = plan.resume_date  # grace period after a dispute or a plan
                forced = force and overdue and delay >= 0 and plan.last_date != date
                if reach > date and (grace or not forced):
                    plan.next_date = reach
                    continue
                if plan.pending:
                    # the reminder of its current level has not reached the customer yet:
                    # the ladder does not move on before it has
                    plan.next_date = tomorrow
                    continue
                if reminded_today and level.send_email and (tone is None or delay >= tone):
                    plan.next_date = tomorrow  # one reminder a customer a day
                    continue
                if level not in enough:
                    basis = net_overdue if delay > 0 else net_open
                    enough[level] = float_compare(
                        basis, 0.0, precision_rounding=currency.rounding
                    ) > 0 and (
                        float_compare(
                            basis, level.min_overdue_amount, precision_rounding=currency.rounding
                        )
                        >= 0
                    )
                if not enough[level]:
                    continue  # below the level's minimum: waits for more to be overdue
                plan.new_level = level
                following_delay, following = ladder_rule.next_step(
                    ladder, delay, overdue, late_issue
                )
                if following is not None:
                    plan.next_date = ladder_rule.reach_date(plan.due, following_delay, delay, date)
        return dict(by_partner)

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def _ar_batch_size(self):
        return int(
            self.env.context.get("ar_followup_batch_size")
            or self.env["ir.config_parameter"].sudo().get_param("ar_followup.batch_size")
            or DEFAULT_BATCH_SIZE
        )

    def _ar_execute(self, partners=None, force=False):
        """Plan, then execute per batch of customers (the company's lock is held: see
        :meth:`_ar_locked_run`). Another worker that takes the lock between two committed
        batches carries on with the run; this one then stops.

        :returns: ``(done, remaining)`` customer counts
        """
        self.ensure_one()
        commit = self.env.context.get("ar_followup_commit")
        max_batches = self.env.context.get("ar_followup_max_batches")
        plan = self._ar_plan(partners.ids if partners is not None else None, force=force)
        self._ar_plan_charges(plan)
        todo = [
            pid
            for pid in sorted(plan)
            if any(p.new_level or p.charge_costs or p.charge_interest for p in plan[pid])
        ]
        todo_set = set(todo)
        done = 0
        run = self
        batch_size = self._ar_batch_size()
        several_batches = len(todo) > batch_size
        if several_batches:
            # the statements of all batches from one pass over the open items, rather than
            # a query per batch whose plan depends on fresh statistics
            rows = self.env["res.partner"].with_company(self.company_id)._ar_statement_rows()
            run = self.with_context(ar_followup_statement_rows=rows)
        for index, chunk in enumerate(split_every(batch_size, todo, list)):
            if max_batches and index >= max_batches:
                break
            try:
                with self.env.cr.savepoint():
                    run._ar_execute_batch({pid: plan[pid] for pid in chunk})
            except Exception as exc:
                _logger.exception("Follow-up run %s failed", self.id)
                self.state = "failed"
                self._ar_log(self.env._("Stopped by an error: %(error)s", error=exc))
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                raise
            done += len(chunk)
            if several_batches:
                # the batch's records (their e-mail bodies above all) leave the cache: a
                # run holds one batch in memory, not all of them
                self.env.invalidate_all()
                if index % 4 in (0, 3):
                    self._ar_refresh_table_sizes()
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
                if not self.with_company(self.company_id)._ar_try_lock():
                    _logger.info("Follow-up run %s carried on by another worker", self.id)
                    break
        remaining = len(todo) - done
        if not remaining:
            waiting = [p for pid, plans in plan.items() if pid not in todo_set for p in plans]
            for chunk in split_every(5000, waiting, list):
                self._ar_write_invoices(chunk)
            self._ar_refresh_status(plan, partners)
            self.env["res.partner"].with_company(self.company_id)._ar_release_settled_holds(
                partners.ids if partners is not None else None, date=self.date
            )
            self.state = "done"
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done, remaining

    def _ar_refresh_table_sizes(self):
        """Tell the planner how large the tables that a run fills have become.

        Every row inserted into the links of history lines and e-mails is checked by a
        foreign key on the history, mail and activity tables, with a query that PostgreSQL
        plans once per connection. Planned while those tables were nearly empty (the first
        run after installing), it reads the whole table for every row inserted afterwards and
        the run slows down batch after batch. Analysing their key column (a few milliseconds)
        has the checks planned again, on the index.
        """
        self.env.flush_all()
        self.env.cr.execute(
            "ANALYZE ar_followup_history (id), mail_mail (id), mail_message (id), "
            "mail_activity (id)"
        )

    def _ar_execute_batch(self, plan):
        """Carry out the actions of one batch of customers, ``{partner_id: [InvoicePlan]}``."""
        self.ensure_one()
        partners = self.env["res.partner"].with_company(self.company_id).browse(list(plan))
        history_vals = []
        counts = defaultdict(int)
        actions = self._ar_partner_actions(plan)

        fee_history = self._ar_charge_fees(partners, plan, counts)
        history_vals += fee_history
        rows = self.env.context.get("ar_followup_statement_rows")
        charged = {vals["partner_id"] for vals in fee_history if vals["channel"] == "fee"}
        if rows is not None and charged:
            # the fee invoices just created belong on these customers' statements
            fresh = partners._ar_statement_rows(charged)
            for index in (0, 1):
                rows[index].update({pid: fresh[index].get(pid, []) for pid in charged})
        # the hold first: the final notice says whether the account is on hold
        history_vals += self._ar_put_on_hold(partners, actions, counts)
        history_vals += self._ar_send_emails(partners, plan, actions, counts)
        history_vals += self._ar_schedule_activities(partners, plan, actions, counts)
        self._ar_write_invoices([p for plans in plan.values() for p in plans])
        # every skip recorded (held back, no address, no rate, ...) is counted as one
        counts["skip"] = sum(1 for vals in history_vals if vals["channel"] == "skip")
        self._ar_create_history(history_vals)
        self.sudo().write(
            {
                "partner_count": self.partner_count + len(plan),
                "email_count": self.email_count + counts["email"],
                "activity_count": self.activity_count + counts["activity"],
                "hold_count": self.hold_count + counts["hold"],
                "skip_count": self.skip_count + counts["skip"],
                "letter_count": self.letter_count + counts["letter"],
                "fee_count": self.fee_count + counts["fee"],
            }
        )

    def _ar_partner_actions(self, plan):
        """Per partner, the levels whose actions this run carries out: the highest e-mail
        level reached, the highest activity level per activity type, the highest hold level.

        The tone never goes down: when the highest e-mail level reached is below the level
        of a reminder the customer already has for invoices still open (the plans' ``tone``,
        from :meth:`_ar_reminder_status`), no reminder goes out; the invoices keep the level they
        reached and are listed in the next reminder, at the customer's level (``held_back``).
        """
        actions = {}
        for partner_id, plans in plan.items():
            reached = sorted({p.new_level for p in plans if p.new_level}, key=lambda lvl: lvl.delay)
            if not reached:
                # only costs or interest fall due for it today: nothing to send
                actions[partner_id] = {
                    "level": None,
                    "email": None,
                    "held_back": None,
                    "activities": [],
                    "hold": None,
                    "moves": [],
                }
                continue
            emails = [lvl for lvl in reached if lvl.send_email and lvl.mail_template_id]
            activities = {}
            for level in reached:
                if level.create_activity and level.activity_type_id:
                    activities[level.activity_type_id] = level
            holds = [lvl for lvl in reached if lvl.credit_hold]
            email = emails[-1] if emails else None
            tone = plans[0].tone
            held_back = None
            if email and tone is not None and email.delay < tone:
                held_back, email = email, None
            actions[partner_id] = {
                "level": reached[-1],
                "email": email,
                "held_back": held_back,
                "activities": list(activities.values()),
                "hold": holds[-1] if holds else None,
                "moves": [p.move_id for p in plans if p.new_level],
            }
        return actions

    def _ar_history(self, partner_id, channel, level, move_ids, **values):
        """The values of a history line of this run for :meth:`_ar_create_history`
        (``move_ids``: a tuple of the ids of the invoices it is about, which the ORM also
        takes for a many2many)."""
        return {
            "partner_id": partner_id,
            "company_id": self.company_id.id,
            "run_id": self.id,
            "date": self.date,
            "channel": channel,
            "level_id": level.id if level else False,
            "move_ids": tuple(move_ids),
            **values,
        }

    def _ar_create_history(self, vals_list):
        """Create the history lines of a batch (values of :meth:`_ar_history`) and link them
        to their invoices with one INSERT: a batch of 500 reminders names about 5,000
        invoices, which the ORM would link one history line at a time."""
        links = [vals.pop("move_ids", ()) for vals in vals_list]
        histories = self.env["ar.followup.history"].sudo().create(vals_list)
        history_ids, move_ids = [], []
        for history_id, ids in zip(histories.ids, links, strict=True):
            history_ids += [history_id] * len(ids)
            move_ids += list(ids)
        if move_ids:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO ar_followup_history_move_rel (history_id, move_id)
                    SELECT unnest(%s::int[]), unnest(%s::int[])
                    ON CONFLICT DO NOTHING
                    """,
                    history_ids,
                    move_ids,
                )
            )
            histories.invalidate_recordset(["move_ids"])
            self.env["account.move"].invalidate_model(["ar_followup_history_ids"])
        return histories

    def _ar_send_emails(self, partners, plan, actions, counts):
        """Queue one e-mail per customer (one rendering call per template for the batch), and
        the letters: for customers without e-mail address, or when the level always sends
        one."""
        history = []
        by_template = defaultdict(list)
        for partner in partners:
            level = actions[partner.id]["email"]
            moves = actions[partner.id]["moves"]
            if actions[partner.id]["held_back"]:
                history.append(
                    self._ar_history(
                        partner.id,
                        "skip",
                        actions[partner.id]["held_back"],
                        moves,
                        note=self.env._(
                            "No reminder: the customer already had a reminder of a higher "
                            "level for invoices still open. These invoices are listed in its "
                            "next reminder."
                        ),
                    )
                )
            if not level:
                continue
            has_email = partner.ar_has_followup_email
            if level.send_letter == "always" or (level.send_letter == "no_email" and not has_email):
                counts["letter"] += 1
                history.append(
                    self._ar_history(
                        partner.id,
                        "letter",
                        level,
                        moves,
                        letter_state="to_print",
                        delivery_state="queued",
                        **self._ar_letter_claim(level, plan[partner.id]),
                    )
                )
            if has_email:
                by_template[level.mail_template_id].append(partner.id)
            elif level.send_letter == "never":
                counts["skip"] += 1
                history.append(
                    self._ar_history(
                        partner.id,
                        "skip",
                        level,
                        moves,
                        note=self.env._("No e-mail address to send the reminder to."),
                    )
                )
        if not by_template:
            return history
        mailing = [pid for pids in by_template.values() for pid in pids]
        statements = (
            self.env["res.partner"]
            .browse(mailing)
            .with_company(self.company_id)
            ._ar_followup_statements(
                self.date,
                chased_move_ids={mid for pid in mailing for mid in actions[pid]["moves"]},
                rows=self.env.context.get("ar_followup_statement_rows"),
            )
        )
        for template, partner_ids in by_template.items():
            mails = self._send_mails(template, partner_ids, statements)
            for mail in mails:
                action = actions[mail.res_id]
                counts["email"] += 1
                self._ar_attach_documents(mail, action["email"], action["moves"])
                history.append(
                    self._ar_history(
                        mail.res_id,
                        "email",
                        action["email"],
                        action["moves"],
                        mail_id=mail.id,
                        message_id=mail.mail_message_id.id,
                        delivery_state="queued",
                        **self._ar_letter_claim(action["email"], plan[mail.res_id]),
                    )
                )
        return history

    # what the template renders for a reminder (send_mail_batch's list, less the static ones)
    MAIL_RENDER_FIELDS = (
        "attachment_ids",
        "auto_delete",
        "body_html",
        "email_cc",
        "email_from",
        "email_to",
        "mail_server_id",
        "partner_to",
        "reply_to",
        "report_template_ids",
        "scheduled_date",
        "subject",
    )

    def _send_mails(self, template, partner_ids, statements):
        """Render ``template`` for the customers and queue the e-mails (not sent here: the
        mail queue sends them). Override point for another transport, e.g. a job queue.

        Unlike ``mail.template.send_mail_batch``, the customer's chatter gets a one-line
        summary of the reminder instead of a second copy of the whole e-mail: the e-mail
        itself, as rendered, is the mail's ``body_html`` (kept after sending unless the
        template deletes it; the history line links it). Sanitising a copy of every
        statement for the chatter was the largest cost of a run (about 2.5 ms a reminder).
        """
        template = (
            template.sudo()
            .with_company(self.company_id)
            .with_context(
                ar_followup_date=self.date,
                ar_followup_statements=statements,
                ar_followup_compile_once=True,
                ar_followup_formatters={},
            )
        )
        rendered = template._generate_template(partner_ids, self.MAIL_RENDER_FIELDS)
        # the mails without the run's statements in their context (each record created
        # makes environments whose contexts are compared)
        env = self.env(
            context={
                key: value
                for key, value in self.env.context.items()
                if not key.startswith("ar_followup_statement")
            }
        )
        summarizer = self.with_env(env).with_context(ar_followup_formatters={})
        # the document's name as mail.message would compute it, for the batch at once
        names = {
            partner.id: partner.display_name
            for partner in env["res.partner"].sudo().browse(partner_ids)
        }
        message_vals, mail_vals, attachments = [], [], []
        for partner_id in partner_ids:
            values = rendered[partner_id]
            attachments.append(values.pop("attachments", []))
            message_vals.append(
                {
                    "model": "res.partner",
                    "res_id": partner_id,
                    "record_name": names[partner_id],
                    "message_type": "email_outgoing",
                    "subject": values.get("subject"),
                    "body": summarizer._ar_mail_summary(template, statements[partner_id]),
                    "reply_to": values.get("reply_to"),
                    "mail_server_id": values.get("mail_server_id"),
                    "attachment_ids": [
                        Command.link(aid) for aid in values.get("attachment_ids", [])
                    ],
                    **({"email_from": values["email_from"]} if values.get("email_from") else {}),
                }
            )
            mail_vals.append(
                {
                    "body_html": values.get("body_html"),
                    "email_to": values.get("email_to"),
                    "email_cc": values.get("email_cc"),
                    "scheduled_date": values.get("scheduled_date"),
                    "auto_delete": values.get("auto_delete"),
                    "recipient_ids": [Command.link(pid) for pid in values.get("partner_ids", [])],
                    # the mail is the reminder itself, not the notification of a message: its
                    # message goes with it when it is deleted, as with mail.template
                    "is_notification": False,
                }
            )
        # the messages first, then their mails: mail.mail would otherwise look up the
        # defaults of every message field once more for each mail
        messages = env["mail.message"].sudo().create(message_vals)
        mails = (
            env["mail.mail"]
            .sudo()
            .create(
                [
                    dict(vals, mail_message_id=message.id)
                    for vals, message in zip(mail_vals, messages, strict=True)
                ]
            )
        )
        for mail, files in zip(mails, attachments, strict=True):
            if files:
                mail.with_context(default_type=None).write(
                    {
                        "attachment_ids": [
                            Command.create(
                                {
                                    "name": name,
                                    "datas": datas,
                                    "type": "binary",
                                    "res_model": "mail.message",
                                    "res_id": mail.mail_message_id.id,
                                }
                            )
                            for name, datas in files
                        ]
                    }
                )
        return mails

    def _ar_mail_summary(self, template, statement):
        """The chatter line of a reminder: which reminder, how many open items, how much
        overdue (per currency)."""
        fmt = self.env["res.partner"]._ar_formatter()
        overdue = ", ".join(
            fmt.amount(total["overdue"], total["currency"])
            for total in statement["totals"]
            if total["overdue"]
        )
        text = self.env._(
            "Reminder (%(template)s): %(count)s open items, overdue %(overdue)s.",
            template=template.name,
            count=len(statement["lines"]),
            overdue=overdue or fmt.amount(0.0, self.company_id.currency_id),
        )
        return Markup("<p>%s</p>") % text

    def _ar_attach_documents(self, mail, level, move_ids):
        """The statement and invoice PDFs the level asks to attach to the reminder."""
        if not (level.attach_statement or level.attach_invoices):
            return
        # the statement as of the run's date (a run for another day dates it that day)
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_company(self.company_id)
            .with_context(ar_followup_date=self.date)
        )
        partner = self.env["res.partner"].browse(mail.res_id).with_company(self.company_id)
        values = []
        if level.attach_statement:
            content, kind = Report._render_qweb_pdf(
                "ar_followup.action_report_statement", partner.ids
            )
            name = self.with_context(lang=partner.lang or self.env.lang).env._(
                "Statement %s", partner.name
            )
            values.append((name, content, kind))
        if level.attach_invoices:
            for move in self.env["account.move"].browse(move_ids):
                document = move.invoice_pdf_report_id
                if document:
                    values.append((move.name, document.raw, "pdf"))
                else:
                    content, kind = Report._render_qweb_pdf("account.account_invoices", move.ids)
                    values.append((move.name, content, kind))
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{name}.{kind}",
                        "raw": content,
                        "res_model": "mail.message",
                        "res_id": mail.mail_message_id.id,
                    }
                    for name, content, kind in values
                ]
            )
        )
        mail.sudo().attachment_ids = [fields.Command.link(a.id) for a in attachments]

    def _ar_activity_note(self, level, moves, user):
        """The note of a follow-up activity, in the language of the user who gets it."""
        lang = user.lang or self.env.lang
        return (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                "ar_followup.activity_note",
                {
                    "level": level.with_context(lang=lang),
                    "moves": moves,
                    "date": self.date,
                },
            )
        )

    def _ar_schedule_activities(self, partners, plan, actions, counts):
        """At most one open follow-up activity per customer and activity type."""
        wanted = [
            (partner, level) for partner in partners for level in actions[partner.id]["activities"]
        ]
        if not wanted:
            return []
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT a.res_id, a.activity_type_id
                  FROM ar_followup_history h
                  JOIN mail_activity a ON a.id = h.activity_id
                 WHERE h.partner_id IN %s AND h.company_id = %s AND a.active
                """,
                tuple(partners.ids),
                self.company_id.id,
            )
        )
        open_activities = set(self.env.cr.fetchall())
        manager = None
        model_id = self.env["ir.model"]._get_id("res.partner")
        Move = self.env["account.move"]
        vals_list, keys = [], []
        call = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        history = []
        for partner, level in wanted:
            if (partner.id, level.activity_type_id.id) in open_activities:
                continue
            if level.activity_type_id == call and not partner._ar_phone():
                counts["skip"] += 1
                history.append(
                    self._ar_history(
                        partner.id,
                        "skip",
                        level,
                        actions[partner.id]["moves"],
                        note=self.env._("No phone number for the call."),
                    )
                )
                continue
            if level.activity_responsible == "account_manager":
                user = partner._ar_collector(self.company_id)
            else:
                manager = manager or self.company_id._ar_credit_manager()
                user = manager
            overdue = Move.browse(
                [p.move_id for p in plan[partner.id] if p.due < self.date]
            ) or Move.browse([p.move_id for p in plan[partner.id]])
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": level.activity_type_id.id,
                    # for the user who gets it, in its language (as the note)
                    "summary": level.with_context(lang=user.lang or self.env.lang).activity_summary
                    or level.with_context(lang=user.lang or self.env.lang).name,
                    "note": self._ar_activity_note(level, overdue, user),
                    "user_id": user.id,
                    "date_deadline": self.date + timedelta(days=level.activity_deadline_days),
                    "automated": True,
                }
            )
            keys.append((partner.id, level))
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
        for (partner_id, level), activity in zip(keys, activities, strict=True):
            counts["activity"] += 1
            history.append(
                self._ar_history(
                    partner_id,
                    "activity",
                    level,
                    actions[partner_id]["moves"],
                    activity_id=activity.id,
                )
            )
        return history

    def _ar_put_on_hold(self, partners, actions, counts):
        """Credit hold for the customers that reached a hold level (one write per level)."""
        by_level = defaultdict(lambda: partners.browse())
        for partner in partners:
            if actions[partner.id]["hold"] and not partner.ar_credit_hold:
                by_level[actions[partner.id]["hold"]] |= partner
        history = []
        for level, level_partners in by_level.items():
            reason = self.env._(
                "Follow-up level %(level)s reached on %(date)s",
                level=level.name,
                date=format_date(self.env, self.date),
            )
            history += level_partners._ar_set_credit_hold(
                reason,
                origin="followup",
                level=level,
                run=self,
                moves={p.id: actions[p.id]["moves"] for p in level_partners},
            )
        counts["hold"] += len(history)
        return history

    def _ar_write_invoices(self, invoice_plans):
        """Store the levels reached and the changed next dates of invoices, in one query."""
        rows = [
            (p.move_id, p.new_level.id if p.new_level else None, p.next_date)
            for p in invoice_plans
            if p.changed
        ]
        if not rows:
            return
        self.env["ar.followup.move.state"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ar_followup_move_state AS s (move_id, level_id, last_date, next_date)
                SELECT v.move_id, v.level_id,
                       CASE WHEN v.level_id IS NULL THEN NULL ELSE %(date)s END, v.next_date
                  FROM unnest(%(moves)s::int[], %(levels)s::int[], %(dates)s::date[])
                       AS v(move_id, level_id, next_date)
                    ON CONFLICT (move_id) DO UPDATE
                   SET level_id = COALESCE(EXCLUDED.level_id, s.level_id),
                       last_date = CASE WHEN EXCLUDED.level_id IS NULL
                                   THEN s.last_date ELSE %(date)s END,
                       previous_level_id = CASE WHEN EXCLUDED.level_id IS NULL
                                   THEN s.previous_level_id ELSE s.level_id END,
                       previous_date = CASE WHEN EXCLUDED.level_id IS NULL
                                   THEN s.previous_date ELSE s.last_date END,
                       next_date = EXCLUDED.next_date
                """,
                date=self.date,
                moves=[row[0] for row in rows],
                levels=[row[1] for row in rows],
                dates=[row[2] for row in rows],
            )
        )
        self._ar_invalidate_states()

    def _ar_invalidate_states(self):
        self.env["ar.followup.move.state"].invalidate_model()
        self.env["account.move"].invalidate_model(
            [
                "ar_followup_state_ids",
                "ar_followup_level_id",
                "ar_last_followup_date",
                "ar_next_followup_date",
            ]
        )

    def _ar_refresh_status(self, plan, partners=None):
        """Recompute the customers' level (highest over their open invoices) and next
        follow-up date (earliest over their candidate invoices), and clear the next date of
        invoices that are no candidates any more, in three statements."""
        self.ensure_one()
        self.env["ar.followup.move.state"].flush_model()
        company_id = self.company_id.id
        candidate_ids = [p.move_id for plans in plan.values() for p in plans]
        partner_filter = SQL()
        if partners is not None:
            partner_filter = SQL("AND m.commercial_partner_id IN %s", tuple(partners.ids) or (0,))
        self.env.cr.execute(
            SQL(
                """
                UPDATE ar_followup_move_state s SET next_date = NULL
                  FROM account_move m
                 WHERE m.id = s.move_id AND m.company_id = %s AND s.next_date IS NOT NULL
                   AND NOT (m.id = ANY(%s)) %s
                """,
                company_id,
                candidate_ids,
                partner_filter,
            )
        )
        key = str(company_id)
        partner_scope = SQL()
        if partners is not None:
            partner_scope = SQL("AND p.id IN %s", tuple(partners.ids) or (0,))
        self.env.cr.execute(
            SQL(
                """
                WITH open_moves AS (
                    SELECT m.commercial_partner_id AS pid, s.level_id AS ar_followup_level_id,
                           s.next_date AS ar_next_followup_date, l.delay
                      FROM account_move m
                      LEFT JOIN ar_followup_move_state s ON s.move_id = m.id
                      LEFT JOIN ar_followup_level l ON l.id = s.level_id
                     WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice'
                       AND m.state = 'posted' AND m.amount_residual > 0 %(move_filter)s
                ), target AS (
                    SELECT pid,
                           (ARRAY_AGG(ar_followup_level_id ORDER BY delay DESC)
                                FILTER (WHERE ar_followup_level_id IS NOT NULL))[1] AS level_id,
                           MIN(ar_next_followup_date) AS next_date
                      FROM open_moves GROUP BY pid
                ), rows AS (
                    SELECT p.id, t.level_id, t.next_date
                      FROM res_partner p
                      LEFT JOIN target t ON t.pid = p.id
                     WHERE (t.pid IS NOT NULL OR p.ar_followup_level_id ? %(key)s
                            OR p.ar_next_followup_date ? %(key)s) %(partner_scope)s
                )
                UPDATE res_partner p
                   SET ar_followup_level_id = CASE WHEN r.level_id IS NULL
                           THEN p.ar_followup_level_id - %(key)s
                           ELSE COALESCE(p.ar_followup_level_id, '{}'::jsonb)
                                || jsonb_build_object(%(key)s, r.level_id) END,
                       ar_next_followup_date = CASE WHEN r.next_date IS NULL
                           THEN p.ar_next_followup_date - %(key)s
                           ELSE COALESCE(p.ar_next_followup_date, '{}'::jsonb)
                                || jsonb_build_object(%(key)s, r.next_date) END
                  FROM rows r
                 WHERE p.id = r.id
                """,
                company=company_id,
                key=key,
                move_filter=partner_filter,
                partner_scope=partner_scope,
            )
        )
        self.env["res.partner"].invalidate_model(["ar_followup_level_id", "ar_next_followup_date"])
        self._ar_invalidate_states()

    def _ar_log(self, message):
        for run in self:
            stamp = fields.Datetime.to_string(fields.Datetime.now())
            run.log = "{}{} {}\n".format(run.log or "", stamp, message)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_followup.action_ar_followup_history"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def action_process_now(self):
        """'Run the follow-up now' (menu and list action): today's run for the current company."""
        run = self.process()
        return {
            "type": "ir.actions.act_window",
            "res_model": "ar.followup.run",
            "res_id": run.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
