# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The daily run on queue_job's workers (company option *Follow-up run on job workers*).

The scheduled action plans once, under the company's follow-up lock: the bank feed checked,
the customers the run acts on, the next dates of the invoices that reach nothing written; it
then enqueues one job a batch on the channel ``root.ar_followup`` and one that finishes the run
when they are all done (queue_job's ``group(...).on_done(...)``). Any worker of any Odoo server
sharing the database does the batches, in parallel:

* each job claims its customers (``ar.followup.run.claim``, once a customer a company and
  date) in its own transaction, then plans, listens, charges and acts for them with the core's
  pipeline (:meth:`_ar_execute_job`), its counters kept on its own row;
* the last job finishes the run: the run's counters are the sums of its jobs', the customers'
  status and the holds are refreshed, the bridges' end-of-run duties done.

While its jobs are active no other run of the company starts (the core's *in progress*); the
other paths (a run for some customers, *Run now*) are the core's, unchanged, and so is
everything without the option."""

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from odoo.addons.ar_followup.models.ar_followup_run import RUN_COUNTERS, RunInProgress
from odoo.addons.ar_followup.tools.rows import RunBatch
from odoo.addons.queue_job.delay import group

from .ar_followup_run_job import ACTIVE_STATES, retried_by_queue_job

CHANNEL = "root.ar_followup"


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"

    ar_job_ids = fields.One2many("ar.followup.run.job", "run_id", string="Jobs", readonly=True)
    ar_feed_hold_from = fields.Date(
        string="Bank feed stale since",
        readonly=True,
        help="The bank feed was stale when the run was planned: what goes beyond the first "
        "overdue level is held back (the newest statement line's date).",
    )
    ar_job_count = fields.Integer(string="Number of jobs", compute="_compute_ar_job_counts")
    ar_job_done_count = fields.Integer(string="Jobs done", compute="_compute_ar_job_counts")
    ar_job_failed_count = fields.Integer(string="Jobs failed", compute="_compute_ar_job_counts")

    @api.depends("ar_job_ids")
    def _compute_ar_job_counts(self):
        self.ar_job_ids.mapped("state")  # the states of all runs' jobs in one query
        for run in self:
            states = run.ar_job_ids.mapped("state")
            run.ar_job_count = len(states)
            run.ar_job_done_count = states.count("done")
            run.ar_job_failed_count = states.count("failed")

    # -- planning ----------------------------------------------------------------------------

    def _ar_locked_run(self, date, partners):
        """No run of a company starts while the jobs of another are active."""
        if self._ar_jobs_active():
            raise RunInProgress(
                self.env._(
                    "A follow-up run of %(company)s is in progress: try again when it is done.",
                    company=self.env.company.name,
                )
            )
        return super()._ar_locked_run(date, partners)

    @api.model
    def _ar_jobs_active(self):
        """Whether the current company has follow-up jobs not done: one query on queue_job's
        indexed state, channel and company (the active jobs are few; the done ones many)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM queue_job
                 WHERE state IN %s AND channel = %s AND company_id = %s
                 LIMIT 1
                """,
                ACTIVE_STATES,
                CHANNEL,
                self.env.company.id,
            )
        )
        return bool(self.env.cr.fetchone())

    def _ar_execute(self, partners=None, force=False, commit=False, max_batches=None):
        """The scheduled action's run of all customers is planned and enqueued when the
        company runs on job workers; anything else is the core's."""
        if commit and partners is None and self.company_id.ar_followup_jobs:
            self._ar_enqueue()
            return 0, 0
        return super()._ar_execute(partners, force=force, commit=commit, max_batches=max_batches)

    def _ar_enqueue(self):
        """Plan once and enqueue a job a batch, then the job that finishes the run."""
        self.ensure_one()
        hold_from = self._ar_feed_check()
        plan = self._ar_plan(None)
        self._ar_plan_charges(plan)
        todo = self._ar_todo(plan)
        # the customers that reach nothing today: their invoices' next dates, now
        self._ar_finish_invoices(plan, set(todo), None)
        self._ar_refresh_table_sizes()
        del plan
        chunks = list(split_every(self._ar_batch_size(), todo, list))
        jobs = (
            self.env["ar.followup.run.job"]
            .sudo()
            .create(
                [
                    {"run_id": self.id, "sequence": index, "partner_ids": chunk}
                    for index, chunk in enumerate(chunks, 1)
                ]
            )
        )
        self.sudo().ar_feed_hold_from = hold_from
        self._ar_log(
            self.env._(
                "Planned: %(customers)s customers in %(jobs)s jobs on the channel %(channel)s.",
                customers=len(todo),
                jobs=len(jobs),
                channel=CHANNEL,
            )
        )
        if not jobs:
            self._ar_jobs_finish()
            return
        batches = [
            job.delayable(
                channel=CHANNEL,
                description=self.env._(
                    "%(run)s: batch %(batch)s of %(jobs)s",
                    run=self.name,
                    batch=job.sequence,
                    jobs=len(jobs),
                ),
                identity_key=f"ar_followup_run_job:{job.id}",
            )._ar_perform()
            for job in jobs
        ]
        finish = self.delayable(
            channel=CHANNEL,
            description=self.env._("%(run)s: finish", run=self.name),
            identity_key=f"ar_followup_run:{self.id}:finish",
        )._ar_jobs_finish()
        group(*batches).on_done(finish).delay()
        jobs._ar_link_queue_jobs([delayable._generated_job.uuid for delayable in batches])

    # -- in the jobs -------------------------------------------------------------------------

    def _ar_feed_check(self):
        """In the jobs, the bank feed as checked when the run was planned."""
        if self.ar_job_ids:
            return self.ar_feed_hold_from or None
        return super()._ar_feed_check()

    def _ar_execute_job(self, job, partner_ids):
        """The run's pipeline for the customers ``job`` claimed: plan, listen, charge, then the
        batch's steps for those it acts on, and the next dates of the others' invoices."""
        self.ensure_one()
        plan = self._ar_prepare(partner_ids)
        todo = self._ar_todo(plan)
        if todo:
            batch = RunBatch(
                plan={pid: plan[pid] for pid in todo},
                partners=self.env["res.partner"].with_company(self.company_id).browse(todo),
                job=job,
            )
            self._ar_execute_batch(batch)
        acted = set(todo)
        self._ar_write_invoices(
            [p for pid, plans in plan.items() if pid not in acted for p in plans]
        )
        return f"{len(todo)} of {len(partner_ids)} customers acted on."

    def _ar_add_counts(self, batch):
        """A job's counters are its own: the run's are their sums, when the run finishes
        (jobs in parallel never write the run)."""
        if batch.job is None:
            return super()._ar_add_counts(batch)
        batch.job.write(self._ar_batch_counts(batch))
        return None

    def _ar_jobs_finish(self):
        """The job after the last batch: the run's counters, then the core's end of a run."""
        self.ensure_one()
        run = self.sudo().with_company(self.company_id)._ar_in_company_lang()
        jobs = run.ar_job_ids
        with retried_by_queue_job(run.env.cr):
            run.write({name: sum(jobs.mapped(name)) for name in RUN_COUNTERS})
            run._ar_finish(None, None, None)
            run._ar_log(run.env._("Done by %(jobs)s jobs.", jobs=len(jobs)))
        return f"{run.partner_count} customers, {run.email_count} e-mails."
