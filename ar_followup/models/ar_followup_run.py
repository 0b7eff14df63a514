# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up procedure: one run (``ar.followup.run``) of a company for a date.

The run is a pipeline of named, overridable steps; each concern has its own file, all of
them extending this model (``_inherit``)::

    process / _cron_process          entry points, lock              (this file)
      _ar_check_run_right/_date      who, for which day              ar_followup_run_rights.py
      _ar_locked_run, _ar_start      the run to work in, resumed     (this file)
      _ar_execute                    the pipeline                    (this file)
        _ar_plan                     candidates, levels reached      ar_followup_run_plan.py
        _ar_plan_listen              payments on their way, bank feed ar_followup_run_listen.py
        _ar_plan_charges             costs, interest due today       ar_followup_run_fees.py
        per batch (a RunBatch), in a savepoint, committed by the scheduled action:
          _ar_execute_batch: the named steps of _ar_run_steps, each _ar_step_<name>
            plan                     which levels act, the tone      (this file)
            charge                   the fee invoices                ar_followup_run_fee_invoice.py
            hold                     credit holds                    ar_followup_run_activity.py
            prepayment               (the sale bridge's)             ar_followup_run_activity.py
            mail                     the reminder e-mails            ar_followup_run_mail.py
            letter                   letters, or a skip without them ar_followup_run_mail.py
            activity                 calls and to-dos                ar_followup_run_activity.py
            handoff                  draft collection cases          ar_followup_run_handoff.py
            _ar_write_invoices       ar.followup.move.state._ar_store_levels
            (history)                ar.followup.history._ar_record
        _ar_finish                   next dates, status, releases    ar_followup_run_finish.py

The run's date is its field ``date``; each step reads it there, and what a batch shares
travels in its :class:`~..tools.rows.RunBatch`, never in the context. The level rule is
plain Python in :mod:`..tools.ladder`; the statements come from ``ar.followup.statement``.

Running it again for the same date does nothing: an invoice that reached a level today can
only reach the next one after the difference of the two delays (at least one day). A run that
stopped halfway is resumed by the next call for the same date and company; the batches it
committed are not done again, for the same reason.
"""

import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, split_every
from odoo.tools.sql import create_index, drop_index

from ..tools import ladder as ladder_rule
from ..tools.rows import PartnerActions, RunBatch

_logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200
LOCK_NAMESPACE = 0x4152  # "AR": first key of the follow-up's advisory locks


class RunInProgress(UserError):
    """Another worker is running the follow-up of the same company."""


DEFAULT_CRON_BATCHES = 25

# the run's counters, added up batch by batch
RUN_COUNTERS = (
    "partner_count",
    "email_count",
    "activity_count",
    "hold_count",
    "skip_count",
    "letter_count",
    "fee_count",
)


class ArFollowupRun(models.Model):
    _name = "ar.followup.run"
    _inherit = ["ar.followup.rules", "mail.thread", "mail.activity.mixin"]
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
    @api.returns("self", lambda run: run.id)  # over RPC: the run's id
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
        today = self._ar_today()
        try:
            date = fields.Date.to_date(date) if date else today
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("%(date)r is not a date.", date=date)) from error
        self._ar_check_run_date(date, today)
        # runs and their history are written by the system only: the right is checked above
        Run = self.sudo()._ar_in_company_lang()
        partners = partners.commercial_partner_id.sudo() if partners else None
        run = Run._ar_locked_run(date, partners)
        run._ar_execute(partners, force=force)
        return run

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
            Run = self.with_company(company)._ar_in_company_lang()
            today = Run._ar_today()
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
            last = Run._ar_last_run_date()
            if last and last > today:
                _logger.warning(
                    "Follow-up of %s not run: it ran for %s already", company.name, last
                )
                continue
            try:
                run = Run._ar_locked_run(today, None)
            except RunInProgress:
                # another worker runs it: it resumes the run; nothing is written here
                _logger.info("Follow-up of %s already running elsewhere", company.name)
                continue
            company_done, company_remaining = run._ar_execute(
                None, commit=True, max_batches=max_batches
            )
            done += company_done
            remaining += company_remaining
            if company_remaining:
                break
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _ar_in_company_lang(self):
        """The run writes for the company's users (history notes, hold reasons, its log, the
        chatter) in the company's language; what goes to a customer is in the customer's."""
        return self.with_context(lang=self.env.company._ar_lang())

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
    # Execution
    # ------------------------------------------------------------------

    def _ar_batch_size(self):
        return int(
            self.env["ir.config_parameter"].sudo().get_param("ar_followup.batch_size")
            or DEFAULT_BATCH_SIZE
        )

    def _ar_execute(self, partners=None, force=False, commit=False, max_batches=None):
        """The pipeline: plan, mark the charges, then execute per batch of customers, then
        finish (the company's lock is held: see :meth:`_ar_locked_run`). Another worker that
        takes the lock between two committed batches carries on with the run; this one then
        stops.

        :param commit: commit after each batch (the scheduled action)
        :param max_batches: stop after so many batches (the scheduled action)
        :returns: ``(done, remaining)`` customer counts
        """
        self.ensure_one()
        plan = self._ar_prepare(partners.ids if partners is not None else None, force=force)
        todo = self._ar_todo(plan)
        batch_size = self._ar_batch_size()
        several_batches = len(todo) > batch_size
        # the statements of all batches from one pass over the open items, rather than a
        # query per batch whose plan depends on fresh statistics; of the customers asked
        # only, when a run is for some (not every open item of the company: 20 s at
        # 1,000,000 invoices for 500 customers)
        rows = (
            self.env["ar.followup.statement"]._ar_rows(
                self.company_id, todo if partners is not None else None
            )
            if several_batches
            else None
        )
        done = 0
        for index, chunk in enumerate(split_every(batch_size, todo, list)):
            if max_batches and index >= max_batches:
                break
            batch = RunBatch(
                plan={pid: plan[pid] for pid in chunk},
                partners=self.env["res.partner"].with_company(self.company_id).browse(chunk),
                statement_rows=rows,
            )
            self._ar_run_batch(batch, commit)
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
            self._ar_finish(plan, set(todo), partners)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done, remaining

    def _ar_prepare(self, partner_ids=None, force=False):
        """The run's plan for these customers (all: ``None``): the levels reached
        (:meth:`_ar_plan`), what listening holds back (:meth:`_ar_plan_listen`) and the
        charges due (:meth:`_ar_plan_charges`)."""
        plan = self._ar_plan(partner_ids, force=force)
        self._ar_plan_listen(plan)
        self._ar_plan_charges(plan)
        return plan

    @staticmethod
    def _ar_todo(plan):
        """The customers of ``plan`` the batches act on (a level reached or a charge due),
        in the order of their ids."""
        return [
            pid
            for pid in sorted(plan)
            if any(p.new_level or p.charge_costs or p.charge_interest for p in plan[pid])
        ]

    def _ar_run_batch(self, batch, commit):
        """One batch in a savepoint: an error marks the run failed (committed from the
        scheduled action, so that it shows) and stops it."""
        try:
            with self.env.cr.savepoint():
                self._ar_execute_batch(batch)
        except Exception as exc:
            _logger.exception("Follow-up run %s failed", self.id)
            self.state = "failed"
            self._ar_log(self.env._("Stopped by an error: %(error)s", error=exc))
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            raise

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

    def _ar_run_steps(self):
        """The names of the run's steps, in the order a batch goes through them; each is a
        method ``_ar_step_<name>(batch)`` returning the values of its history lines, which
        a bridge overrides by name (as ``account.move.send`` names its hooks). The hold
        comes before the e-mails: the final notice says whether the account is on hold; the
        reminders (what goes out to whom) before the e-mails and letters that render them."""
        return [
            "plan",
            "charge",
            "hold",
            "prepayment",
            "reminder",
            "mail",
            "letter",
            "activity",
            "handoff",
        ]

    def _ar_execute_batch(self, batch):
        """Carry out the steps of :meth:`_ar_run_steps` on one :class:`RunBatch`; their
        history lines are recorded at the end in one go."""
        self.ensure_one()
        history_vals = []
        for step in self._ar_run_steps():
            history_vals += getattr(self, f"_ar_step_{step}")(batch)
        self._ar_write_invoices([p for plans in batch.plan.values() for p in plans])
        # every skip recorded (held back, no address, no rate, ...) is counted as one
        batch.counts.skip = sum(1 for vals in history_vals if vals["channel"] == "skip")
        self.env["ar.followup.history"]._ar_record(history_vals)
        self._ar_add_counts(batch)

    def _ar_add_counts(self, batch):
        """Add what ``batch`` did to the run's counters (a bridge that runs the batches in
        parallel keeps them per batch instead: see ``ar_followup_queue_job``)."""
        counts = self._ar_batch_counts(batch)
        self.sudo().write({name: self[name] + value for name, value in counts.items()})

    @staticmethod
    def _ar_batch_counts(batch):
        """``{counter field: what batch did}`` for the run's counters (:data:`RUN_COUNTERS`)."""
        counts = batch.counts
        return dict(
            zip(
                RUN_COUNTERS,
                (
                    len(batch.plan),
                    counts.email,
                    counts.activity,
                    counts.hold,
                    counts.skip,
                    counts.letter,
                    counts.fee,
                ),
                strict=True,
            )
        )

    def _ar_step_plan(self, batch):
        """Step *plan*: the actions of the batch's customers (:meth:`_ar_partner_actions`)."""
        batch.actions = self._ar_partner_actions(batch.plan)
        return []

    def _ar_partner_actions(self, plan):
        """Per partner, the :class:`PartnerActions` of this run: the highest e-mail level
        reached, the highest activity level per activity type, the highest hold level.

        The tone never goes down: when the highest e-mail level reached is below the level
        of a reminder the customer already has for invoices still open (the plans' ``tone``,
        from :meth:`_ar_reminder_status`), no reminder goes out; the invoices keep the level
        they reached and are listed in the next reminder, at the customer's level
        (``held_back``). A final notice is not repeated either: reached at the level of the
        customer's final notice for invoices still open, it is held back, and the invoices
        go on to the next levels (the call, the hand-off). Nor is a reminder of the level
        the customer already had, when the invoices that reached it today were all listed
        in that one (:func:`~..tools.ladder.held_back`).
        """
        actions = {}
        for partner_id, plans in plan.items():
            reached = sorted({p.new_level for p in plans if p.new_level}, key=lambda lvl: lvl.delay)
            if not reached:
                # only costs or interest fall due for it today: nothing to send
                actions[partner_id] = PartnerActions()
                continue
            activities = {}
            for level in reached:
                if level.create_activity and level.activity_type_id:
                    activities[level.activity_type_id] = level
            holds = [lvl for lvl in reached if lvl.credit_hold]
            email = ladder_rule.email_level(plans)
            held_back = None
            if ladder_rule.held_back(email, plans):
                held_back, email = email, None
            actions[partner_id] = PartnerActions(
                email=email,
                held_back=held_back,
                activities=list(activities.values()),
                hold=holds[-1] if holds else None,
                moves=[p.move_id for p in plans if p.new_level],
            )
        return actions

    def _ar_history(self, partner_id, channel, level, move_ids, **values):
        """The values of a history line of this run (``ar.followup.history._ar_line``)."""
        return self.env["ar.followup.history"]._ar_line(
            partner_id, channel, self.date, level=level, moves=move_ids, run=self, **values
        )

    def _ar_write_invoices(self, invoice_plans):
        """Store the levels reached and the changed next dates of invoices, in one query."""
        self.env["ar.followup.move.state"]._ar_store_levels(
            self.date,
            [
                (p.move_id, p.new_level.id if p.new_level else None, p.next_date)
                for p in invoice_plans
                if p.changed
            ],
        )

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
        """'Run the follow-up now' (the dry run's button, after it showed what the run does):
        today's run for the current company. A run that did nothing for any customer is not
        kept (the follow-up of today already ran, or nothing reached its next step): the user
        is told so instead of getting an empty run."""
        run = self.process()
        previous = self.search(
            [
                ("company_id", "=", run.company_id.id),
                ("date", "=", run.date),
                ("id", "!=", run.id),
            ],
            limit=1,
        )
        acted = run.history_ids.filtered(lambda h: h.channel != "skip")
        # only skips again (what an earlier run of the day skipped, said once more): nothing
        if not acted and not run.fee_count and (previous or not run.history_ids):
            run.history_ids.sudo().unlink()
            run.sudo().unlink()
            if previous:
                message = self.env._(
                    "Nothing to do: the follow-up of %(date)s already ran and nothing new has "
                    "reached its next step since.",
                    date=format_date(self.env, previous.date),
                )
            else:
                message = self.env._(
                    "Nothing to do today: no open invoice has reached its next follow-up step."
                )
            return self._ar_notification(message, "info")
        return {
            "type": "ir.actions.act_window",
            "res_model": "ar.followup.run",
            "res_id": run.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
