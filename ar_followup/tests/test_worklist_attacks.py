# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The attacks on the collector worklist (#33), each as it was made over JSON-RPC."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestWorklistAttacks(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("wla_billing", "billing", name="Billing A")
        cls.billing2 = cls._user("wla_billing2", "billing", name="Billing A2")
        cls.other_company = cls.setup_other_company(name="Attack B")["company"]
        cls.billing_b = cls._user("wla_billing_b", "billing", company=cls.other_company)

    def _worklist(self, user):
        Line = self.env["ar.worklist.line"].with_user(user)
        with freeze_time(days(0)):
            action = Line.action_worklist()
        return Line.search(action["domain"])

    def test_a_call_log_reads_no_other_activity(self):
        secret = self.env.ref("base.partner_admin").activity_schedule(
            "mail.mail_activity_data_todo", summary="SECRET-ADMIN-PRIVATE", date_deadline=days(0)
        )
        status, log_id = self._rpc(
            "wla_billing",
            "ar.call.log",
            "create",
            {"partner_id": self.customer.id, "activity_id": secret.id, "outcome": "reached"},
        )
        self.assertEqual(status, "ok")
        status, rows = self._rpc(
            "wla_billing", "ar.call.log", "read", [log_id], ["activity_summary"]
        )
        self.assertEqual(status, "ok")
        self.assertFalse(rows[0]["activity_summary"])
        result = self._rpc("wla_billing", "ar.call.log", "action_confirm", [log_id])
        self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"))
        self.assertTrue(secret.exists())

    def test_another_kind_of_activity_is_not_closed_by_a_call(self):
        mail = self.customer.activity_schedule(
            "mail.mail_activity_data_email",
            summary="Sales: send the contract",
            user_id=self.account_manager.id,
            date_deadline=days(0),
        )
        status, log_id = self._rpc(
            "wla_billing",
            "ar.call.log",
            "create",
            {"partner_id": self.customer.id, "activity_id": mail.id, "outcome": "reached"},
        )
        self.assertEqual(status, "ok")
        result = self._rpc("wla_billing", "ar.call.log", "action_confirm", [log_id])
        self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"))
        self.assertTrue(mail.exists())

    def test_another_companys_customer_does_not_break_the_worklist(self):
        b_only = self._customer("B Only", company_id=self.other_company.id)
        b_only.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=days(-2), user_id=self.billing_b.id
        )
        shared_call = self.customer.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=days(-1), user_id=self.billing.id
        )
        lines = self._worklist(self.billing)
        self.assertNotIn(b_only, lines.partner_id)
        self.assertIn(self.customer, lines.partner_id)
        # company A's collector's call is not on company B's worklist
        Line = (
            self.env["ar.worklist.line"].with_user(self.billing_b).with_company(self.other_company)
        )
        with freeze_time(days(0)):
            action = Line.action_worklist()
        self.assertNotIn(shared_call, Line.search(action["domain"]).activity_id)

    def test_snoozes_are_written_by_the_button_only(self):
        for values in (
            {"partner_id": self.customer.id, "until": "9999-12-31"},
            {
                "partner_id": self.customer.id,
                "until": "2026-03-03",
                "user_id": self.credit_manager.id,
            },
        ):
            result = self._rpc("wla_billing", "ar.worklist.snooze", "create", values)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        self.customer.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=days(-1), user_id=self.billing.id
        )
        line = self._worklist(self.billing).filtered(lambda x: x.partner_id == self.customer)
        with freeze_time(days(0)):
            line.action_snooze()
        snooze = self.env["ar.worklist.snooze"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((snooze.until, snooze.user_id), (days(1), self.billing))
        result = self._rpc(
            "wla_billing",
            "ar.worklist.snooze",
            "write",
            snooze.ids,
            {"company_id": self.other_company.id},
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))

    def test_a_users_worklist_and_call_logs_are_its_own(self):
        self.customer.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=days(-1), user_id=self.billing.id
        )
        lines = self._worklist(self.billing)
        self.assertTrue(lines)
        for method, args in (
            ("read", [lines.ids, ["partner_id"]]),
            ("write", [lines.ids, {"reason": "call"}]),
            ("unlink", [lines.ids]),
        ):
            result = self._rpc("wla_billing2", "ar.worklist.line", method, *args)
            self.assertEqual(result[0], "error", method)
        log = (
            self.env["ar.call.log"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.customer.id, "outcome": "reached", "note": "private"})
        )
        status, rows = self._rpc("wla_billing", "ar.call.log", "search_read", [], ["note"])
        self.assertEqual(status, "ok")
        self.assertNotIn(log.id, [row["id"] for row in rows or []])

    def test_no_answer_on_the_worklist_calls_again(self):
        """A functional defect found by the attack: the call activity was read after it was
        done (gone), for the next call's user."""
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=days(-1), user_id=self.account_manager.id
        )
        line = self._worklist(self.billing).filtered(lambda x: x.partner_id == self.customer)
        context = line.action_log_call()["context"]
        with freeze_time(days(0)):
            log = (
                self.env["ar.call.log"]
                .with_user(self.billing)
                .with_context(**context)
                .create({"outcome": "no_answer"})
            )
            log.action_confirm()
            self.assertFalse(activity.exists())
            again = self._activities(self.customer)
            self.assertEqual((again.user_id, again.date_deadline), (self.account_manager, days(1)))
            # a day far away or in the past is refused; a promise for more than is owed too
            for call_again in (days(-1), days(400)):
                with self.assertRaises(UserError):
                    self.env["ar.call.log"].with_user(self.billing).create(
                        {
                            "partner_id": self.customer.id,
                            "outcome": "no_answer",
                            "call_again": call_again,
                        }
                    ).action_confirm()
            self._invoice(self.customer, 300.0, days(-20))
            with self.assertRaises(UserError):
                self.env["ar.call.log"].with_user(self.billing).create(
                    {
                        "partner_id": self.customer.id,
                        "outcome": "promise",
                        "promise_date": days(3),
                        "promise_amount": 1e9,
                    }
                ).action_confirm()
