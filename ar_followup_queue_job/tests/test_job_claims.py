"""Two workers on one batch, in two real database transactions (as two Odoo workers): a
customer is claimed once; a job whose transaction is rolled back (killed) leaves no claim."""

import threading

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestJobClaims(TransactionCase):
    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        # committed rows both workers see: a run (far in the future), its job, customers
        self.setup_cr = self.db.cursor()
        env = api.Environment(self.setup_cr, SUPERUSER_ID, {})
        self.partner_ids = env["res.partner"].search([], order="id", limit=3).ids
        company = env.ref("base.main_company")
        Run = env["ar.followup.run"]
        self.runs = Run.create(
            [
                {"date": day, "company_id": company.id, "scope": "all"}
                for day in ("2031-01-01", "2031-01-02")
            ]
        )
        self.jobs = env["ar.followup.run.job"].create(
            [{"run_id": run.id, "partner_ids": self.partner_ids} for run in self.runs]
        )
        self.setup_cr.commit()
        self.workers = [self.db.cursor(), self.db.cursor()]
        self.addCleanup(self._clean)

    def _clean(self):
        for cr in self.workers:
            cr.rollback()
            cr.close()
        self.runs.unlink()  # its jobs and claims with it
        self.setup_cr.commit()
        self.setup_cr.close()

    def _claimer(self, index, job):
        """Worker ``index``'s claim of ``job``'s customers, the job read first (the worker's
        transaction and its snapshot begin there, as a job's does when it is loaded)."""
        env = api.Environment(self.workers[index], SUPERUSER_ID, {})
        job = env["ar.followup.run.job"].browse(job.id)
        job.run_id.company_id  # noqa: B018 - read now: the snapshot of the job's start
        Claim = env["ar.followup.run.claim"]
        return lambda: Claim._ar_claim(job, self.partner_ids)

    def _in_thread(self, claim):
        result = {}

        def work():
            try:
                result["claimed"] = claim()
            except SerializationFailure as error:
                result["claimed"] = error

        thread = threading.Thread(target=work)
        thread.start()
        return thread, result

    def test_the_second_worker_waits_then_claims_nobody(self):
        claim_a = self._claimer(0, self.jobs[0])
        claim_b = self._claimer(1, self.jobs[0])
        self.assertEqual(claim_a(), self.partner_ids)
        thread, result = self._in_thread(claim_b)
        thread.join(1.0)
        self.assertTrue(thread.is_alive(), "B waits for A's transaction")
        self.workers[0].commit()
        thread.join(10.0)
        self.assertFalse(thread.is_alive())
        # Odoo's transactions are REPEATABLE READ: B's snapshot predates A's claims, so
        # PostgreSQL refuses B's (queue_job retries the job on that error)
        self.assertIsInstance(result["claimed"], SerializationFailure)
        self.workers[1].rollback()
        retry = self._claimer(1, self.jobs[0])
        self.assertEqual(retry(), [], "tried again: nothing left to claim")
        self.setup_cr.execute(
            "SELECT partner_id, job_id FROM ar_followup_run_claim WHERE run_id = %s",
            [self.runs[0].id],
        )
        self.assertEqual(
            sorted(self.setup_cr.fetchall()), [(pid, self.jobs[0].id) for pid in self.partner_ids]
        )

    def test_a_killed_worker_leaves_its_customers_to_the_next(self):
        claim_a = self._claimer(0, self.jobs[1])
        claim_b = self._claimer(1, self.jobs[1])
        self.assertEqual(claim_a(), self.partner_ids)
        thread, result = self._in_thread(claim_b)
        thread.join(1.0)
        self.assertTrue(thread.is_alive())
        self.workers[0].rollback()  # A killed: its transaction rolled back
        thread.join(10.0)
        self.assertEqual(result["claimed"], self.partner_ids, "B claims them all")
        self.workers[1].commit()
