import signal
from types import SimpleNamespace
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, sql_db
from odoo.service.server import Worker
from odoo.tests import tagged

from odoo.addons.ar_followup.models.ar_followup_run import (
    LOCK_NAMESPACE,
    ArFollowupRun,
    RunInProgress,
)

from .common import ArFollowupCase, days


class InjectedCrash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestFollowupEngine(ArFollowupCase):
    def test_courtesy_reminder_before_due_date(self):
        invoice = self._invoice(self.customer, 100.0, days(3))
        run = self._run(days(-1))  # 4 days before due: the -3 level is not reached yet
        self.assertFalse(invoice.ar_followup_level_id)
        self.assertEqual(invoice.ar_next_followup_date, days(0))
        self.assertEqual(run.email_count, 0)

        run = self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[-3])
        self.assertEqual(invoice.ar_last_followup_date, days(0))
        self.assertEqual(run.email_count, 1)
        mail = self._mails(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn("invoices due soon", mail.subject)
        self.assertIn(invoice.name, mail.body_html)
        self.assertEqual(mail.recipient_ids, self.customer)
        # the friendly reminder comes 7 days after the due date
        self.assertEqual(invoice.ar_next_followup_date, days(10))
        self.assertEqual(
            self.customer.with_company(self.company).ar_followup_level_id,
            self.levels[-3],
        )
        self.assertEqual(self.customer.with_company(self.company).ar_next_followup_date, days(10))

    def test_first_run_on_old_invoice_starts_at_first_overdue_level(self):
        invoice = self._invoice(self.customer, 250.0, days(-40))
        run = self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertEqual(run.email_count, 1)
        self.assertEqual(len(self._history(self.customer, "email")), 1)
        self.assertFalse(self._activities(self.customer), "no call: the invoice is only at +7")
        # the next level only after the gap of 14 - 7 = 7 days
        self.assertEqual(invoice.ar_next_followup_date, days(7))
        self._run(days(6))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self._run(days(7))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])
        self.assertEqual(invoice.ar_last_followup_date, days(7))
        # then the call at +21 after another 7 days, never skipping a level
        self._run(days(13))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])
        self._run(days(14))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[21])
        reached = self._history(self.customer).mapped("level_id")
        self.assertEqual(reached.mapped("delay"), [7, 14, 21])

    def test_levels_follow_each_other_on_a_young_invoice(self):
        invoice = self._invoice(self.customer, 100.0, days(0))
        expected = {
            -3: -3,
            0: None,
            7: 7,
            10: None,
            14: 14,
            21: 21,
            30: 30,
            45: 45,
            60: None,
        }
        for offset, delay in expected.items():
            self._run(days(offset))
            if delay is not None:
                self.assertEqual(invoice.ar_followup_level_id, self.levels[delay], offset)
                self.assertEqual(invoice.ar_last_followup_date, days(offset))
        self.assertEqual(
            self._history(self.customer)
            .filtered(lambda h: h.channel != "hold")
            .mapped("level_id.delay"),
            [-3, 7, 14, 21, 30, 45],
        )

    def test_one_email_per_partner_with_all_open_items(self):
        not_due = self._invoice(self.customer, 100.0, days(20))
        overdue_a = self._invoice(self.customer, 200.0, days(-10))
        overdue_b = self._invoice(self.customer, 300.0, days(-25))
        refund = self._invoice(self.customer, 50.0, days(-5), move_type="out_refund")
        self.assertFalse(overdue_a.ar_followup_history_ids)  # in the cache before the run
        run = self._run(days(0))
        self.assertEqual(run.email_count, 1)
        self.assertEqual(run.partner_count, 1)
        mail = self._mails(self.customer)
        self.assertEqual(len(mail), 1)
        for move in (not_due, overdue_a, overdue_b, refund):
            self.assertIn(move.name, mail.body_html)
        self.assertEqual(mail.body_html.count("(overdue)"), 2)
        self.assertIn("(credit note)", mail.body_html)
        # total open 100 + 200 + 300 - 50 = 550.00, overdue 500.00
        self.assertIn("550.00", mail.body_html)
        self.assertIn("500.00", mail.body_html)
        self.assertIn("/my/invoices", mail.body_html)
        self.assertIn("access_token=", mail.body_html)
        history = self._history(self.customer, "email")
        self.assertEqual(history.move_ids, overdue_a | overdue_b)
        self.assertEqual(history.level_id, self.levels[7])
        self.assertEqual(history.mail_id, mail)
        self.assertEqual(history.message_id, mail.mail_message_id)
        # the links to the invoices are written in SQL: seen from both sides
        self.assertEqual(overdue_a.ar_followup_history_ids, history)
        self.assertFalse(not_due.ar_followup_history_ids)

    def test_chatter_summary_and_the_email_as_sent_kept(self):
        """The customer's chatter gets one line per reminder (which one, how many items, how
        much overdue); the e-mail itself, with the whole statement, is the mail's body and is
        kept after sending."""
        first = self._invoice(self.customer, 100.0, days(-10))
        self._invoice(self.customer, 250.5, days(-9))
        self._invoice(self.customer, 40.0, days(12))
        self._run(days(0))
        mail = self._mails(self.customer)
        self.assertFalse(mail.auto_delete, "the reminder e-mail as sent is kept")
        self.assertIn(first.name, mail.body_html)
        message = mail.mail_message_id
        self.assertIn("Reminder (Follow-up: friendly reminder)", message.body)
        self.assertIn("3 open items", message.body)
        self.assertIn("overdue $&nbsp;350.50", message.body)
        self.assertNotIn(first.name, message.body, "no second copy of the statement")
        self.assertNotIn("<table", message.body)
        self.assertEqual(message.subject, mail.subject)
        self.assertIn(self.customer, mail.recipient_ids)
        # the message is the reminder's own, as mail.template would create it
        self.assertEqual((message.model, message.res_id), ("res.partner", self.customer.id))
        self.assertEqual(message.message_type, "email_outgoing")
        self.assertEqual(message.record_name, self.customer.display_name)
        self.assertEqual(message.author_id, self.env.user.partner_id)
        self.assertFalse(mail.is_notification)
        self.assertEqual(mail.state, "sent")
        self.assertEqual(self._history(self.customer, "email").delivery_state, "sent")
        self.assertIn(message, self.customer.message_ids)
        mail.unlink()
        self.assertFalse(message.exists(), "the message goes with its e-mail")

    def test_local_links_of_an_edited_reminder_made_absolute(self):
        """Odoo makes the local links of a rendered e-mail absolute; the run skips that search
        only in a reminder without any, and an edited template keeps the rewriting."""
        invoice = self._invoice(self.customer, 100.0, days(-10))
        template = self.levels[7].mail_template_id
        template.body_html = (
            '<div><p>See <a href="/my/statement">your statement</a>.</p>'
            '<p style="background-image: url(/web/image/logo.png)">Logo</p>'
            '<t t-set="statement" t-value="object._ar_followup_statement()"/>'
            '<t t-call="ar_followup.followup_open_items"/></div>'
        )
        self._run(days(0))
        mail = self._mails(self.customer)
        base_url = self.customer.get_base_url()
        self.assertIn(f'href="{base_url}/my/statement"', mail.body_html)
        self.assertIn(f"url({base_url}/web/image/logo.png)", mail.body_html)
        self.assertNotIn('href="/my', mail.body_html)
        self.assertIn(invoice.name, mail.body_html)
        # the default reminders have no local link: Odoo's rewriting leaves them as they are
        Template = self.env["mail.template"]
        reminder = self._reminder(self.customer, days(0))
        body = self.env.ref("ar_followup.mail_template_reminder")._render_field(
            "body_html", [reminder.id]
        )[reminder.id]
        self.assertNotIn('="/', body)
        self.assertEqual(Template._replace_local_links(body), body)
        self.assertEqual(
            Template.with_context(ar_followup_compile_once=True)._replace_local_links(
                '<a href="/my/statement">x</a>'
            ),
            f'<a href="{Template.get_base_url()}/my/statement">x</a>',
        )

    def test_invoices_get_their_portal_token_when_posted(self):
        """Reminders link every invoice to its portal page: the token is given at posting
        (not by the run), and at install to the open invoices that have none."""
        draft = self._invoice(self.customer, 100.0, days(-10), post=False)
        self.assertFalse(draft.access_token)
        draft.action_post()
        self.assertTrue(draft.access_token)
        self.env.cr.execute("UPDATE account_move SET access_token = NULL WHERE id = %s", draft.ids)
        draft.invalidate_recordset(["access_token"])
        self.env["account.move"]._ar_set_missing_portal_tokens()
        self.assertTrue(draft.access_token)
        token = draft.access_token
        self._run(days(0))
        self.assertEqual(draft.access_token, token, "the run keeps the token")
        self.assertIn(
            f"/my/invoices/{draft.id}?access_token={token}", self._mails(self.customer).body_html
        )

    def test_email_goes_to_invoice_contact(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Accounts payable",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "ap@example.com",
            }
        )
        self._invoice(self.customer, 100.0, days(-8))
        self._run(days(0))
        self.assertEqual(self._mails(self.customer).recipient_ids, contact)

    def test_invoice_of_a_contact_is_chased_on_its_company(self):
        person = self.env["res.partner"].create(
            {"name": "Jan", "parent_id": self.customer.id, "email": "jan@example.com"}
        )
        self._invoice(person, 100.0, days(-8))
        self._invoice(self.customer, 100.0, days(-9))
        run = self._run(days(0))
        self.assertEqual(run.email_count, 1)
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_call_activity_to_account_manager_without_duplicates(self):
        self.customer.with_company(self.company).ar_followup_responsible_id = self.account_manager
        self.customer.user_id = self.credit_manager  # salesperson: not used, responsible first
        first = self._invoice(self.customer, 100.0, days(-21))
        # bring the invoice to +14 first
        self._set_followup_state(first, self.levels[14], days(-7))
        run = self._run(days(0))
        self.assertEqual(first.ar_followup_level_id, self.levels[21])
        self.assertEqual(run.activity_count, 1)
        self.assertEqual(run.email_count, 0, "the call level sends no e-mail")
        activity = self._activities(self.customer)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.date_deadline, days(2))
        self.assertIn(first.name, activity.note)
        self.assertIn("days overdue: 21", activity.note)
        # same day again: nothing
        self._run(days(0))
        self.assertEqual(len(self._activities(self.customer)), 1)
        # another invoice reaching the call level while the call is still open: no second call
        second = self._invoice(self.customer, 100.0, days(-20))
        self._set_followup_state(second, self.levels[14], days(-6))
        self._run(days(1))
        self.assertEqual(second.ar_followup_level_id, self.levels[21])
        self.assertEqual(len(self._activities(self.customer)), 1)
        # once the call is done, a later call level may schedule a new one
        activity.action_done()
        self.assertFalse(self._activities(self.customer))

    def test_activity_note_in_the_language_of_its_user(self):
        self.account_manager.lang = "nl_NL"
        self.customer.user_id = self.account_manager
        invoice = self._invoice_at(self.customer, 14, -21, -7)
        self._run(days(0))
        note = self._activities(self.customer).note
        self.assertIn("Vervallen facturen", note)
        self.assertIn(invoice.name, note)
        self.assertIn("dagen na de vervaldatum: 21", note)

    def _invoice_at(self, partner, level_delay, due_offset, last_offset):
        invoice = self._invoice(partner, 100.0, days(due_offset))
        self._set_followup_state(invoice, self.levels[level_delay], days(last_offset))
        return invoice

    def test_call_activity_falls_back_to_salesperson_then_credit_manager(self):
        with_salesperson = self._customer("Sold By Someone", user_id=self.account_manager.id)
        nobody = self._customer("Nobody Assigned")
        self._invoice_at(with_salesperson, 14, -21, -7)
        self._invoice_at(nobody, 14, -21, -7)
        run = self._run(days(0))
        self.assertEqual(run.activity_count, 2)
        self.assertEqual(self._activities(with_salesperson).user_id, self.account_manager)
        manager = self.company._ar_credit_manager()
        self.assertEqual(self._activities(nobody).user_id, manager)
        self.assertTrue(manager.has_group("ar_followup.group_ar_manager"))
        self.assertNotEqual(manager, self.env.ref("base.user_root"))

    def test_escalation_goes_to_credit_manager(self):
        self.customer.user_id = self.account_manager
        self._invoice_at(self.customer, 30, -45, -15)
        self._run(days(0))
        activity = self._activities(self.customer)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("ar_followup.mail_activity_type_escalation"),
        )
        self.assertTrue(activity.user_id.has_group("ar_followup.group_ar_manager"))

    def test_final_level_puts_partner_on_hold(self):
        invoice = self._invoice_at(self.customer, 21, -30, -9)
        run = self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[30])
        self.assertEqual(run.hold_count, 1)
        self.assertEqual(run.email_count, 1)
        partner = self.customer.with_company(self.company)
        self.assertTrue(partner.ar_credit_hold)
        self.assertIn(self.levels[30].name, self._account(partner).credit_hold_reason)
        self.assertEqual(len(self._history(self.customer, "hold")), 1)
        self.assertIn("final notice", self._mails(self.customer).subject)
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: "credit hold" in (m.body or ""))
        )

    def test_two_runs_on_the_same_date_act_once(self):
        partners = [self._customer(f"Customer {i}") for i in range(3)]
        for index, partner in enumerate(partners):
            self._invoice(partner, 100.0 * (index + 1), days(-8 - index))
        first = self._run(days(0))
        counts = (
            self.env["mail.mail"].search_count([]),
            self.env["ar.followup.history"].search_count([]),
            self.env["mail.activity"].search_count([]),
        )
        second = self._run(days(0))
        self.assertEqual(first.email_count, 3)
        self.assertEqual(second.email_count, 0)
        self.assertEqual(second.partner_count, 0)
        self.assertEqual(
            counts,
            (
                self.env["mail.mail"].search_count([]),
                self.env["ar.followup.history"].search_count([]),
                self.env["mail.activity"].search_count([]),
            ),
        )

    def test_crash_after_first_batch_then_resume(self):
        partners = [self._customer(f"Batch {i}") for i in range(4)]
        for partner in partners:
            self._invoice(partner, 100.0, days(-8))
        original = ArFollowupRun._ar_execute_batch
        calls = []

        def crash_on_second_batch(run, plan):
            calls.append(plan)
            if len(calls) == 2:
                original(run, plan)  # the work of the batch is done, then the worker dies
                raise InjectedCrash()
            return original(run, plan)

        self._set_batch_size(2)
        Run = self.Run.with_company(self.company)
        with patch.object(ArFollowupRun, "_ar_execute_batch", crash_on_second_batch):
            # no assertRaises here: it would roll back to its own savepoint, while the first
            # batch must stay, like a batch that the cron committed
            crashed = False
            try:
                Run.process(days(0))
            except InjectedCrash:
                crashed = True
            self.assertTrue(crashed, "the injected crash did not happen")
        failed = Run.search([("date", "=", days(0))])
        self.assertEqual(failed.state, "failed")
        self.assertEqual(failed.email_count, 2)
        mailed = [p for p in partners if self._mails(p)]
        self.assertEqual(len(mailed), 2, "the first batch is kept, the second rolled back")

        resumed = Run.process(days(0))
        self.assertEqual(resumed, failed, "the unfinished run of the day is resumed")
        self.assertEqual(resumed.state, "done")
        self.assertEqual(resumed.email_count, 4)
        for partner in partners:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)
            self.assertEqual(len(self._history(partner, "email")), 1, partner.name)

    def test_a_run_of_several_batches_keeps_one_batch_in_memory(self):
        """The e-mails of a batch leave the ORM cache when the next batch starts (at 20,000
        customers they held hundreds of MB); the run's work is all there afterwards."""
        partners = [self._customer(f"Memory {i}") for i in range(3)]
        invoices = [self._invoice(partner, 100.0, days(-8)) for partner in partners]
        bodies = []
        original = ArFollowupRun._ar_execute_batch

        def watch_the_cache(run, plan):
            cached = self.env.cache.get_records(
                self.env["mail.mail"], self.env["mail.mail"]._fields["body_html"]
            )
            bodies.append(len(cached))
            return original(run, plan)

        self._set_batch_size(1)
        Run = self.Run.with_company(self.company)
        with patch.object(ArFollowupRun, "_ar_execute_batch", watch_the_cache):
            run = Run.process(days(0))
        self.assertEqual(bodies, [0, 0, 0], "no e-mail body of an earlier batch in the cache")
        self.assertEqual((run.state, run.email_count, run.partner_count), ("done", 3, 3))
        for partner, invoice in zip(partners, invoices, strict=True):
            self.assertEqual(len(self._mails(partner)), 1, partner.name)
            self.assertIn(invoice.name, self._mails(partner).body_html)

    def test_two_runs_at_the_same_time_never_act_twice(self):
        """A second worker (its own database connection) holding the company's follow-up lock
        keeps this run from acting; the cron skips the company instead of failing."""
        self._invoice(self.customer, 100.0, days(-8))
        other_worker = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other_worker.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_NAMESPACE, self.company.id)
            )
            self.assertTrue(other_worker.fetchone()[0])
            with self.assertRaises(RunInProgress):
                self._run(days(0))
            self.assertFalse(self._mails(self.customer))
            with (
                patch.object(type(self.env["ir.cron"]), "_notify_progress"),
                patch.object(self.env.cr, "commit"),
                freeze_time(days(0)),
            ):
                self.Run.with_user(SUPERUSER_ID)._cron_process()
            self.assertFalse(
                self._mails(self.customer), "the cron leaves the company to the other worker"
            )
        finally:
            other_worker.execute(
                "SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, self.company.id)
            )
            other_worker.close()
        self._run(days(0))
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_cron_processes_every_company_in_batches(self):
        partners = [self._customer(f"Cron {i}") for i in range(3)]
        for partner in partners:
            self._invoice(partner, 100.0, days(-8))
        with (
            patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress,
            freeze_time(days(0)),
        ):
            # the scheduled action runs as the superuser
            self._set_batch_size(1)
            Run = self.Run.with_user(SUPERUSER_ID)
            self.env["ir.config_parameter"].sudo().set_param("ar_followup.cron_batches", 2)
            with patch.object(self.env.cr, "commit"):
                Run._cron_process()
            self.assertEqual(progress.call_args.kwargs, {"done": 2, "remaining": 1})
            with patch.object(self.env.cr, "commit"):
                Run._cron_process()
            self.assertEqual(progress.call_args.kwargs["remaining"], 0)
        run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", days(0))])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.email_count, 3)

    def test_cron_stopped_by_the_worker_time_limit_resumes_where_it_stopped(self):
        """Odoo's worker raises 'CPU time limit exceeded' from its signal handler in the middle
        of whatever runs: the batches committed before stay done, the next call of the
        scheduled action resumes the same run with the customers left, nobody gets a second
        reminder."""
        partners = [self._customer(f"Limit {i}") for i in range(5)]
        for partner in partners:
            self._invoice(partner, 100.0, days(-8))
        original = ArFollowupRun._ar_execute_batch
        calls = []

        def time_limit_in_third_batch(run, plan):
            calls.append(plan)
            if len(calls) == 3:
                Worker.signal_time_expired_handler(SimpleNamespace(pid=0), signal.SIGXCPU, None)
            return original(run, plan)

        self.env["ir.config_parameter"].sudo().set_param("ar_followup.cron_batches", 10)
        self._set_batch_size(1)
        Run = self.Run.with_user(SUPERUSER_ID)
        with (
            patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress,
            patch.object(self.env.cr, "commit"),
            freeze_time(days(0)),
        ):
            with patch.object(ArFollowupRun, "_ar_execute_batch", time_limit_in_third_batch):
                stopped = False
                try:
                    Run._cron_process()
                except Exception as error:  # noqa: BLE001 - the worker raises a bare Exception
                    stopped = "CPU time limit exceeded" in str(error)
                self.assertTrue(stopped, "the time limit did not stop the run")
            run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", days(0))])
            self.assertEqual(run.state, "failed")
            self.assertEqual(run.email_count, 2)
            Run._cron_process()
            self.assertEqual(progress.call_args.kwargs, {"done": 3, "remaining": 0})
        self.assertEqual(
            self.Run.search([("company_id", "=", self.company.id), ("date", "=", days(0))]), run
        )
        self.assertEqual(run.state, "done")
        self.assertEqual(run.email_count, 5)
        for partner in partners:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)
