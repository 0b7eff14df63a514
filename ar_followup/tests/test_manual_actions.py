"""What a bookkeeper does by hand: send the next reminder to several customers at once, send
the statement at any time, see today's follow-up before it happens; and the texts the run
writes, in the company's language for its users."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import format_date

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestManualActions(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("ar_billing_hand", "billing")

    def _send_next(self, partners):
        """*Send the next reminder*: the dry run it opens, then *Send now* in it; returns the
        dry run and the notification."""
        action = self._server_action(
            "ar_followup.action_ar_partner_send_next_reminder", partners, partners.env.user
        )
        self.assertEqual((action["res_model"], action["target"]), ("ar.followup.dry.run", "new"))
        wizard = self.env["ar.followup.dry.run"].with_user(partners.env.user)
        wizard = wizard.browse(action["res_id"])
        return wizard, wizard.action_run()

    def test_send_the_next_reminder_to_several_customers(self):
        other = self._customer("Customer Two")
        first = self._invoice(self.customer, 100.0, days(-7))
        second = self._invoice(other, 200.0, days(-8))
        not_due = self._invoice(other, 50.0, days(20))
        self._run(days(0))
        self.assertEqual((first | second).ar_followup_level_id, self.levels[7])
        partners = (self.customer | other).with_user(self.billing)
        with freeze_time(days(2)):
            # first what it would do: nothing happens before Send now
            action = self._server_action(
                "ar_followup.action_ar_partner_send_next_reminder", partners, self.billing
            )
            preview = self.env["ar.followup.dry.run"].browse(action["res_id"])
            self.assertEqual((preview.email_count, preview.partner_ids), (2, self.customer | other))
            self.assertEqual(first.ar_followup_level_id, self.levels[7])
            self.assertEqual(len(self._mails(self.customer)), 1)
            self.env["ir.cron.trigger"].search([]).unlink()
            _wizard, done = self._send_next(partners)
            self._send_queue()
        self.assertEqual(done["params"]["message"], "Done: 2 reminder e-mails queued for sending.")
        # and the mail queue is asked to send them now, not at its next hourly turn
        scheduler = self.env.ref("mail.ir_cron_mail_scheduler_action")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", scheduler.id)]))
        # the second reminder now, five days before its delay; the invoice not due waits
        self.assertEqual(first.ar_followup_level_id, self.levels[14])
        self.assertEqual(second.ar_followup_level_id, self.levels[14])
        self.assertFalse(not_due.ar_followup_level_id)
        self.assertEqual(len(self._mails(self.customer)), 2)
        self.assertEqual(self._history(self.customer, "email")[-1].user_id, self.billing)
        # once a day: a second click the same day sends nothing
        with freeze_time(days(2)):
            wizard, action = self._send_next(partners)
        self.assertFalse(wizard.line_ids)
        self.assertEqual(len(self._mails(self.customer)), 2)
        self.assertEqual(action["params"]["type"], "info")
        # a run by hand that did nothing leaves no run behind
        self.assertFalse(self.Run.search([("date", "=", days(2)), ("history_ids", "=", False)]))
        # the next day, the call level (no e-mail) is reached by hand too
        with freeze_time(days(3)):
            _wizard, done = self._send_next(partners)
        self.assertEqual(first.ar_followup_level_id, self.levels[21])
        self.assertEqual(done["params"]["message"], "Done: 2 activities scheduled.")

    def test_send_the_next_reminder_shows_costs_and_hold_first(self):
        """The demo's Café De Hoek at the call level: *Send the next reminder* shows the final
        notice, the credit hold and the costs before it does them; the notification names
        each, one in the singular."""
        self.levels[30].charge_costs = True
        self.company.ar_fee_min_amount = 0.0
        invoice = self._invoice(self.customer, 1000.0, days(-30))
        self._set_followup_state(invoice, self.levels[21], days(-9))
        with freeze_time(days(0)):
            action = self._server_action(
                "ar_followup.action_ar_partner_send_next_reminder", self.customer, self.billing
            )
            preview = self.env["ar.followup.dry.run"].browse(action["res_id"])
            self.assertEqual(
                (preview.email_count, preview.hold_count, preview.fee_count), (1, 1, 1)
            )
            self.assertFalse(self.customer.with_company(self.company).ar_credit_hold)
            self.assertFalse(self._history(self.customer))
            _wizard, done = self._send_next(self.customer.with_user(self.billing))
        self.assertEqual(
            done["params"]["message"],
            "Done: 1 reminder e-mail queued for sending; 1 customer put on credit hold; "
            "1 charge of costs or interest invoiced.",
        )
        self.assertTrue(self.customer.with_company(self.company).ar_credit_hold)

    def test_send_next_reminder_waits_for_an_undelivered_one(self):
        invoice = self._invoice(self.customer, 100.0, days(-7))
        self._run(days(0), send=False)  # still in the queue
        with freeze_time(days(2)):
            self._send_next(self.customer.with_user(self.billing))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])

    def test_send_reminder_now_answers_in_the_users_language(self):
        """The run writes in the company's language (Dutch here); its answer to the user who
        asked is in the user's (English, then Dutch)."""
        self.company.partner_id.lang = "nl_NL"
        self._invoice(self.customer, 100.0, days(30))  # due in a month: nothing to send
        customer = self.customer.with_user(self.billing)
        with freeze_time(days(0)):
            message = customer.action_ar_send_reminder()["params"]["message"]
            self.assertTrue(message.startswith("Nothing to send to"), message)
            self.billing.lang = "nl_NL"
            message = customer.action_ar_send_reminder()["params"]["message"]
            self.assertTrue(message.startswith("Nog niets te versturen aan"), message)

    def test_send_reminder_now_says_why_nothing_went_out(self):
        """The new user was told "no open invoice of these customers ... or ... or ..." for one
        customer: one customer gets its own reason."""
        name = self.customer.display_name
        invoice = self._invoice(self.customer, 100.0, days(-3))
        self._set_followup_state(invoice, self.levels[-3], days(-6))  # next: +7, on day 4
        customer = self.customer.with_user(self.billing)
        with freeze_time(days(0)):
            action = customer.action_ar_send_reminder()
        self.assertEqual(
            action["params"]["message"],
            f"Nothing to send to {name} yet: its next follow-up step is due on "
            f"{format_date(self.env, days(4))}.",
        )
        self._run(days(4), send=False)  # the friendly reminder, still in the queue
        with freeze_time(days(4)):
            action = customer.action_ar_send_reminder()
        self.assertEqual(
            action["params"]["message"],
            f"Nothing to send to {name}: it had a reminder today (one a day).",
        )
        with freeze_time(days(12)):
            action = customer.action_ar_send_reminder()
        self.assertIn("its last reminder", action["params"]["message"])
        self.assertIn("has not gone out yet", action["params"]["message"])
        self._send_queue()
        self.customer.with_company(self.company).ar_followup_paused_until = days(20)
        with freeze_time(days(12)):
            action = customer.action_ar_send_reminder()
        self.assertEqual(
            action["params"]["message"],
            f"Nothing to send to {name}: its follow-up is paused until "
            f"{format_date(self.env, days(20))}.",
        )

    def test_send_the_statement_at_any_time(self):
        invoice = self._invoice(self.customer, 321.0, days(-3))
        silent = self._customer("No Mail", email=False)
        self._invoice(silent, 10.0, days(-3))
        with freeze_time(days(0)):
            action = self._server_action(
                "ar_followup.action_ar_partner_send_statement", self.customer | silent, self.billing
            )
        self.assertIn("No Mail", action["params"]["message"])
        line = self._history(self.customer, "statement")
        self.assertEqual(line.delivery_state, "queued")
        self.assertEqual(line.user_id, self.billing)
        self.assertFalse(self._history(silent))
        mail = line.mail_id
        self.assertIn(invoice.name, mail.body_html)
        self.assertIn("statement of account", mail.subject)
        self.assertEqual(len(mail.attachment_ids), 1, "the statement PDF")
        self._send_queue()
        self.assertEqual(line.delivery_state, "sent")
        # outside the ladder: no level, and the reminder of the day still goes out
        self.assertFalse(invoice.ar_followup_level_id)
        run = self._run(days(4))
        self.assertEqual(run.email_count, 1)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])

    def test_only_billing_users_send_statements(self):
        self._invoice(self.customer, 321.0, days(-3))
        contact = self.env["res.partner"].create(
            {"name": "Portal", "parent_id": self.customer.id, "email": "portal@example.com"}
        )
        portal = self._user("ar_portal_stmt", "portal", partner_id=contact.id)
        with self.assertRaises(AccessError):
            self._server_action("ar_followup.action_ar_partner_send_statement", contact, portal)
        self.assertFalse(self._history(self.customer))

    def test_dry_run_shows_what_the_run_would_do_and_changes_nothing(self):
        invoice = self._invoice(self.customer, 100.0, days(-7))
        held = self._invoice(self._customer("Customer Two"), 900.0, days(-30))
        self._set_followup_state(held, self.levels[21], days(-9))
        mails = self.env["mail.mail"].search_count([])
        runs = self.Run.search_count([])
        with freeze_time(days(0)):
            lines = self.env["ar.followup.dry.run"].with_user(self.billing)._ar_simulate()
        by_channel = {(line["partner_id"], line["channel"]): line for line in lines}
        email = by_channel[self.customer.id, "email"]
        self.assertEqual(email["level_id"], self.levels[7].id)
        self.assertIn(invoice.name, email["body_html"])
        self.assertIn("payment reminder", email["subject"])
        self.assertIn((held.partner_id.id, "hold"), by_channel)
        # nothing happened
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        self.assertEqual(self.Run.search_count([]), runs)
        self.assertFalse(self._history(self.customer))
        self.assertFalse(invoice.ar_followup_level_id)
        self.assertFalse(held.partner_id.with_company(self.company).ar_credit_hold)
        # the run then does just that
        run = self._run(days(0))
        self.assertEqual(
            sorted((h.partner_id.id, h.channel) for h in run.history_ids), sorted(by_channel)
        )
        wizard = self.env["ar.followup.dry.run"].with_user(self.billing).action_open()
        self.assertEqual(wizard["res_model"], "ar.followup.dry.run")

    def test_run_writes_in_the_company_language(self):
        """A Dutch company's users read the hold reason, the notes and the log in Dutch, with
        Dutch dates (Odoo's format_date), whoever started the run."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.company.partner_id.lang = "nl_NL"
        invoice = self._invoice(self.customer, 900.0, days(-30))
        self._set_followup_state(invoice, self.levels[21], days(-9))
        self._run(days(0))
        partner = self.customer.with_company(self.company)
        nl = self.env(context=dict(self.env.context, lang="nl_NL"))
        self.assertIn(format_date(nl, days(0)), self._account(partner).credit_hold_reason)
        self.assertNotIn("2026-03-02", self._account(partner).credit_hold_reason)
        self.assertIn("bereikt op", self._account(partner).credit_hold_reason)
        later = self._invoice(self.customer, 50.0, days(-7), override=True)  # held
        self._run(days(1))
        skip = self._history(self.customer, "skip").filtered(lambda h: later in h.move_ids)
        # the history's notes: in the reader's language (#33), Dutch for a Dutch reader
        self.assertIn("hoger niveau", skip.with_context(lang="nl_NL").note)
        self.assertIn("higher level", skip.with_context(lang="en_US").note)
