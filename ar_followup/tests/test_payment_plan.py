from datetime import date

from freezegun import freeze_time
from psycopg2.errors import LockNotAvailable

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestPaymentPlan(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["ar.payment.plan"]
        cls.company.ar_plan_grace_days = 5

    def _plan(self, invoices, count, first, state="active", on=None):
        with freeze_time(on or days(0)):
            plan = self.Plan.create(
                {"partner_id": self.customer.id, "move_ids": [Command.set(invoices.ids)]}
            )
            plan._set_instalments(count, first)
            if state == "active":
                plan.action_activate()
        return plan

    def test_split_to_the_cent(self):
        lines = self.Plan._split(100.0, 3, days(0))
        self.assertEqual([line["amount"] for line in lines], [33.33, 33.33, 33.34])
        self.assertEqual(
            [line["date"] for line in lines],
            [days(0), days(0).replace(month=4), days(0).replace(month=5)],
        )
        lines = self.Plan._split(1000.01, 7, days(0), interval_months=2)
        self.assertEqual(round(sum(line["amount"] for line in lines), 2), 1000.01)
        self.assertEqual(lines[-1]["amount"], 142.85)  # 6 x 142.86 + 142.85
        self.assertEqual(lines[1]["date"], days(0).replace(month=5))
        with self.assertRaises(UserError):
            self.Plan._split(10.0, 0, days(0))

    def test_wizard_creates_a_plan(self):
        first = self._invoice(self.customer, 200.0, days(-10))
        second = self._invoice(self.customer, 100.0, days(-5))
        wizard = self.env["ar.payment.plan.wizard"].create(
            {"partner_id": self.customer.id, "instalments": 4, "first_date": days(7)}
        )
        wizard._onchange_partner_id()
        self.assertEqual(wizard.move_ids, first | second)
        action = wizard.action_create()
        plan = self.Plan.browse(action["res_id"])
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.amount_total, 300.0)
        self.assertEqual(plan.line_ids.mapped("amount"), [75.0, 75.0, 75.0, 75.0])
        self.assertRegex(plan.name, r"^PLAN/\d{4}/\d{4}$")

    def test_instalments_beyond_the_calendar(self):
        self._invoice(self.customer, 300.0, days(-10))
        wizard = self.env["ar.payment.plan.wizard"].create(
            {"partner_id": self.customer.id, "instalments": 3, "first_date": date(9999, 12, 31)}
        )
        wizard._onchange_partner_id()
        with self.assertRaisesRegex(UserError, "outside the calendar"):
            wizard.action_create()

    def test_portal_request_one_at_a_time(self):
        """The request locks the customer's row before it reads the customer's plans: while
        another transaction holds the row (a parallel request), it waits and creates nothing;
        then one plan, and the next request gets a message."""
        Plan = self.Plan.with_company(self.company)
        # never wait long in this test: a lock that is not obtained fails it
        self.env.cr.execute("SET LOCAL lock_timeout = '2s'")
        with self.registry.cursor() as other:
            # the other connection, a parallel request, locks a contact committed in the
            # database (it cannot see the test's own), one that the test does not hold
            other.execute(
                "SELECT id FROM res_partner WHERE parent_id IS NULL"
                # one the test company may invoice, that the test does not hold (with stock
                # installed, the test writes the main company's partner, and the
                # administrator's belongs to the main company)
                " AND company_id IS NULL"
                " ORDER BY active DESC, id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED"
            )
            partner = self.env["res.partner"].browse(other.fetchone()[0])
            # the customer's invoices can be written meanwhile (they only share its key)
            invoice = self._invoice(partner, 300.0, days(-5))
            with (
                freeze_time(days(0)),
                mute_logger("odoo.sql_db"),
                self.assertRaises(LockNotAvailable),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute("SET LOCAL lock_timeout = '200ms'")
                Plan._ar_request_from_portal(partner, 3, days(5))
            other.rollback()
        self.assertFalse(self.Plan.search([("partner_id", "=", partner.id)]))
        with freeze_time(days(0)):
            plan, errors = Plan._ar_request_from_portal(partner, 3, days(5))
            self.assertFalse(errors)
            self.assertEqual((plan.state, plan.move_ids), ("proposed", invoice))
            self.assertTrue(plan.requested_by_customer)
            self.assertEqual(len(plan.activity_ids), 1)
            again, errors = Plan._ar_request_from_portal(partner, 2, days(5))
        self.assertFalse(again)
        self.assertIn("already asked for a payment plan", errors["plan"])
        self.assertEqual(self.Plan.search([("partner_id", "=", partner.id)]), plan)

    def test_payments_after_the_request_before_the_approval(self):
        """The demo's Café De Hoek asked for a plan over 19,749.86 and then paid one invoice
        online: the approval takes the paid invoice out and spreads the instalments again
        over what is open, on the same dates; the approval e-mail names only what is left.
        A plan a user typed keeps its instalments and gets a clear message; a plan with
        nothing left cannot be approved."""
        first = self._invoice(self.customer, 5296.78, days(-30))
        second = self._invoice(self.customer, 9534.20, days(-25))
        third = self._invoice(self.customer, 4918.88, days(-20))
        Plan = self.Plan.with_company(self.company)
        with freeze_time(days(0)):
            plan, errors = Plan._ar_request_from_portal(self.customer, 3, days(10))
        self.assertFalse(errors)
        self.assertEqual(plan.move_ids, first | second | third)
        self.assertEqual(plan.line_ids.mapped("amount"), [6583.29, 6583.29, 6583.28])
        self._pay(first, 5296.78, on=days(1))
        self._pay(second, 534.20, on=days(1))  # 9,000.00 left on it
        with freeze_time(days(2)):
            plan.action_activate()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.move_ids, second | third)
        # 9,000.00 + 4,918.88 = 13,918.88 in three: 4,639.63 + 4,639.63 + 4,639.62
        self.assertEqual(plan.line_ids.sorted("date").mapped("amount"), [4639.63, 4639.63, 4639.62])
        self.assertEqual(
            plan.line_ids.sorted("date").mapped("date"),
            [days(10), days(10).replace(month=4), days(10).replace(month=5)],
        )
        note = plan.message_ids.filtered(lambda m: "spread again" in (m.body or ""))
        self.assertIn(first.name, note.body)
        approval = plan.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertNotIn(first.name, approval.body)
        self.assertIn(second.name, approval.body)

        # a plan a user made: its own instalments, a clear message
        other = self._customer("Customer Two")
        fourth = self._invoice(other, 600.0, days(-20))
        fifth = self._invoice(other, 400.0, days(-20))
        typed = self.Plan.create(
            {"partner_id": other.id, "move_ids": [Command.set((fourth | fifth).ids)]}
        )
        typed._set_instalments(2, days(10))
        self._pay(fourth, 100.0, on=days(1))
        with self.assertRaises(UserError) as error:
            typed.action_activate()
        self.assertIn(
            "add up to $ 1,000.00, the plan's amount is $ 900.00",
            str(error.exception).replace("\N{NO-BREAK SPACE}", " "),
        )
        self.assertEqual(typed.line_ids.mapped("amount"), [500.0, 500.0])
        # nothing left: declined, not approved
        self._pay(fourth, 500.0, on=days(1))
        self._pay(fifth, 400.0, on=days(1))
        with self.assertRaisesRegex(UserError, "paid meanwhile"):
            typed.action_activate()
        self.assertEqual(typed.state, "draft")

    def test_company_windows_are_bounded(self):
        for values in (
            {"ar_plan_max_instalments": 0},
            {"ar_plan_max_instalments": 100000},
            {"ar_plan_start_days": -1},
            {"ar_plan_start_days": 3000000},
            {"ar_promise_horizon_days": 3000000},
        ):
            with self.assertRaises(ValidationError, msg=values), self.env.cr.savepoint():
                self.company.write(values)

    def test_active_plan_excludes_invoices_and_completes(self):
        invoice = self._invoice(self.customer, 300.0, days(-10))
        plan = self._plan(invoice, 3, days(10))
        self.assertTrue(invoice.ar_in_payment_plan)
        run = self._run(days(0))
        self.assertEqual(run.partner_count, 0, "an invoice in an active plan is not chased")
        with freeze_time(days(10)):
            self._pay(invoice, 100.0, on=days(10))
        with freeze_time(days(20)):
            self.Plan._cron_check_plans()
            self.assertEqual(plan.state, "active", "on track")
        with freeze_time(days(40)):
            self._pay(invoice, 100.0, on=days(40))
            self.Plan._cron_check_plans()
            self.assertEqual(plan.state, "active")
        with freeze_time(days(70)):
            self._pay(invoice, 100.0, on=days(70))
            self.Plan._cron_check_plans()
        self.assertEqual(plan.state, "completed")
        self.assertFalse(invoice.ar_in_payment_plan)
        self.assertEqual(
            self._history(self.customer, "plan").mapped("note"),
            [f"Payment plan {plan.name} completed."],
        )

    def test_broken_plan_resumes_followup(self):
        invoice = self._invoice(self.customer, 300.0, days(-8))
        self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        plan = self._plan(invoice, 3, days(10), on=days(1))
        with freeze_time(days(10)):
            self._pay(invoice, 60.0, on=days(10))  # partial first instalment
        with freeze_time(days(15)):
            self.Plan._cron_check_plans()
            self.assertEqual(plan.state, "active", "still within the grace period")
        with freeze_time(days(16)):
            self.Plan._cron_check_plans()
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.amount_paid, 60.0)
        self.assertFalse(invoice.ar_in_payment_plan)
        note = self._history(self.customer, "plan").note
        self.assertIn("broken", note)
        self.assertTrue(plan.activity_ids)
        broken_mail = plan.message_ids.filtered(lambda m: "not kept" in (m.subject or ""))
        self.assertEqual(len(broken_mail), 1)
        self._run(days(16))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14], "resumes at the next level")

    def test_instalment_reminder(self):
        invoice = self._invoice(self.customer, 300.0, days(-8))
        self.company.ar_plan_reminder_days = 3
        plan = self._plan(invoice, 3, days(10))
        with freeze_time(days(6)):
            self.Plan._cron_check_plans()
        self.assertFalse(
            plan.message_ids.filtered(lambda m: "next instalment" in (m.subject or ""))
        )
        with freeze_time(days(7)):
            self.Plan._cron_check_plans()
            self.Plan._cron_check_plans()
        reminder = plan.message_ids.filtered(lambda m: "next instalment" in (m.subject or ""))
        self.assertEqual(len(reminder), 1)
        self.assertIn("100.00", reminder.body)

    def test_activation_rules(self):
        invoice = self._invoice(self.customer, 300.0, days(-8))
        plan = self._plan(invoice, 3, days(10), state="draft")
        plan.line_ids[0].amount = 50.0
        with self.assertRaises(UserError):
            plan.action_activate()
        self.assertEqual(plan.state, "draft")
        plan._set_instalments(2, days(10))
        plan.action_activate()
        other = self._plan(invoice, 1, days(5), state="draft")
        with self.assertRaises(UserError):
            other.action_activate()
        with self.assertRaises(ValidationError):
            other.line_ids[0].amount = -1.0
        # an approved plan's instalments are fixed
        with self.assertRaises(UserError):
            plan.line_ids[0].amount = 10.0

    def test_customer_mail_in_dutch(self):
        dutch = self._customer("Slagerij De Vries", lang="nl_NL")
        invoice = self._invoice(dutch, 300.0, days(-8))
        # proposed: as the portal's request makes it (as the system)
        plan = (
            self.Plan.sudo()
            .create(
                {
                    "partner_id": dutch.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "state": "proposed",
                }
            )
            .sudo(False)
        )
        plan._set_instalments(3, days(10))
        plan.action_activate()
        mail = plan.message_ids.filtered(lambda m: "betalingsregeling" in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        self.assertIn("Wij gaan akkoord", mail.body)
        self.assertIn("100,00", mail.body)

    def test_access(self):
        invoice = self._invoice(self.customer, 300.0, days(-8))
        plan = self._plan(invoice, 3, days(10))
        portal_partner = self._customer("Plan Portal")
        portal = self._user("plan_portal", "portal", partner_id=portal_partner.id)
        own = self._invoice(portal_partner, 120.0, days(-3))
        own_plan = self.Plan.create(
            {"partner_id": portal_partner.id, "move_ids": [Command.set(own.ids)]}
        )
        self.assertEqual(self.Plan.with_user(portal).search([]), own_plan)
        with self.assertRaises(AccessError):
            plan.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            own_plan.with_user(portal).write({"grace_days": 99})
        billing = self._user("plan_billing", "billing")
        self.assertEqual(plan.with_user(billing).amount_total, 300.0)
        with self.assertRaises(AccessError):
            plan.with_user(billing).unlink()
        credit_user = self._user("plan_credit_user", "credit_user")
        theirs = self.Plan.with_user(credit_user).create(
            {"partner_id": portal_partner.id, "move_ids": [Command.set(own.ids)]}
        )
        theirs._set_instalments(2, days(10))
        theirs.action_activate()
        self.assertEqual(theirs.state, "active")
        with self.assertRaises(AccessError):
            theirs.unlink()


@tagged("post_install", "-at_install")
class TestPromiseToPay(ArFollowupCase):
    def _promise(self, amount, on, promised):
        with freeze_time(on):
            wizard = self.env["ar.promise.wizard"].create(
                {"partner_id": self.customer.id, "promise_date": promised, "promise_amount": amount}
            )
            wizard.action_confirm()
        return self._history(self.customer, "promise")

    def test_promise_pauses_and_is_kept(self):
        self.company.ar_promise_grace_days = 3
        invoice = self._invoice(self.customer, 500.0, days(-8))
        promise = self._promise(500.0, days(0), days(5))
        self.assertEqual(promise.promise_state, "open")
        self.assertEqual(self.customer.with_company(self.company).ar_followup_paused_until, days(8))
        self.assertEqual(
            self._run(days(7)).partner_count, 0, "paused until the promise date + grace"
        )
        self._pay(invoice, 500.0, on=days(4))
        with freeze_time(days(9)):
            self.env["ar.followup.history"]._cron_check_promises()
        self.assertEqual(promise.promise_state, "kept")
        self.assertEqual(promise.promise_paid, 500.0)

    def test_promise_from_a_call_activity(self):
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.account_manager.id
        )
        action = (
            self.env.ref("ar_followup.action_ar_promise_from_activity")
            .with_context(
                active_model="mail.activity", active_id=activity.id, active_ids=activity.ids
            )
            .run()
        )
        self.assertEqual(action["res_model"], "ar.promise.wizard")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)

    def test_promise_broken(self):
        self.company.ar_promise_grace_days = 3
        invoice = self._invoice(self.customer, 500.0, days(-8))
        promise = self._promise(300.0, days(0), days(5))
        self._pay(invoice, 299.99, on=days(6))
        with freeze_time(days(8)):
            self.env["ar.followup.history"]._cron_check_promises()
            self.assertEqual(promise.promise_state, "open", "grace period not over")
        with freeze_time(days(9)):
            self.env["ar.followup.history"]._cron_check_promises()
        self.assertEqual(promise.promise_state, "broken")
        self.assertEqual(promise.promise_paid, 299.99)
        partner = self.customer.with_company(self.company)
        self.assertFalse(partner.ar_followup_paused_until)
        activity = self._activities(self.customer)
        self.assertIn("Broken promise", activity.summary)
        # amounts and dates as Odoo formats them for the collector (en_US here)
        self.assertIn(
            "$&nbsp;300.00 was promised for 03/07/2026; $&nbsp;299.99 has been received",
            activity.note,
        )
        self._run(days(9))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7], "follow-up resumes")

    def test_bad_promises(self):
        with freeze_time(days(0)):
            wizard = self.env["ar.promise.wizard"].create(
                {"partner_id": self.customer.id, "promise_date": days(-1), "promise_amount": 10.0}
            )
            with self.assertRaises(UserError):
                wizard.action_confirm()
            wizard.write({"promise_date": days(2), "promise_amount": 0.0})
            with self.assertRaises(UserError):
                wizard.action_confirm()
        self.assertFalse(self._history(self.customer, "promise"))

    def test_promise_within_the_horizon(self):
        """At most the company's horizon ahead (90 days by default): 2099 and 9999-12-31 are
        refused with a message (no overflow of the date + grace period)."""
        self.assertEqual(self.company.ar_promise_horizon_days, 90)
        with freeze_time(days(0)):
            for promised in (days(91), date(2099, 1, 1), date(9999, 12, 31)):
                wizard = self.env["ar.promise.wizard"].create(
                    {
                        "partner_id": self.customer.id,
                        "promise_date": promised,
                        "promise_amount": 10.0,
                    }
                )
                with self.assertRaisesRegex(UserError, "at the latest", msg=promised):
                    wizard.action_confirm()
        self.assertFalse(self._history(self.customer, "promise"))
        promise = self._promise(10.0, days(0), days(90))
        self.assertEqual(promise.promise_date, days(90))
