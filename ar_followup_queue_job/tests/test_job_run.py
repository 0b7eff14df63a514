"""The daily run on job workers: planned once, its batches done as jobs, finished by the last
one; the same history, e-mails and holds as the run without jobs, over a sequence of days."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.ar_followup.models.ar_followup_run import ArFollowupRun, RunInProgress
from odoo.addons.ar_followup.tests.common import days

from .common import JobRunCase


@tagged("post_install", "-at_install")
class TestJobRun(JobRunCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = [cls._customer(f"Job Customer {i}") for i in range(5)]
        for index, partner in enumerate(cls.customers):
            cls._invoice(partner, 100.0 + index, days(-8))

    def _snapshot(self, on):
        """What the run of ``on`` did, customer by customer, without ids: its history lines,
        its e-mails' subjects, the customers' level and hold."""
        result = {}
        for partner in self.customers:
            history = self.env["ar.followup.history"].search(
                [("partner_id", "=", partner.id), ("date", "=", on)], order="id"
            )
            result[partner.name] = (
                sorted(
                    (line.channel, line.level_id.name or "", line.move_ids.mapped("name"))
                    for line in history
                ),
                sorted(self._mails(partner).mapped("subject")),
                partner.ar_followup_level_id.name,
                partner.ar_credit_hold,
            )
        return result

    def test_planned_once_done_by_jobs_finished_by_the_last(self):
        self._set_batch_size(2)
        run = self._cron(days(0))
        self.assertEqual(run.state, "in_progress")
        self.assertEqual(run.ar_job_count, 3)
        self.assertEqual(run.ar_job_ids.mapped("planned_count"), [2, 2, 1])
        self.assertEqual(len(self._queue()), 3, "a job a batch, pending")
        self.assertEqual(len(self._queue(["wait_dependencies"])), 1, "the finish waits")
        self.assertFalse(self._mails(self.customers[0]), "nothing went out when planning")
        self.assertIn("Planned: 5 customers in 3 jobs", run.log)
        self._work(days(0))
        self.assertEqual(run.state, "done")
        self.assertEqual(run.ar_job_done_count, 3)
        self.assertIn("Done by 3 jobs.", run.log)
        for partner in self.customers:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)
            self.assertEqual(partner.ar_followup_level_id, self.levels[7])
        # the run's counters are the sums of its jobs'
        self.assertEqual(run.partner_count, 5)
        self.assertEqual(run.email_count, 5)
        self.assertEqual(sum(run.ar_job_ids.mapped("email_count")), run.email_count)
        self.assertEqual(sum(run.ar_job_ids.mapped("partner_count")), run.partner_count)

    def test_the_same_as_the_run_without_jobs_over_days(self):
        """Every day of a sequence (payments, a new invoice, a dispute in between) is done
        twice from the same state: by the core's run, rolled back, then by the jobs; both do
        the same, customer by customer."""
        self._set_batch_size(2)
        events = {
            days(8): lambda: self._pay(self.customers[1].invoice_ids[:1], 101.0, days(8)),
            days(15): lambda: self._invoice(self.customers[2], 500.0, days(-1)),
            days(22): lambda: self._pay(self.customers[3].invoice_ids[:1], 50.0, days(22)),
        }
        for on in (days(0), days(8), days(15), days(22), days(30), days(45)):
            if on in events:
                with freeze_time(on):
                    events[on]()
            savepoint = self.env.cr.savepoint()
            self.company.ar_followup_jobs = False
            self._cron(on)
            self._send_queue()
            expected = self._snapshot(on)
            savepoint.rollback()
            savepoint.close(rollback=False)
            self.env.invalidate_all()
            self.company.ar_followup_jobs = True
            run = self._cron(on)
            self._work(on)
            self.assertEqual(run.state, "done", on)
            self.assertEqual(self._snapshot(on), expected, on)
        self.assertTrue(any(p.ar_credit_hold for p in self.customers), "the ladder got far")

    def test_a_job_done_twice_acts_once(self):
        """A second worker on the same batch: it claims nobody, does nothing."""
        run = self._cron(days(0))
        job = run.ar_job_ids
        self.assertIn("5 of 5 customers acted on", job._ar_perform())
        self.assertIn("another worker did this batch", job._ar_perform())
        for partner in self.customers:
            self.assertEqual(len(self._history(partner, "email")), 1)
        self.assertEqual(job.email_count, 5)

    def test_a_job_killed_mid_batch_is_tried_again_and_completes(self):
        """The worker dies in the second batch: its transaction is rolled back, claims
        included; queue_job's dead-job requeuer sets it pending and it does the whole batch."""
        self._set_batch_size(2)
        run = self._cron(days(0))
        original = ArFollowupRun._ar_execute_batch
        calls = []

        def dies_in_second(run_, batch):
            calls.append(batch)
            if len(calls) == 2:
                raise KeyboardInterrupt("killed")
            return original(run_, batch)

        first, second = self._queue()[:2]
        second_row = run.ar_job_ids.filtered(lambda j: j.job_uuid == second.uuid)
        with freeze_time(days(0)), patch.object(ArFollowupRun, "_ar_execute_batch", dies_in_second):
            self._perform(first)
            with self.assertRaises(KeyboardInterrupt), self.env.cr.savepoint():
                self._perform(second)
        self.env.invalidate_all()
        self.assertEqual(second.state, "pending", "rolled back with the transaction")
        self.assertFalse(self.env["ar.followup.run.claim"].search([("job_id", "=", second_row.id)]))
        self._work(days(0))
        self.assertEqual(run.state, "done")
        for partner in self.customers:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)
        self.assertEqual(run.email_count, 5)

    def test_a_failing_batch_is_retried_then_failed_and_shows_on_the_run(self):
        """An error in a batch: undone, tried again by queue_job (its retry pattern); still
        failing after the last try, the job fails, the run shows it and waits; requeued once
        the cause is fixed, the run finishes."""
        self._set_batch_size(3)
        run = self._cron(days(0))
        original = ArFollowupRun._ar_execute_batch
        broken = {self.customers[4].id}

        def fails_for_one(run_, batch):
            if broken & set(batch.plan):
                raise ZeroDivisionError("division by zero")
            return original(run_, batch)

        with patch.object(ArFollowupRun, "_ar_execute_batch", fails_for_one):
            self._work(days(0))
        record = self._queue(["failed"])
        self.assertEqual(len(record), 1)
        self.assertEqual(record.retry, record.max_retries, "tried again before failing")
        self.assertEqual(run.state, "in_progress", "the finish waits for the failed job")
        self.assertEqual(run.ar_job_failed_count, 1)
        failed = run.ar_job_ids.filtered(lambda j: j.state == "failed")
        self.assertIn("division by zero", failed.error)
        self.assertFalse(self._mails(self.customers[4]), "its batch did nothing")
        self.assertFalse(
            self.env["ar.followup.run.claim"].search([("partner_id", "=", self.customers[4].id)])
        )
        self.assertEqual(len(self._mails(self.customers[0])), 1, "the other batch did its own")
        # the cause fixed, requeued (queue_job's Requeue): the run finishes
        record.requeue()
        self._work(days(0))
        self.assertEqual(run.state, "done")
        self.assertEqual(run.email_count, 5)
        self.assertEqual(len(self._mails(self.customers[4])), 1)

    def test_no_other_run_while_its_jobs_are_active(self):
        self._cron(days(0))
        message = "in progress: try again when it is done"
        with self.assertRaisesRegex(RunInProgress, message), freeze_time(days(0)):
            self.Run.process()
        with self.assertRaisesRegex(RunInProgress, message), freeze_time(days(0)):
            self.Run.process(partners=self.customers[0])
        # the scheduled action again (another cron worker): no second plan
        self._cron(days(0))
        self.assertEqual(len(self.Run.search([("date", "=", days(0))])), 1)
        self.assertEqual(len(self._queue()), 1)
        self._work(days(0))
        with freeze_time(days(0)):
            self.Run.process(partners=self.customers[0])  # free again: nothing more to do
        self.assertEqual(len(self._mails(self.customers[0])), 1)

    def test_without_the_option_the_cron_runs_as_before(self):
        self.company.ar_followup_jobs = False
        run = self._cron(days(0))
        self.assertEqual(run.state, "done")
        self.assertFalse(run.ar_job_ids)
        self.assertFalse(self._queue(["pending", "wait_dependencies", "done"]))
        self._send_queue()
        for partner in self.customers:
            self.assertEqual(len(self._mails(partner)), 1)

    def test_nothing_to_do_finishes_at_once(self):
        run = self._cron(days(-20))
        self.assertEqual(run.state, "done")
        self.assertFalse(run.ar_job_ids)
        self.assertFalse(self._queue(["pending", "wait_dependencies"]))
