from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID

from odoo.addons.ar_followup.tests.common import ArFollowupCase
from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

CHANNEL = "root.ar_followup"


class JobRunCase(ArFollowupCase):
    """The company runs on job workers; :meth:`_work` is queue_job's worker."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ar_followup_jobs = True

    def _cron(self, on):
        """The daily scheduled action at ``on`` (as the superuser, its commits left out);
        returns the company's run of that day."""
        with (
            patch.object(type(self.env["ir.cron"]), "_notify_progress"),
            patch.object(self.env.cr, "commit"),
            freeze_time(on),
        ):
            self.Run.with_user(SUPERUSER_ID)._cron_process()
        return self.Run.search(
            [("company_id", "=", self.company.id), ("date", "=", on)], order="id desc", limit=1
        )

    def _queue(self, states=("pending",)):
        return (
            self.env["queue.job"]
            .sudo()
            .search([("channel", "=", CHANNEL), ("state", "in", list(states))], order="id")
        )

    def _perform(self, record):
        """One job as queue_job's controller does it (``RunJobController._runjob``, its
        rollbacks as savepoints): started, performed, done, then the jobs that waited for it
        enqueued; a retryable error postpones it (pending again), any other fails it."""
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        try:
            with self.env.cr.savepoint():
                RunJobController._try_perform_job(self.env, job)
        except RetryableJobError as err:
            job.postpone(result=str(err), seconds=err.seconds)
            job.set_pending(reset_retry=False)
            job.store()
            return job
        except Exception as err:  # noqa: BLE001 - as queue_job: any error fails the job
            job.set_failed(**RunJobController._get_failure_values(job, "", err))
            job.store()
            return job
        RunJobController._enqueue_dependent_jobs(self.env, job)
        return job

    def _work(self, on):
        """Perform the channel's pending jobs until none is left (the finish comes last)."""
        with freeze_time(on):
            while records := self._queue():
                for record in records:
                    self._perform(record)
                    record.eta = False  # postponed: tried again at once
        # the workers' transactions are others: what this one computed from them is stale
        self.env.invalidate_all()
        self._send_queue()
