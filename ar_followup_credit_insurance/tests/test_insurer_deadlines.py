"""The insurer's deadlines as duties over a sequence of runs (D0 = 2026-03-02; the insurer of
:class:`InsuranceCase`: maximum credit period 90 days, notification 60, claim 120, warned 7
days ahead, all counted from the invoice's due date)."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InsuranceCase, days


@tagged("post_install", "-at_install")
class TestInsurerDeadlines(InsuranceCase):
    def test_deadlines_are_counted_from_the_due_date(self):
        invoice = self._invoice(self.customer, 1000.0, days(0))
        self.assertEqual(invoice.credit_policy_company_id, self.insurer)
        self.assertEqual(invoice.ar_insurer_stop_date, days(90))
        self.assertEqual(invoice.ar_insurer_notify_deadline, days(60))
        self.assertEqual(invoice.ar_insurer_claim_deadline, days(120))
        # a customer without an insurer: no deadline at all
        other = self._invoice(self._customer("Uninsured Customer"), 1000.0, days(0))
        self.assertFalse(other.ar_insurer_notify_deadline or other.ar_insurer_stop_date)
        # the insurer's terms change: the deadlines follow
        self.insurer.ar_notification_days = 45
        self.assertEqual(invoice.ar_insurer_notify_deadline, days(45))

    def test_activity_ahead_of_the_notification_deadline_once(self):
        invoice = self._invoice(self.customer, 1000.0, days(0))
        self._run(days(52))
        self.assertFalse(self._activities_on(invoice), "8 days ahead: not yet")
        self._run(days(53))
        activity = self._activities_on(invoice)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, days(60))
        self.assertEqual(activity.user_id, self.company._ar_credit_manager())
        self.assertIn(invoice.name, activity.summary)
        self._run(days(54))
        self._run(days(55))
        self.assertEqual(len(self._activities_on(invoice)), 1, "once per deadline")

    def test_not_reported_in_time_is_uninsured(self):
        invoice = self._invoice(self.customer, 1000.0, days(0))
        self._run(days(60))
        self.assertFalse(invoice.ar_insurer_uninsured, "the deadline day itself is in time")
        self._run(days(61))
        self.assertEqual(invoice.ar_insurer_uninsured, "notification")
        self.assertIn("no longer insured", invoice.message_ids[0].body)
        # reporting it afterwards is refused with the reason (also before the run flags it)
        late = self._invoice(self.customer, 500.0, days(10))
        with freeze_time(days(71)), self.assertRaisesRegex(UserError, "deadline"):
            late.with_user(self.credit_manager).action_ar_insurer_notified()
        with freeze_time(days(62)), self.assertRaisesRegex(UserError, "cannot be reported"):
            invoice.with_user(self.credit_manager).action_ar_insurer_notified()

    def test_reported_then_not_claimed_in_time(self):
        invoice = self._invoice(self.customer, 1000.0, days(0))
        with freeze_time(days(55)):
            invoice.with_user(self.credit_manager).action_ar_insurer_notified()
        self.assertEqual(invoice.ar_insurer_notified_date, days(55))
        self.assertIn("Reported to the credit insurer", invoice.message_ids[0].body)
        self._run(days(61))
        self.assertFalse(invoice.ar_insurer_uninsured, "reported in time")
        self._run(days(113))
        self.assertEqual(
            self._activities_on(invoice).filtered(lambda a: "Claim" in a.summary).date_deadline,
            days(120),
        )
        self._run(days(121))
        self.assertEqual(invoice.ar_insurer_uninsured, "claim")

    def test_hold_by_the_insurer_and_its_release(self):
        first = self._invoice(self.customer, 1000.0, days(0))
        second = self._invoice(self.customer, 500.0, days(20))
        account = self._account(self.customer)
        self._run(days(90))
        self.assertFalse(
            account.credit_hold and account.credit_hold_origin == "insurer",
            "the last day of the maximum credit period is still in it",
        )
        self._run(days(91))
        self.assertTrue(account.credit_hold)
        self.assertEqual(account.credit_hold_origin, "insurer")
        self._pay(first, 1000.0, on=days(95))
        self._run(days(96))
        self.assertFalse(
            account.credit_hold and account.credit_hold_origin == "insurer",
            "the second invoice is not past its maximum credit period yet (day 110)",
        )
        self._run(days(111))
        self.assertEqual(account.credit_hold_origin, "insurer")
        self._pay(second, 500.0, on=days(112))
        self._run(days(113))
        self.assertFalse(account.credit_hold)

    def test_invariants_over_a_sequence_of_runs_and_events(self):
        """Each day: the customer is held by the insurer exactly when an open insured invoice
        is past its maximum credit period (or a level of the ladder holds it); an open invoice
        is flagged uninsured exactly when a deadline passed without it being reported or
        claimed, and a flag is never taken back."""
        invoices = [
            self._invoice(self.customer, 1000.0, days(0)),
            self._invoice(self.customer, 2000.0, days(10)),
            self._invoice(self.customer, 3000.0, days(30)),
        ]
        events = {
            days(50): lambda: (
                invoices[0].with_user(self.credit_manager).action_ar_insurer_notified()
            ),
            days(65): lambda: (
                invoices[1].with_user(self.credit_manager).action_ar_insurer_notified()
            ),
            days(95): lambda: self._pay(invoices[0], 1000.0, on=days(95)),
            days(100): lambda: self.insurer.write({"ar_max_credit_days": 120}),
            days(130): lambda: invoices[1].with_user(self.credit_manager).action_ar_insurer_claim(),
            days(140): lambda: self._pay(invoices[2], 3000.0, on=days(140)),
        }
        account = self._account(self.customer)
        flagged = {}
        for day in range(45, 160, 5):
            on = days(day)
            if on in events:
                with freeze_time(on):
                    events[on]()
            self._run(on)
            account.invalidate_recordset()
            open_invoices = [m for m in invoices if not m.currency_id.is_zero(m.amount_residual)]
            past = [m for m in open_invoices if m.ar_insurer_stop_date < on]
            held_by_insurer = account.credit_hold and account.credit_hold_origin == "insurer"
            if past:
                self.assertTrue(account.credit_hold, f"day {day}: past the maximum period")
            else:
                self.assertFalse(held_by_insurer, f"day {day}: nothing past it")
            for move in invoices:
                if move in flagged:
                    self.assertEqual(move.ar_insurer_uninsured, flagged[move], f"day {day}")
                    continue
                if move not in open_invoices:
                    continue
                late_report = (
                    not move.ar_insurer_notified_date and move.ar_insurer_notify_deadline < on
                )
                late_claim = (
                    move.ar_insurer_notified_date
                    and not move.ar_insurer_claim_date
                    and move.ar_insurer_claim_deadline < on
                )
                self.assertEqual(
                    bool(move.ar_insurer_uninsured), bool(late_report or late_claim), f"day {day}"
                )
                if move.ar_insurer_uninsured:
                    flagged[move] = move.ar_insurer_uninsured
        # what happened: the third invoice was never reported, the first was paid, the second
        # claimed in time
        self.assertEqual(flagged, {invoices[2]: "notification"})
        self.assertTrue(invoices[1].ar_insurer_case_id)
