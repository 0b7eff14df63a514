"""Nobody gets around the credit decision, nobody forges the audit trail, a failing run tells
the truth (issue #15, items 1, 2 and 6), tested the way an attacker calls the server: JSON-RPC
on /web/dataset/call_kw as a billing user, and two database connections at once."""

from unittest.mock import patch

import psycopg2

from odoo import sql_db
from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.models.ar_followup_run import LOCK_NAMESPACE, RunInProgress
from odoo.addons.ar_followup.models.ar_followup_run_finish import ArFollowupRun

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestCreditGuardRpc(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # billing with contact creation: the rights of the attack that was found
        cls.billing = cls._user(
            "guard_billing",
            "billing",
            groups="base.group_partner_manager",
            password="guard_billing",
        )
        cls.controller = cls._user(
            "guard_controller",
            "credit_user",
            groups="base.group_partner_manager",
            password="guard_controller",
        )
        cls.held = cls._customer("Held Customer")
        cls.env["ar.customer.account"]._ar_of(
            cls.held.with_company(cls.company)
        )._ar_set_credit_hold("Unpaid final notice", days(0))
        cls.held.with_company(cls.company).sudo().credit_limit = 1000.0
        cls.contact = cls.env["res.partner"].create(
            {"name": "Held Contact", "parent_id": cls.held.id, "email": "contact@held.example"}
        )

    def _hold(self):
        partner = self.held.with_company(self.company)
        partner.invalidate_recordset()
        return partner.ar_credit_hold, partner.credit_limit

    def test_billing_user_cannot_lift_a_hold_by_moving_the_customer(self):
        """The attack that was found: put the held customer under a new company, lift the
        hold and the limit on it as a contact, detach it again."""
        status, company = self._rpc(
            "guard_billing", "res.partner", "create", {"name": "H", "is_company": True}
        )
        self.assertEqual(status, "ok")
        # a company stays its own commercial partner under a parent: allowed, changes nothing
        self.assertEqual(
            self._rpc(
                "guard_billing", "res.partner", "write", [self.held.id], {"parent_id": company}
            ),
            ("ok", True),
        )
        result = self._rpc(
            "guard_billing",
            "res.partner",
            "write",
            [self.held.id],
            {"ar_credit_hold": False, "credit_limit": 1000000},
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        self.assertIn("credit-control manager", result[2])
        self.assertEqual(
            self._rpc(
                "guard_billing", "res.partner", "write", [self.held.id], {"parent_id": False}
            ),
            ("ok", True),
        )
        # the hold, the limit and the history are as they were
        self.assertEqual(self._hold(), (True, 1000.0))
        self.assertFalse(self._history(self.held, "release"))
        # a held consumer (no company) moved under a company would take that company's
        # (empty) credit data: refused
        consumer = self._customer("Held Consumer", is_company=False)
        self.env["ar.customer.account"]._ar_of(
            consumer.with_company(self.company)
        )._ar_set_credit_hold("Unpaid", days(0))
        result = self._rpc(
            "guard_billing", "res.partner", "write", [consumer.id], {"parent_id": company}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        consumer.invalidate_recordset()
        self.assertEqual(consumer.commercial_partner_id, consumer)

    def test_contacts_take_no_credit_data_of_their_own(self):
        for login in ("guard_billing", "guard_controller"):
            result = self._rpc(
                login, "res.partner", "write", [self.contact.id], {"ar_credit_hold": True}
            )
            self.assertEqual(result[0], "error", login)
            result = self._rpc(
                login, "res.partner", "write", [self.contact.id], {"credit_limit": 5.0}
            )
            self.assertEqual(result[0], "error", login)
        # a contact cannot be detached with the company's credit data either
        result = self._rpc(
            "guard_billing", "res.partner", "write", [self.contact.id], {"parent_id": False}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        # Odoo copies the company's limit to a new contact: that is allowed
        status, _new = self._rpc(
            "guard_billing",
            "res.partner",
            "create",
            {"name": "New contact", "parent_id": self.held.id, "credit_limit": 1000.0},
        )
        self.assertEqual(status, "ok")
        # an ordinary contact without credit data moves freely
        plain = self._customer("Plain Company")
        free = self.env["res.partner"].create({"name": "Free", "parent_id": plain.id})
        other = self._customer("Other Plain")
        self.assertEqual(
            self._rpc("guard_billing", "res.partner", "write", [free.id], {"parent_id": other.id}),
            ("ok", True),
        )

    def test_a_new_customer_takes_the_companys_default_limit(self):
        """With a default credit limit in Settings, the customer form sends it with every
        new customer: a billing user creates customers; another limit is refused, named."""
        self.env["res.config.settings"].create(
            {"account_use_credit_limit": True, "account_default_credit_limit": 2500.0}
        ).execute()
        status, new_id = self._rpc(
            "guard_billing", "res.partner", "create", {"name": "Form", "credit_limit": 2500.0}
        )
        self.assertEqual(status, "ok")
        self.assertEqual(self.env["res.partner"].browse(new_id).credit_limit, 2500.0)
        result = self._rpc(
            "guard_billing", "res.partner", "create", {"name": "Form", "credit_limit": 9000.0}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        self.assertIn("new partner its credit settings (Credit Limit)", result[2])

    def test_a_hold_changes_only_through_the_logged_methods(self):
        """Even a credit-control manager writing the hold field of the account directly goes
        through the release: a history line and a chatter note, with the reason given."""
        self._account(self.held.with_company(self.company).with_user(self.credit_manager)).write(
            {"credit_hold": False, "credit_hold_reason": "Paid by bank transfer"}
        )
        self.assertEqual(self._hold()[0], False)
        release = self._history(self.held, "release")
        self.assertEqual(release.note, "Paid by bank transfer")
        self.assertIn("Paid by bank transfer", self.held.message_ids[0].body)

    def test_runs_and_history_are_written_by_the_system_only(self):
        """A billing user cannot make the daily run skip a company (a 'done' run of today),
        rewrite a past run, or forge history lines; a credit-control user cannot edit them."""
        result = self._rpc(
            "guard_billing", "ar.followup.run", "create", {"date": "2026-03-02", "state": "done"}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        run = self._run(days(0))
        for login in ("guard_billing", "guard_controller"):
            result = self._rpc(
                login, "ar.followup.run", "write", [run.id], {"email_count": 0, "log": "x"}
            )
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), login)
            result = self._rpc(
                login,
                "ar.followup.history",
                "create",
                {"partner_id": self.customer.id, "channel": "fee", "date": "2026-03-02"},
            )
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), login)
        line = self._history(self.held)[:1]
        result = self._rpc(
            "guard_controller", "ar.followup.history", "write", line.ids, {"note": "x"}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        # they still run the follow-up, which writes as the system, in their name
        self._invoice(self.customer, 100.0, days(-8))
        status, action = self._rpc("guard_billing", "ar.followup.run", "action_process_now")
        self.assertEqual(status, "ok")
        made = self.env["ar.followup.run"].browse(action["res_id"])
        self.assertEqual(made.user_id, self.billing)
        self.assertEqual(
            made.history_ids.filtered(lambda h: h.channel == "email").user_id, self.billing
        )


@tagged("post_install", "-at_install")
class TestRunLock(ArFollowupCase):
    def _other_worker_can_lock(self):
        """Whether another database connection gets the company's follow-up lock now."""
        cursor = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, self.company.id)
            )
            return cursor.fetchone()[0]
        finally:
            cursor.rollback()
            cursor.close()

    def test_a_failing_status_refresh_reports_its_error_and_frees_the_lock(self):
        """The status refresh fails in the database (as a serialization failure does): the
        caller gets that error, not 'current transaction is aborted', the lock is free for
        the other workers at once, and the next run proceeds."""
        self._invoice(self.customer, 100.0, days(-8))

        def failing_refresh(run, plan, partners=None):
            run.env.cr.execute("SELECT 1 / 0")

        with (
            patch.object(ArFollowupRun, "_ar_clear_next_dates", failing_refresh),
            self.assertRaises(psycopg2.errors.DivisionByZero),
        ):
            self._run(days(0))
        self.assertTrue(self._other_worker_can_lock(), "the lock is not leaked")
        run = self._run(days(0))
        self.assertEqual(run.state, "done")
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_a_second_worker_writes_nothing_on_the_run_in_progress(self):
        """Two cron workers at once: the one that does not get the lock leaves the run of the
        other alone (no 'Resumed.' line, no second run)."""
        self._invoice(self.customer, 100.0, days(-8))
        run = (
            self.env["ar.followup.run"]
            .sudo()
            .create({"date": days(0), "company_id": self.company.id})
        )
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, self.company.id)
            )
            self.assertTrue(other.fetchone()[0])
            with self.assertRaises(RunInProgress):
                self._run(days(0))
            self.assertFalse(run.log)
            self.assertEqual(self.Run.search_count([("date", "=", days(0))]), 1)
        finally:
            other.rollback()
            other.close()
        # the other worker is gone (its transaction ended): the run is resumed here
        resumed = self._run(days(0))
        self.assertEqual(resumed, run)
        self.assertEqual(resumed.state, "done")
