# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The collector's day (#33, point 2): a new user found the worklist empty while 10
follow-up activities were late (calls 33 days overdue) and 22 customers overdue, because it
listed only the customers due for their next reminder; and "Log a call" silently created an
activity instead of asking for the outcome."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import format_date

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestWorklist(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("wl_billing", "billing", name="Billing User")
        cls.other = cls._customer("Other Customer")

    def _worklist(self, on=None, user=None):
        Line = self.env["ar.worklist.line"].with_user(user or self.env.user)
        with freeze_time(on or days(0)):
            action = Line.action_worklist()
        return Line.search(action["domain"])

    def _reminded_customer(self, name, amount, due, level_delay, reached):
        """A customer reminded at ``level_delay`` on ``reached``: its next reminder is not due
        (the case of the new user's demo)."""
        partner = self._customer(name)
        invoice = self._invoice(partner, amount, due)
        self._set_followup_state(invoice, self.levels[level_delay], reached)
        self.env["ar.followup.move.state"].sudo().search([("move_id", "=", invoice.id)]).write(
            {"next_date": days(10)}
        )
        self.env["ar.followup.move.state"]._ar_refresh_partners(self.company, partner)
        return partner, invoice

    def test_late_calls_fill_the_worklist_first(self):
        called, _invoice = self._reminded_customer("Late Call", 800.0, days(-60), 21, days(-33))
        activity = called.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=days(-33),
            summary="Call about the overdue invoices",
            user_id=self.account_manager.id,
        )
        due, _invoice = self._reminded_customer("Due Reminder", 5000.0, days(-20), 7, days(-13))
        # a third one, due for its next reminder today
        self._invoice(self.other, 300.0, days(-9))
        lines = self._worklist()
        self.assertIn(called, lines.partner_id, "a call 33 days late is on the worklist")
        first = lines[0]
        self.assertEqual(first.partner_id, called, "the late call comes before the reminders")
        self.assertEqual(first.reason, "call")
        self.assertEqual(first.activity_id, activity)
        self.assertEqual(first.since, days(-33))
        self.assertEqual(first.late_days, 33)
        self.assertEqual(first.amount_overdue, 800.0)
        # reminded, next date ahead, nothing due: not on today's list
        self.assertNotIn(due, lines.partner_id)
        self.assertEqual(lines.filtered(lambda x: x.partner_id == self.other).reason, "followup")

    def test_every_source_once_a_customer(self):
        # a promise due today
        promised, _invoice = self._reminded_customer("Promised", 400.0, days(-30), 14, days(-10))
        with freeze_time(days(-5)):
            self.env["ar.promise.wizard"].create(
                {"partner_id": promised.id, "promise_date": days(0), "promise_amount": 400.0}
            ).action_confirm()
        # a dispute past its answer date
        disputing, invoice = self._reminded_customer("Disputing", 900.0, days(-30), 7, days(-20))
        with freeze_time(days(-20)):
            dispute = self.env["ar.dispute"].create(
                {
                    "partner_id": disputing.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "reason": "pricing",
                    "description": "Wrong price",
                }
            )
        dispute.date_deadline = days(-2)
        # two activities of one customer: one line, the call first, both reasons said
        both, _invoice = self._reminded_customer("Both", 700.0, days(-40), 21, days(-19))
        both.activity_schedule("mail.mail_activity_data_todo", date_deadline=days(-1))
        both.activity_schedule("mail.mail_activity_data_call", date_deadline=days(0))
        lines = self._worklist()
        by_partner = {line.partner_id: line for line in lines}
        self.assertEqual(len(lines), len(by_partner), "one line a customer")
        self.assertEqual(by_partner[promised].reason, "promise")
        self.assertEqual(by_partner[disputing].reason, "dispute")
        self.assertEqual(by_partner[disputing].dispute_id, dispute)
        self.assertEqual(by_partner[disputing].late_days, 2)
        self.assertEqual(by_partner[both].reason, "call")
        self.assertIn("Follow-up task due", by_partner[both].tasks)
        ranks = lines.mapped("rank")
        self.assertEqual(ranks, sorted(ranks, reverse=True), "the most urgent first")
        # the dispute line opens the dispute
        self.assertEqual(by_partner[disputing].action_open_task()["res_id"], dispute.id)

    def test_log_a_call_asks_the_outcome(self):
        called, _invoice = self._reminded_customer("Called", 650.0, days(-50), 21, days(-29))
        activity = called.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=days(-3), user_id=self.billing.id
        )
        line = self._worklist(user=self.billing).filtered(lambda x: x.partner_id == called)
        action = line.action_log_call()
        self.assertEqual(action["res_model"], "ar.call.log")
        self.assertEqual(action["target"], "new")
        Log = self.env["ar.call.log"].with_user(self.billing).with_context(**action["context"])
        with freeze_time(days(0)):
            log = Log.create({"outcome": "promise", "note": "Pays Friday"})
            self.assertEqual(log.activity_id, activity)
            self.assertEqual(log.promise_amount, 650.0)
            with self.assertRaises(UserError):
                log.action_confirm()  # a promise without its date
            log.promise_date = days(4)
            log.action_confirm()
        self.assertFalse(activity.exists(), "the call activity is done")
        promise = self._history(called, "promise")
        self.assertEqual((promise.promise_date, promise.promise_amount), (days(4), 650.0))
        self.assertIn("Promised to pay", "".join(called.message_ids[:3].mapped("body")))
        self.assertFalse(self._activities(called).filtered(lambda a: a.date_deadline <= days(0)))
        # no answer: a new call, the next day
        with freeze_time(days(0)):
            self.env["ar.call.log"].with_user(self.billing).create(
                {"partner_id": called.id, "outcome": "no_answer"}
            ).action_confirm()
        again = self._activities(called)
        self.assertEqual(again.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(again.date_deadline, days(1))

    def test_a_call_logged_on_another_customers_activity_is_refused(self):
        victim, _invoice = self._reminded_customer("Victim", 100.0, days(-50), 21, days(-29))
        activity = victim.activity_schedule("mail.mail_activity_data_call", date_deadline=days(0))
        result = self._rpc(
            "wl_billing",
            "ar.call.log",
            "create",
            {"partner_id": self.other.id, "activity_id": activity.id, "outcome": "reached"},
        )
        status, log_id = result[:2]
        self.assertEqual(status, "ok")
        result = self._rpc("wl_billing", "ar.call.log", "action_confirm", [log_id])
        self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"))
        self.assertTrue(activity.exists())

    def test_snooze_until_tomorrow(self):
        called, _invoice = self._reminded_customer("Snoozed", 250.0, days(-50), 21, days(-29))
        called.activity_schedule("mail.mail_activity_data_call", date_deadline=days(-1))
        line = self._worklist(user=self.billing).filtered(lambda x: x.partner_id == called)
        with freeze_time(days(0)):
            action = line.action_snooze()
        # it says so (the new user saw the line vanish without a word)
        self.assertEqual(
            action["params"]["message"],
            f"{called.display_name}: off the worklist until {format_date(self.env, days(1))}.",
        )
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        self.assertNotIn(called, self._worklist(user=self.billing).partner_id)
        self.assertIn(called, self._worklist(on=days(1) + timedelta(days=1)).partner_id)
        # another company's user neither sees the snooze nor snoozes for it
        other_company = self.setup_other_company(name="Worklist B")["company"]
        stranger = self._user("wl_stranger", "billing", company=other_company)
        Snooze = self.env["ar.worklist.snooze"].with_user(stranger)
        self.assertFalse(Snooze.search([("partner_id", "=", called.id)]))
        self.assertEqual(
            self._rpc(
                "wl_stranger",
                "ar.worklist.snooze",
                "create",
                {"partner_id": called.id, "until": "2026-03-30", "company_id": self.company.id},
            )[:2],
            ("error", "odoo.exceptions.AccessError"),
        )
