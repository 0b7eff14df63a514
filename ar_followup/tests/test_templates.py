from freezegun import freeze_time

from odoo.tests import tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFollowupTemplatesAndActions(ArFollowupCase):
    def test_reminder_in_the_partners_language(self):
        dutch = self._customer("Bakkerij Jansen", lang="nl_NL")
        invoice = self._invoice(dutch, 100.0, days(-10))
        self._run(days(0))
        mail = self._mails(dutch)
        self.assertIn("betalingsherinnering", mail.subject)
        self.assertIn("Geachte heer, mevrouw,", mail.body_html)
        self.assertIn("Openstaand bedrag", mail.body_html)
        self.assertIn("(vervallen)", mail.body_html)
        self.assertIn(invoice.name, mail.body_html)
        self.assertNotIn("Dear Sir or Madam", mail.body_html)

    def test_default_levels_are_translated(self):
        self.assertEqual(self.levels[7].with_context(lang="nl_NL").name, "Vriendelijke herinnering")
        self.assertEqual(self.policy.with_context(lang="nl_NL").name, "Standaard")

    def test_preview_shows_the_next_reminder(self):
        self._invoice(self.customer, 100.0, days(-10))
        with freeze_time(days(0)):
            action = self._account(self.customer).action_ar_preview_reminder()
            wizard = self.env["ar.followup.preview"].browse(action["res_id"])
            # the level the run sends (Send reminder now below), not the courtesy reminder
            # of a customer with nothing overdue: this one is 10 days late
            self.assertEqual(wizard.level_id, self.levels[7])
            wizard.level_id = self.levels[-3]
            wizard.level_id = self.levels[7]
            self.assertIn("payment reminder", wizard.subject)
            self.assertIn("customer.one@example.com", wizard.email_to)
            self.assertIn("Dear Sir or Madam", wizard.body_html)
        self.assertFalse(self._mails(self.customer), "a preview sends nothing")

    def test_send_reminder_now_uses_the_same_rules(self):
        invoice = self._invoice(self.customer, 100.0, days(-10))
        other = self._customer("Other")
        self._invoice(other, 100.0, days(-10))
        with freeze_time(days(0)):
            action = self.customer.action_ar_send_reminder()
            self.assertEqual(action["params"]["type"], "success")
            self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
            self.assertFalse(self._mails(other), "only the chosen customer")
            action = self.customer.action_ar_send_reminder()
            self.assertEqual(action["params"]["type"], "info", "nothing twice on the same day")
        self.assertEqual(len(self._mails(self.customer)), 1)
        # the first run sent the reminder; the second did nothing and leaves no run behind
        run = self.env["ar.followup.run"].search([("scope", "=", "partner")])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.email_count, 1)

    def test_follow_up_list_filters(self):
        late = self._customer("Late")
        self._invoice(late, 100.0, days(-10))
        early = self._customer("Early")
        self._invoice(early, 100.0, days(20))
        self._run(days(0))
        Partner = self.env["res.partner"].with_company(self.company)
        with freeze_time(days(7)):
            needs_action = Partner.search([("ar_next_followup_date", "<=", days(7))])
        self.assertIn(late, needs_action)  # +14 level on day 7
        self.assertNotIn(early, needs_action)  # courtesy on day 17
        self.assertEqual(early.with_company(self.company).ar_next_followup_date, days(17))
        action = self.env.ref("ar_followup.action_ar_followup_partners")
        with freeze_time(days(0)):
            self.assertIn(late, Partner.search(eval(action.domain)))
        items = self._account(late).action_ar_open_items()
        lines = self.env["account.move.line"].search(items["domain"])
        self.assertEqual(sum(lines.mapped("amount_residual")), 100.0)

    def test_partner_status_cleared_when_paid(self):
        invoice = self._invoice(self.customer, 100.0, days(-10))
        self._run(days(0))
        partner = self.customer.with_company(self.company)
        self.assertEqual(partner.ar_followup_level_id, self.levels[7])
        self._pay(invoice, 100.0, on=days(1))
        self._run(days(2))
        self.assertFalse(partner.ar_followup_level_id)
        self.assertFalse(partner.ar_next_followup_date)
        self.assertFalse(invoice.ar_next_followup_date)
        self.assertEqual(
            invoice.ar_followup_level_id,
            self.levels[7],
            "the invoice keeps its history",
        )
