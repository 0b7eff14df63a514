"""The reminder record (``ar.followup.reminder``): one per customer and run that sends
something, by e-mail, by letter or both; the templates and the letter render on it; the
preview builds it without saving it; nobody but the run makes or changes one, and no date
comes from the context."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestReminderRecord(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reminder = cls.env["ar.followup.reminder"]
        cls.by_mail = cls.customer
        cls.by_letter = cls._customer("Paper Only", email=False)
        cls.both = cls._customer("Mail And Paper")
        cls.nowhere = cls._customer("No Address", email=False)

    def _assert_reminders_match_history(self):
        """The invariant: every e-mail and letter of the history belongs to exactly one
        reminder of its customer, run, level, date and invoices; every reminder has the
        lines its channel says."""
        lines = self.env["ar.followup.history"].search([("channel", "in", ("email", "letter"))])
        for line in lines:
            reminder = line.reminder_id
            self.assertTrue(reminder, f"{line.channel} of {line.partner_id.name} on {line.date}")
            self.assertEqual(
                (reminder.partner_id, reminder.run_id, reminder.level_id, reminder.date),
                (line.partner_id, line.run_id, line.level_id, line.date),
            )
        reminders = self.Reminder.search([])
        self.assertEqual(reminders, lines.reminder_id, "no reminder without a line")
        for reminder in reminders:
            channels = set(reminder.history_ids.mapped("channel"))
            expected = {"email": {"email"}, "letter": {"letter"}, "both": {"email", "letter"}}
            self.assertEqual(channels, expected[reminder.channel], reminder.display_name)
            # its e-mail and its letter ask the same invoices (the reminder's)
            for line in reminder.history_ids:
                self.assertEqual(line.move_ids, reminder.move_ids, reminder.display_name)
            self.assertTrue(reminder.move_ids, reminder.display_name)
        # one reminder a customer and run
        pairs = [(r.partner_id, r.run_id) for r in reminders]
        self.assertEqual(len(pairs), len(set(pairs)))
        return reminders

    def test_one_reminder_per_customer_and_run_over_a_sequence_of_runs(self):
        self.levels[7].send_letter = "never"
        self.levels[14].send_letter = "always"
        for partner in (self.by_mail, self.by_letter, self.both, self.nowhere):
            self._invoice(partner, 100.0, days(-10))
        later = self._invoice(self.by_mail, 60.0, days(2))
        seen = self.Reminder
        for day, paid in ((0, None), (1, None), (7, None), (9, later), (16, None), (30, None)):
            if paid:
                self._pay(paid, paid.amount_residual, days(day))
            run = self._run(days(day))
            reminders = self._assert_reminders_match_history()
            new = reminders - seen
            self.assertEqual(new.run_id, run if new else self.Run, day)
            self.assertFalse(self.env.cr.cache.get("ar_followup.reminder.statements"), day)
            seen = reminders
        # by the 14-day level, which sends a letter always: e-mail and letter to a customer
        # with an address, a letter to one without; no reminder for a level that sends no
        # letter to a customer without an address (a skip line says why)
        by_channel = {
            partner: self.Reminder.search([("partner_id", "=", partner.id)]).mapped("channel")
            for partner in (self.by_mail, self.by_letter, self.both, self.nowhere)
        }
        self.assertIn("both", by_channel[self.both])
        self.assertIn("email", by_channel[self.both])
        self.assertEqual(set(by_channel[self.by_letter]), {"letter"})
        self.assertNotIn("email", by_channel[self.nowhere])
        self.assertTrue(by_channel[self.nowhere], "letters at the levels that send them")
        skips = self._history(self.nowhere, "skip").filtered(
            lambda h: "No e-mail address" in (h.note or "")
        )
        self.assertEqual(skips.level_id, self.levels[7], "the level that sends no letter")

    def test_the_email_is_rendered_on_the_reminder(self):
        invoice = self._invoice(self.customer, 123.45, days(-10))
        self._run(days(0))
        reminder = self.Reminder.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (reminder.channel, reminder.date, reminder.move_ids), ("email", days(0), invoice)
        )
        mail = reminder.history_ids.mail_id
        self.assertIn(invoice.name, mail.body_html)
        self.assertIn("123.45", mail.body_html)
        # the e-mail carries the reminder's statement link
        self.assertTrue(reminder.link_id)
        self.assertIn(reminder.link_id.token, mail.body_html)
        # the chatter shows the summary on the customer, as before
        self.assertEqual((mail.model, mail.res_id), ("res.partner", self.customer.id))

    def test_a_report_of_the_customer_on_the_template_prints_no_other_record(self):
        """The statement PDF added to a reminder template by hand (a report of partners,
        which the template's own domain no longer offers) would be printed for the
        reminder's id, another record: it is not attached; the level attaches it."""
        template = self.levels[7].mail_template_id
        template.report_template_ids = [
            Command.link(self.env.ref("ar_followup.action_report_statement").id)
        ]
        self._invoice(self.customer, 100.0, days(-10))
        self._run(days(0), send=False)
        mail = self.Reminder.search([]).history_ids.mail_id
        self.assertFalse(mail.attachment_ids)
        self.levels[7].attach_statement = True
        other = self._customer("Second Customer")
        self._invoice(other, 50.0, days(-10))
        self._run(days(1), send=False)
        mail = self.Reminder.search([("partner_id", "=", other.id)]).history_ids.mail_id
        self.assertEqual(len(mail.attachment_ids), 1, "the level's statement, of its customer")

    def test_the_preview_builds_the_reminder_without_saving_it(self):
        self._invoice(self.customer, 80.0, days(-10))
        with freeze_time(days(0)):
            preview = self.env["ar.followup.preview"].create({"partner_id": self.customer.id})
            self.assertIn("80.00", preview.body_html)
        self.assertFalse(self.Reminder.search_count([]), "nothing saved")
        self._run(days(0))
        self.assertIn("80.00", self.Reminder.search([]).history_ids.mail_id.body_html)

    def test_the_preview_of_an_overdue_customer_without_a_level(self):
        """An overdue customer that has no level yet gets the level its oldest invoice
        reaches, not the courtesy reminder (a new user's trial: the preview showed the
        courtesy reminder, the run sent the friendly one)."""
        self._invoice(self.customer, 80.0, days(-10))
        with freeze_time(days(0)):
            preview = self.env["ar.followup.preview"].create({"partner_id": self.customer.id})
            self._run(days(0), send=False)
        sent = self._history(self.customer, "email").level_id
        self.assertTrue(sent)
        self.assertEqual(preview.level_id, sent)

    def test_the_preview_says_when_no_reminder_goes_out(self):
        """A customer whose overdue invoices are all out of the follow-up gets no reminder:
        the preview says so (one, then two of them), and says nothing once one is chased."""
        first = self._invoice(self.customer, 80.0, days(-10))
        second = self._invoice(self.customer, 20.0, days(-5))
        Preview = self.env["ar.followup.preview"]
        with freeze_time(days(0)):
            self.assertFalse(Preview.create({"partner_id": self.customer.id}).unchased_note)
            first.ar_followup_excluded = True
            self.assertFalse(Preview.create({"partner_id": self.customer.id}).unchased_note)
            second.ar_followup_excluded = True
            note = Preview.create({"partner_id": self.customer.id}).unchased_note
            self.assertIn("none of its 2 open invoices is chased", note)
            first.ar_followup_excluded = False
            self.assertFalse(Preview.create({"partner_id": self.customer.id}).unchased_note)
            first.button_draft()  # a draft is not open: one overdue invoice left, excluded
            note = Preview.create({"partner_id": self.customer.id}).unchased_note
            self.assertIn("its open invoice is not chased", note)

    def test_the_letter_renders_on_its_reminder(self):
        self._make_fourteen_day_letter(self.levels[14], send_letter="always")
        self._invoice(self.customer, 1000.0, days(-20))
        self._run(days(-13))  # the first reminder, then the 14-day letter
        self._run(days(0))
        letter = self._history(self.customer, "letter")
        self.assertTrue(letter.reminder_id)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("ar_followup.action_report_letter", letter.ids)[0]
            .decode()
        )
        # Dutch scale (Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2):
        # 15% of the first 2,500.00 of the claim, at least 40.00: 15% of 1,000.00 = 150.00
        self.assertEqual(letter.reminder_id._ar_collection_costs_preview(), 150.0)
        self.assertIn("150.00", html)
        # a letter older than reminders (no record) is printed from its line, the same way
        letter.sudo().reminder_id = False
        again = (
            self.env["ir.actions.report"]
            ._render_qweb_html("ar_followup.action_report_letter", letter.ids)[0]
            .decode()
        )
        self.assertIn("150.00", again)

    def test_nobody_makes_or_changes_a_reminder_over_rpc(self):
        self._invoice(self.customer, 100.0, days(-10))
        self._run(days(0))
        reminder = self.Reminder.search([])
        self._user("rem_billing", "billing")
        for login in ("rem_billing", "ar_manager"):  # a billing user, a credit-control manager
            result = self._rpc(login, "ar.followup.reminder", "read", reminder.ids, ["date"])
            self.assertEqual(result[0], "ok", login)
            for method, args in (
                ("write", [reminder.ids, {"date": "2020-01-01"}]),
                ("create", [{"partner_id": self.customer.id, "date": "2020-01-01"}]),
                ("unlink", [reminder.ids]),
            ):
                result = self._rpc(login, "ar.followup.reminder", method, *args)
                self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), method)
        self.assertEqual(reminder.date, days(0))

    def test_a_billing_user_opens_the_reminders_list_and_form(self):
        """What the views show a billing user, read as the web client reads it: everything
        but the statement link (whose token the credit-control manager manages)."""
        self._invoice(self.customer, 100.0, days(-10))
        self._run(days(0))
        reminder = self.Reminder.search([])
        billing = self._user("rem_views", "billing")
        Reminder = self.Reminder.with_user(billing)
        for view in ("list", "form"):
            fields_ = Reminder.get_views([(False, view)])["models"]["ar.followup.reminder"]
            spec = {
                name: {"fields": {"display_name": {}}}
                if Reminder._fields[name].type in ("many2one", "many2many", "one2many")
                else {}
                for name in fields_["fields"]
            }
            self.assertNotIn("link_id", spec, view)
            [values] = Reminder.browse(reminder.ids).web_read(spec)
            self.assertEqual(values["partner_id"]["display_name"], self.customer.name, view)
        manager = self.Reminder.with_user(self.credit_manager).browse(reminder.ids)
        self.assertEqual(manager.link_id, reminder.link_id)

    def test_another_companys_reminders_are_not_read(self):
        other = self.setup_other_company()["company"]
        customer = self._customer("Other Company Customer")
        reminder = self.Reminder.sudo().create(
            {
                "company_id": other.id,
                "date": days(0),
                "partner_id": customer.id,
                "level_id": self.levels[7].id,
                "channel": "email",
            }
        )
        billing = self._user("rem_billing_other", "billing")
        self.assertFalse(self.Reminder.with_user(billing).search([("id", "=", reminder.id)]))

    def test_no_date_from_the_context(self):
        """A client sends ``ar_followup_date`` (the key the run once gave its templates): a
        case is handed over today all the same."""
        self._invoice(self.customer, 100.0, days(-60))
        agency = self._agency("Incasso Noord B.V.", contact_email="i@example.nl")
        Case = self.env["ar.collection.case"].with_user(self.credit_manager)
        with freeze_time(days(0)):
            case = Case.create(
                {
                    "partner_id": self.customer.id,
                    "agency_id": agency.id,
                    "move_ids": [Command.set(Case._ar_overdue_invoices(self.customer).ids)],
                }
            )
            case.with_context(ar_followup_date=str(days(-400))).action_hand_over()
        self.assertEqual(case.date_handover, days(0))
