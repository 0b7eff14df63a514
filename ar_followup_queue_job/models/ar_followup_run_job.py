# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One batch of a follow-up run done as a queue_job job: its customers, what it did (its
counters: the run's are their sums) and its job's state."""

from contextlib import contextmanager

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

JOB_STATES = [
    ("wait_dependencies", "Waiting"),
    ("pending", "Pending"),
    ("enqueued", "Enqueued"),
    ("started", "Started"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("failed", "Failed"),
]
# a run whose finish waits for a failed job does not keep the company's next runs waiting
ACTIVE_STATES = ("pending", "enqueued", "started")


@contextmanager
def retried_by_queue_job(cr):
    """Any error of the work in it is queue_job's to retry (its retry pattern, then failed);
    the work is undone first. Concurrency errors are queue_job's own, unchanged."""
    try:
        with cr.savepoint():
            yield
    except OperationalError:
        raise
    except Exception as exc:  # pylint: disable=broad-except
        raise RetryableJobError(str(exc)) from exc


class ArFollowupRunJob(models.Model):
    _name = "ar.followup.run.job"
    _description = "Follow-up Run Job"
    _order = "run_id desc, sequence"

    run_id = fields.Many2one("ar.followup.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    sequence = fields.Integer(string="Batch", readonly=True)
    partner_ids = fields.Json(
        string="Customers planned", help="The ids of the customers of the batch."
    )
    planned_count = fields.Integer(
        string="Planned",
        compute="_compute_planned_count",
        help="The customers of the batch when it was planned.",
    )
    partner_count = fields.Integer(
        string="Customers",
        readonly=True,
        help="The customers the job acted on (a customer paid since the plan is left out).",
    )
    email_count = fields.Integer(string="E-mails", readonly=True)
    activity_count = fields.Integer(string="Activities", readonly=True)
    hold_count = fields.Integer(string="Holds", readonly=True)
    skip_count = fields.Integer(string="Skipped", readonly=True)
    letter_count = fields.Integer(string="Letters", readonly=True)
    fee_count = fields.Integer(string="Fee invoices", readonly=True)
    job_uuid = fields.Char(string="Job UUID", readonly=True, index=True, copy=False)
    queue_job_id = fields.Many2one("queue.job", string="Job", compute="_compute_queue_job")
    state = fields.Selection(JOB_STATES, compute="_compute_queue_job")
    error = fields.Text(compute="_compute_queue_job", help="The job's last error.")
    retries = fields.Integer(compute="_compute_queue_job", help="The times it was tried again.")

    @api.depends("partner_ids")
    def _compute_planned_count(self):
        for row in self:
            row.planned_count = len(row.partner_ids or [])

    def _ar_link_queue_jobs(self, uuids):
        """Store the uuid of each row's queue job (``uuids``, in the order of ``self``), in
        one statement."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE ar_followup_run_job j SET job_uuid = u.uuid
                  FROM unnest(%s::int[], %s::varchar[]) AS u(id, uuid)
                 WHERE j.id = u.id
                """,
                self.ids,
                uuids,
            )
        )
        self.invalidate_recordset(["job_uuid"])

    @api.depends("job_uuid")
    def _compute_queue_job(self):
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search([("uuid", "in", [uuid for uuid in self.mapped("job_uuid") if uuid])])
        )
        by_uuid = {job.uuid: job for job in jobs}
        for row in self:
            job = by_uuid.get(row.job_uuid)
            row.queue_job_id = job
            row.state = job.state if job else False
            row.error = job.exc_message if job and job.state == "failed" else False
            row.retries = job.retry if job else 0

    def _ar_perform(self):
        """The job: claim the batch's customers, then do the run's pipeline for the ones
        claimed (:meth:`ar.followup.run._ar_execute_job`)."""
        self.ensure_one()
        run = self.run_id.sudo().with_company(self.run_id.company_id)._ar_in_company_lang()
        job = self.sudo().with_env(run.env)
        with retried_by_queue_job(self.env.cr):
            Claim = self.env["ar.followup.run.claim"].sudo()
            claimed = Claim._ar_claim(job, self.partner_ids or [])
            if not claimed:
                return "No customer left to claim: another worker did this batch."
            return run._ar_execute_job(job, claimed)
