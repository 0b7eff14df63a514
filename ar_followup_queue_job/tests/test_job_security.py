"""The jobs of a run over JSON-RPC, as an attacker calls them: billing users read them, nobody
writes them, claims or performs a batch; the option is the administrators'."""

from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import days

from .common import JobRunCase


@tagged("post_install", "-at_install")
class TestJobSecurity(JobRunCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(cls.customer, 100.0, days(-8))
        cls.billing = cls._user("qj_billing", "billing")
        cls.portal = cls._user("qj_portal", "portal", partner_id=cls.customer.id)

    def test_billing_reads_the_jobs_and_changes_nothing(self):
        run = self._cron(days(0))
        job = run.ar_job_ids
        rows = self._ok(
            "qj_billing", "ar.followup.run.job", "read", job.ids, ["planned_count", "state"]
        )
        self.assertEqual(rows[0]["planned_count"], 1)
        self.assertEqual(rows[0]["state"], "pending")
        for method, args in (
            ("write", (job.ids, {"partner_ids": [self.customer.id, 1]})),
            ("create", ({"run_id": run.id, "partner_ids": [self.customer.id]},)),
            ("unlink", (job.ids,)),
            ("_ar_perform", (job.ids,)),
        ):
            for login in ("qj_billing", "ar_manager"):
                self._refused(login, "ar.followup.run.job", method, *args)
        self._refused("qj_billing", "ar.followup.run", "_ar_jobs_finish", run.ids)
        self._refused("qj_billing", "ar.followup.run.claim", "search_read", [], ["partner_id"])
        self._refused(
            "ar_manager",
            "ar.followup.run.claim",
            "create",
            {
                "company_id": self.company.id,
                "date": "2026-03-03",
                "partner_id": 1,
                "run_id": run.id,
            },
        )
        self._refused(
            "qj_billing", "res.company", "write", self.company.ids, {"ar_followup_jobs": 0}
        )
        self.assertTrue(self.company.ar_followup_jobs)
        # untouched: the job does its batch
        self._work(days(0))
        self.assertEqual(run.state, "done")
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_a_portal_user_sees_no_job(self):
        run = self._cron(days(0))
        self._refused("qj_portal", "ar.followup.run.job", "search_read", [], ["partner_ids"])
        self._refused("qj_portal", "ar.followup.run", "read", run.ids, ["ar_job_count"])

    def test_another_companys_users_see_neither_jobs_nor_claims(self):
        run = self._cron(days(0))
        self._work(days(0))
        other = self.setup_other_company(name="Jobs Elsewhere B")["company"]
        self._user("qj_other", "credit_manager", company=other)
        there = {"context": {"allowed_company_ids": other.ids}}
        jobs = self._ok("qj_other", "ar.followup.run.job", "search_read", [], ["state"], **there)
        self.assertEqual(jobs, [])
        self._refused(
            "qj_other", "ar.followup.run.job", "read", run.ar_job_ids.ids, ["state"], **there
        )
        claims = self._ok(
            "qj_other", "ar.followup.run.claim", "search_read", [], ["partner_id"], **there
        )
        self.assertEqual(claims, [])
        # its own company's credit-control manager reads them
        claims = self._ok("ar_manager", "ar.followup.run.claim", "search_read", [], ["partner_id"])
        self.assertEqual([c["partner_id"][0] for c in claims], [self.customer.id])
