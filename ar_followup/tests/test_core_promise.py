"""The core promise (DESIGN.md semantics 3): the tone never goes down, at most one reminder a
customer a day, a grace period after a dispute or a plan, and a reminder that was not
delivered does not count. Checked as invariants after every run of sequences of runs and
events, and case by case."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import ArFollowupCase, days

REMINDERS = ("email", "letter")
UNDELIVERED = ("failed", "bounced", "cancelled")


@tagged("post_install", "-at_install")
class TestCorePromise(ArFollowupCase):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _reminders(self, partner):
        return self._history(partner).filtered(lambda h: h.channel in REMINDERS)

    def _open(self, moves):
        return moves.filtered(lambda m: m.state == "posted" and m.amount_residual > 0)

    def _run_checked(self, on, partners):
        """A run of ``on``, the mail queue, then the invariants for ``partners``; a second
        run of the same date changes nothing."""
        before = {p.id: self._reminders(p) for p in partners}
        self._run(on)
        for partner in partners:
            earlier = before[partner.id].filtered(lambda h: h.delivery_state not in UNDELIVERED)
            new = self._reminders(partner) - before[partner.id]
            self.assertLessEqual(len(new), 1, f"{on}: one reminder a customer a day")
            if new and earlier:
                # the tone never goes down: compared with the delivered reminders of
                # invoices still open
                still_open = earlier.filtered(lambda h: self._open(h.move_ids))
                if still_open:
                    tone = max(still_open.mapped("level_id.delay"))
                    self.assertGreaterEqual(
                        new.level_id.delay,
                        tone,
                        f"{on}: {new.level_id.name} after {still_open.mapped('level_id.name')}",
                    )
                    # the same level again only for an invoice it did not name yet
                    named = still_open.filtered(lambda h, t=tone: h.level_id.delay == t).move_ids
                    if new.level_id.delay == tone:
                        self.assertTrue(
                            self._open(new.move_ids) - named,
                            f"{on}: {new.level_id.name} again for the same invoices",
                        )
            same_day = self._reminders(partner).filtered(
                lambda h: h.date == on and h.delivery_state not in UNDELIVERED
            )
            self.assertLessEqual(len(same_day), 1, f"{on}: one reminder a customer a day")
        snapshot = {p.id: self._history(p) for p in partners}
        self._run(on)
        for partner in partners:
            self.assertEqual(
                self._history(partner), snapshot[partner.id], f"{on}: a second run is a no-op"
            )

    # ------------------------------------------------------------------
    # the tone never goes down, one reminder a day
    # ------------------------------------------------------------------

    def test_tone_never_goes_down_over_a_sequence_of_runs_and_events(self):
        """Daily runs over 80 days with new invoices, a payment, a dispute and a policy
        change: after every run at most one reminder, never one of a lower level than a
        delivered reminder of invoices still open, and a second run changes nothing."""
        other = self._customer("Customer Two")
        first = self._invoice(self.customer, 1000.0, days(0))
        self._invoice(other, 500.0, days(10))
        later = None
        disputed = None
        key_accounts = self._key_accounts_policy()
        for offset in range(-5, 80):
            on = days(offset)
            if offset == 25:
                # issued on day 25, due on day 35: its courtesy reminder (day 32) and its
                # friendly reminder (day 42) come while the customer is at final notice
                later = self._invoice(self.customer, 200.0, days(35), invoice_date=days(25))
            if offset == 36:
                disputed = self._invoice(other, 300.0, days(20))
                self.env["ar.dispute"].create(
                    {
                        "partner_id": other.id,
                        "move_ids": [Command.set(disputed.ids)],
                        "reason": "quality",
                    }
                )
            if offset == 44:
                dispute = self.env["ar.dispute"].search([("move_ids", "in", disputed.ids)])
                with freeze_time(on):
                    dispute.action_reject("The goods were delivered as ordered.")
            if offset == 50:
                self._pay(first, first.amount_residual, on=on)
            if offset == 50:
                other.with_company(self.company).ar_followup_policy_id = key_accounts
            self._run_checked(on, self.customer | other)

        reminders = self._reminders(self.customer)
        self.assertEqual(
            [h.level_id.delay for h in reminders],
            [-3, 7, 14, 30, 30],
            "courtesy, friendly, second reminder, final notice (twice); nothing milder",
        )
        held_back = self._history(self.customer, "skip").filtered(lambda h: later in h.move_ids)
        # the later invoice reached the courtesy, friendly and second reminder levels while
        # the customer had the final notice for the first one: recorded, no e-mail
        self.assertEqual(held_back.mapped("level_id.delay"), [-3, 7, 14])
        self.assertIn("higher level", held_back[0].note)
        # once the first invoice is paid (day 50), the later one climbs on its own: the call
        # at +21 (day 56; the call of day 21 is still open, so no second one), then its own
        # final notice at +30 (day 65)
        self.assertEqual(later.ar_followup_level_id, self.levels[30])
        self.assertEqual(reminders[-1].move_ids, later)
        self.assertEqual(reminders[-1].date, days(65))
        mails = self._mails(self.customer)
        self.assertEqual(len(mails), 5)
        self.assertNotIn("due soon", " ".join(mails[1:].mapped("subject")))
        self._check_the_other_customer(other, disputed)

    def _key_accounts_policy(self):
        """A second ladder (+10, +35) the other customer moves to on day 50."""
        return self.env["ar.followup.policy"].create(
            {
                "name": "Key accounts",
                "company_id": self.company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Key: reminder",
                            "delay": 10,
                            "mail_template_id": self.levels[7].mail_template_id.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Key: final",
                            "delay": 35,
                            "mail_template_id": self.levels[30].mail_template_id.id,
                        }
                    ),
                ],
            }
        )

    def _check_the_other_customer(self, other, disputed):
        # the other customer: its disputed invoice, chased after the rejection (day 44) and
        # the grace period, reaches the friendly reminder (day 47) below the customer's final
        # notice: held back. On day 50 the customer moves to the key-account ladder (+10,
        # +35): its first invoice reaches +35 at once (a reminder of a higher level, listing
        # the disputed invoice, which reaches +10 in the same run). The disputed invoice
        # reaches +35 after the gap of 25 days (day 75): the reminder of day 50 named it
        # already, so none again (a skip line)
        other_reminders = self._reminders(other)
        self.assertEqual([h.level_id.delay for h in other_reminders], [-3, 7, 14, 30, 35])
        self.assertEqual(other_reminders[-1].move_ids, disputed | other_reminders[0].move_ids)
        self.assertEqual(
            [
                ((h.date - days(0)).days, h.level_id.delay)
                for h in self._history(other, "skip").filtered(lambda h: disputed in h.move_ids)
            ],
            [(47, 7), (75, 35)],
        )

    def test_one_reminder_a_day_whatever_the_number_of_runs(self):
        first = self._invoice(self.customer, 100.0, days(-7))
        self._run(days(0))
        self.assertEqual(len(self._mails(self.customer)), 1)
        # an invoice booked afterwards, already overdue: it waits for tomorrow
        late = self._invoice(self.customer, 80.0, days(-14))
        run = self._run(days(0))
        self.assertEqual(run.email_count, 0)
        self.assertEqual(len(self._mails(self.customer)), 1)
        self.assertFalse(late.ar_followup_level_id)
        self.assertEqual(late.ar_next_followup_date, days(1))
        run = self._run(days(1))
        self.assertEqual(run.email_count, 1)
        self.assertEqual(late.ar_followup_level_id, self.levels[7])
        self.assertEqual(first.ar_followup_level_id, self.levels[7])
        self.assertEqual(self._reminders(self.customer).mapped("date"), [days(0), days(1)])

    def test_the_same_reminder_is_not_sent_again_for_the_invoices_it_named(self):
        """Weekly runs over three invoices due on days 0, 4 and 6 (the demo's Café De Hoek):
        the second reminder of day 20 names all three, the third one only at the friendly
        level. On day 27 that one reaches the second reminder itself while the others reach
        the call: no second reminder again (a skip line says why), the call is scheduled.
        A new invoice that reaches the second reminder later gets one of its own."""
        first = self._invoice(self.customer, 100.0, days(0))
        second = self._invoice(self.customer, 200.0, days(4))
        third = self._invoice(self.customer, 300.0, days(6))
        for on in (-1, 6, 13, 20):
            self._run_checked(days(on), self.customer)
        reminders = self._reminders(self.customer)
        self.assertEqual(reminders[-1].level_id, self.levels[14])
        self.assertEqual(reminders[-1].move_ids, first | second | third)
        self.assertEqual(third.ar_followup_level_id, self.levels[7])

        run = self._run(days(27))
        self.assertEqual((run.email_count, run.activity_count, run.skip_count), (0, 1, 1))
        self.assertEqual(self._reminders(self.customer), reminders)
        self.assertEqual(third.ar_followup_level_id, self.levels[14])
        self.assertEqual((first | second).mapped("ar_followup_level_id"), self.levels[21])
        skip = self._history(self.customer, "skip")
        self.assertEqual((skip.date, skip.level_id), (days(27), self.levels[14]))
        self.assertIn("already had a reminder of this level listing these invoices", skip.note)

        # invariant from here on: a new invoice at that level is worth its own reminder
        fourth = self._invoice(self.customer, 400.0, days(14), invoice_date=days(0))
        for on in range(28, 50):
            self._run_checked(days(on), self.customer)
        after = self._history(self.customer).filtered(lambda h: h.date > days(27))
        self.assertEqual(
            [((h.date - days(0)).days, h.channel, h.level_id.delay, h.move_ids) for h in after],
            [
                (28, "skip", 7, fourth),  # below the customer's second reminder: held back
                (35, "email", 14, fourth),  # its own second reminder: it named it not yet
                (36, "hold", 30, first | second),
                (36, "email", 30, first | second),  # the final notice
                (43, "skip", 30, third),  # no second final notice
            ],
        )
        self.assertEqual(fourth.ar_followup_level_id, self.levels[21])

    def test_no_courtesy_reminder_for_an_invoice_just_issued(self):
        """An invoice issued two days before its due date gets no 'due soon' message right
        after the invoice; one issued a month before does."""
        fresh = self._invoice(self.customer, 100.0, days(2), invoice_date=days(0))
        other = self._customer("Customer Two")
        early = self._invoice(other, 100.0, days(2))
        self._run(days(0))
        self.assertFalse(self._mails(self.customer))
        self.assertFalse(fresh.ar_followup_level_id)
        self.assertEqual(fresh.ar_next_followup_date, days(9))
        self.assertEqual(early.ar_followup_level_id, self.levels[-3])
        self._run(days(9))
        self.assertEqual(fresh.ar_followup_level_id, self.levels[7])

    def test_grace_period_after_a_dispute_is_closed(self):
        """A second run on the day a dispute is resolved sends nothing: the follow-up of its
        invoices waits the grace period (3 days), then resumes at the next level."""
        invoice = self._invoice(self.customer, 400.0, days(-7))
        self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        dispute = self.env["ar.dispute"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "reason": "quality",
            }
        )
        self._run(days(7))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7], "disputed: not chased")
        with freeze_time(days(10)):
            dispute.action_resolve("Partly right: 100 credited.")
        mails = len(self._mails(self.customer))
        for offset in (10, 11, 12):
            self._run(days(offset))
            self.assertEqual(len(self._mails(self.customer)), mails, offset)
        self.assertEqual(invoice.ar_next_followup_date, days(13))
        self._run(days(13))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])
        self.assertEqual(len(self._mails(self.customer)), mails + 1)

    def test_grace_period_after_a_plan_is_cancelled(self):
        invoice = self._invoice(self.customer, 600.0, days(-7))
        self._run(days(0))
        plan = self.env["ar.payment.plan"].create(
            {"partner_id": self.customer.id, "move_ids": [Command.set(invoice.ids)]}
        )
        plan._set_instalments(3, days(5))
        with freeze_time(days(1)):
            plan.action_activate()
        self._run(days(7))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        with freeze_time(days(8)):
            plan.action_cancel()
        self._run(days(8))
        self._run(days(10))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self._run(days(11))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])

    # ------------------------------------------------------------------
    # undelivered reminders
    # ------------------------------------------------------------------

    def test_undelivered_reminder_does_not_count(self):
        """SMTP server down: each reminder is tried three times, then it is not delivered:
        the invoices go back to the level they had, a hold set on its strength is lifted,
        the counts and the chatter say so, the credit-control manager is told once, and the
        next run sends the same level again instead of the next one."""
        self.policy.level_ids.send_letter = "never"
        invoice = self._invoice(self.customer, 100.0, days(-7))
        other = self._customer("Customer Two")
        held = self._invoice(other, 900.0, days(-30))
        self._set_followup_state(held, self.levels[21], days(-9))
        with self._smtp_down():
            run = self._run(days(0), send=False)
            self.assertEqual(run.email_count, 2)
            self.assertTrue(other.with_company(self.company).ar_credit_hold)
            start = datetime(2026, 3, 2, 8, 0)
            self._send_queue_at(start)
            lines = self._history(self.customer, "email") | self._history(other, "email")
            self.assertEqual(set(lines.mapped("delivery_state")), {"queued"})
            self.assertEqual(lines.mapped("delivery_attempts"), [1, 1])
            self.assertEqual(set(lines.mail_id.mapped("state")), {"outgoing"})
            self._send_queue_at(start + timedelta(minutes=30))  # not before the pause
            self.assertEqual(lines.mapped("delivery_attempts"), [1, 1])
            self._send_queue_at(start + timedelta(hours=2))
            self._send_queue_at(start + timedelta(hours=5))
        self.assertEqual(lines.mapped("delivery_state"), ["failed", "failed"])
        self.assertEqual(lines.mapped("delivery_attempts"), [3, 3])
        self.assertIn("Connection refused", lines[0].delivery_error)
        # the ladder did not move on
        self.assertFalse(invoice.ar_followup_level_id)
        self.assertEqual(held.ar_followup_level_id, self.levels[21])
        self.assertFalse(other.with_company(self.company).ar_credit_hold)
        self.assertEqual(self._history(other, "release").note, "the reminder was not delivered")
        # what the user sees
        run.invalidate_recordset()
        self.assertEqual((run.email_sent_count, run.email_failed_count), (0, 2))
        notes = self.customer.message_ids.filtered(lambda m: "not delivered" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("try this level again", notes.body)
        activities = run.activity_ids
        self.assertEqual(len(activities), 1, "the manager is told once per run")
        self.assertEqual(activities.user_id, self.company._ar_credit_manager())
        self.assertIn("2 reminder(s)", activities.note)
        # the server is back: the same levels again, then the ladder goes on
        run = self._run(days(1))
        self.assertEqual(run.email_count, 2)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertEqual(held.ar_followup_level_id, self.levels[30])
        self.assertEqual(
            self._history(self.customer, "email").mapped("delivery_state"), ["failed", "sent"]
        )
        self.assertTrue(other.with_company(self.company).ar_credit_hold)
        self._run(days(8))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])

    def test_our_mail_server_down_is_no_reason_for_a_letter(self):
        """With the default letter setting (a letter when there is no e-mail), an outage of
        our own mail server does not turn into paper: the level is tried again, the hold its
        run set is lifted; the run counts what happened."""
        invoice = self._invoice(self.customer, 900.0, days(-30))
        self._set_followup_state(invoice, self.levels[21], days(-9))
        start = datetime(2026, 3, 2, 8, 0)
        with self._smtp_down():
            run = self._run(days(0), send=False)
            for hours in (0, 2, 5):
                self._send_queue_at(start + timedelta(hours=hours))
        self.assertEqual(self._history(self.customer, "email").delivery_state, "failed")
        self.assertFalse(self._history(self.customer, "letter"))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[21])
        self.assertFalse(self.customer.with_company(self.company).ar_credit_hold)
        run.invalidate_recordset()
        self.assertEqual(
            (run.email_count, run.email_sent_count, run.email_failed_count, run.letter_count),
            (1, 0, 1, 0),
        )

    def test_a_retry_that_succeeds(self):
        invoice = self._invoice(self.customer, 100.0, days(-7))
        start = datetime(2026, 3, 2, 8, 0)
        with self._smtp_down():
            self._run(days(0), send=False)
            self._send_queue_at(start)
        self._send_queue_at(start + timedelta(hours=2))
        line = self._history(self.customer, "email")
        self.assertEqual((line.delivery_state, line.delivery_attempts), ("sent", 1))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertFalse(self.customer.message_ids.filtered(lambda m: "not delivered" in m.body))

    def test_queued_reminder_holds_the_ladder(self):
        """While its reminder waits in the queue, an invoice does not reach the next level."""
        invoice = self._invoice(self.customer, 100.0, days(-7))
        self._run(days(0), send=False)
        self._run(days(7), send=False)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertEqual(invoice.ar_next_followup_date, days(8))
        self._send_queue()
        self._run(days(8))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])

    def test_letter_replaces_an_email_that_cannot_be_delivered(self):
        """The level sends a letter when there is no e-mail: it replaces an e-mail that was
        not delivered (an invalid address), and the ladder waits for it to be printed."""
        invoice = self._invoice(self.customer, 100.0, days(-7))
        self.customer.email = "not-an-address"
        self._run(days(0))
        email = self._history(self.customer, "email")
        self.assertEqual(email.delivery_state, "failed")
        letter = self._history(self.customer, "letter")
        self.assertEqual((letter.letter_state, letter.delivery_state), ("to_print", "queued"))
        self.assertEqual(letter.level_id, self.levels[7])
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self._run(days(7))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7], "not printed yet")
        # a billing user prints it from the list (the server action of Letters to print)
        billing = self._user("ar_letter_printer", "billing")
        action = (
            self.env.ref("ar_followup.action_ar_followup_print_letters")
            .with_user(billing)
            .with_context(active_model="ar.followup.history", active_ids=letter.ids)
            .run()
        )
        self.assertEqual(action["report_name"], "ar_followup.report_letter")
        self.assertEqual(letter.delivery_state, "sent")
        self.assertEqual(letter.run_id.letter_count, 1, "the replacing letter is counted")
        self._run(days(8))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])

    def test_a_bounce_is_recorded_not_believed(self):
        """A bounce (a delivery status report) after the e-mail was sent: the reminder is
        recorded as bounced, the customer's chatter and the manager are told; since anyone can
        send such a report (the customer too), it neither puts the invoices back nor lifts a
        hold."""
        self.policy.level_ids.send_letter = "never"
        invoice = self._invoice(self.customer, 100.0, days(-7))
        self._run(days(0))
        line = self._history(self.customer, "email")
        self.assertEqual(line.delivery_state, "sent")
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        bounce = (
            "From: MAILER-DAEMON@mx.example.com\r\n"
            "To: billing@company.example.com\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            "Message-Id: <bounce-1@mx.example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
            "\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mx.example.com\r\n\r\n"
            "Final-Recipient: rfc822; customer.one@example.com\r\nAction: failed\r\n"
            "Status: 5.1.1\r\n\r\n"
            "--B\r\nContent-Type: message/rfc822\r\n\r\n"
            f"Message-Id: {line.message_id.message_id}\r\n"
            "From: billing@company.example.com\r\nTo: customer.one@example.com\r\n"
            "Subject: payment reminder\r\n\r\nReminder\r\n--B--\r\n"
        )
        self.env["mail.thread"].sudo().message_process(False, bounce)
        self.assertEqual(line.delivery_state, "bounced")
        self.assertIn("customer.one@example.com", line.delivery_error)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7], "not put back")
        self.assertFalse(self._history(self.customer, "letter"))
        self.assertEqual(len(line.run_id.activity_ids), 1)
        note = self.customer.message_ids.filtered(lambda m: "not delivered" in (m.body or ""))
        self.assertIn("not proof", note.body)

    def test_cancelled_reminder_does_not_count(self):
        self.policy.level_ids.send_letter = "never"
        invoice = self._invoice(self.customer, 100.0, days(-7))
        self._run(days(0), send=False)
        self._mails(self.customer).cancel()
        self.assertEqual(self._history(self.customer, "email").delivery_state, "cancelled")
        self.assertFalse(invoice.ar_followup_level_id)

    def test_history_shows_the_email_as_sent_to_a_billing_user(self):
        self._invoice(self.customer, 100.0, days(-7))
        self._run(days(0))
        billing = self._user("ar_billing_reader", "billing")
        line = self._history(self.customer, "email").with_user(billing)
        self.assertEqual(line.delivery_state, "sent")
        self.assertIn("payment reminder", line.subject)
        self.assertIn(self.customer.email, line.email_to)
        self.assertIn(line.move_ids.name, line.body_html)

    # ------------------------------------------------------------------
    # who is responsible
    # ------------------------------------------------------------------

    def test_portal_dispute_without_responsible_goes_to_the_credit_manager(self):
        invoice = self._invoice(self.customer, 100.0, days(-7))
        contact = self.env["res.partner"].create(
            {"name": "Portal contact", "parent_id": self.customer.id, "email": "p@example.com"}
        )
        portal = self._user("ar_portal_nobody", "portal", partner_id=contact.id)
        dispute = (
            self.env["ar.dispute"]
            .with_user(portal)
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "reason": "quality",
                }
            )
        )
        manager = self.company._ar_credit_manager()
        self.assertEqual(dispute.user_id, manager)
        self.assertEqual(dispute.activity_ids.user_id, manager)
        # a follow-up responsible or salesperson takes precedence
        self.customer.user_id = self.account_manager
        self.assertEqual(
            self.env["ar.customer.account"]._ar_collector(self.customer, self.company),
            self.account_manager,
        )
        self.account_manager.active = False
        self.assertEqual(
            self.env["ar.customer.account"]._ar_collector(self.customer, self.company), manager
        )
