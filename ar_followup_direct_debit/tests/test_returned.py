"""A debit the bank returns enters the ladder at once, with its own e-mail: the amount, the
date, the reason in plain words (English and Dutch)."""

from odoo.tests import tagged

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestReturned(DirectDebitCase):
    def _returned_mail(self, invoice):
        """The e-mail of the returned debit (one), queued and in the customer's follow-up
        history, the customer's chatter keeping it and the invoice's saying it was queued."""
        customer = invoice.commercial_partner_id
        line = self._history(customer, "email").filtered(lambda h: invoice in h.move_ids)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.delivery_state, "queued", "queued, not sent")
        self.assertIn(invoice.name, line.note)
        mail = line.mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, invoice.partner_id)
        self.assertEqual((mail.model, mail.res_id), ("res.partner", customer.id))
        self.assertEqual(line.message_id, mail.mail_message_id)
        # the reminders' plain e-mail, not Odoo's notification layout with its button to
        # the journal entry (a new user's trial)
        self.assertNotIn("Powered by", mail.body_html)
        self.assertNotIn("/mail/view", mail.body_html)
        self.assertIn("queued", invoice.message_ids[0].body)
        return mail

    def test_returned_debit_is_chased_at_once_with_its_reason(self):
        invoice = self._invoice(self.customer, 1210.0, days(0))
        self._collect(invoice)
        self.assertEqual(invoice.amount_residual, 0.0)
        self._return(invoice, "AM04", on=days(3))
        self.assertEqual(invoice.amount_residual, 1210.0)
        self.assertEqual(invoice.ar_dd_returned_date, days(3))
        self.assertEqual(invoice.ar_dd_return_reason_id.code, "AM04")
        mail = self._returned_mail(invoice)
        self.assertIn("returned our direct debit of", mail.body_html)
        self.assertIn("insufficient funds", mail.body_html)
        self.assertIn("1,210.00", mail.body_html)
        self.assertIn("/statement/", mail.body_html, "the link to pick a new debit date")
        # while it is queued, the run adds no reminder to it (as for its own); the mail
        # queue sends it and its history line says so
        self._send_queue()
        self.assertEqual(self._history(self.customer, "email").delivery_state, "sent")
        # out of the direct debit: asked on the statement, chased by the next run
        self.assertFalse(self.env["account.move"]._ar_dd_collections(days(4), invoice.ids))
        statement = self._statement(self.customer, days(4))
        self.assertEqual(statement["totals"][0]["overdue"], 1210.0)
        # the ladder takes it up where its due date puts it: the 7-day reminder on day 8
        # (without the return it would have been out of the ladder up to day 10)
        self._run(days(8))
        reminders = self._history(self.customer, "email")
        self.assertEqual(len(reminders), 2, "the return's e-mail, then the run's reminder")
        self.assertEqual(reminders[1].move_ids, invoice)
        self.assertTrue(reminders[1].level_id)

    def test_the_reason_in_dutch(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.customer.lang = "nl_NL"
        invoice = self._invoice(self.customer, 100.0, days(0))
        self._collect(invoice)
        self._return(invoice, "MS02", on=days(3))
        mail = self._returned_mail(invoice)
        self.assertIn("geweigerd door de rekeninghouder", mail.body_html)
        self.assertIn("Uw bank heeft onze incasso van", mail.body_html)
        self.assertIn("gestorneerd door uw bank", mail.subject)

    def test_a_refusal_flags_the_mandate(self):
        invoice = self._invoice(self.customer, 100.0, days(0))
        self._collect(invoice)
        self._return(invoice, "MS02", on=days(3))
        activity = self.mandate.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("MS02", activity.note)
        # insufficient funds does not put the mandate in doubt
        other = self._invoice(self.customer, 100.0, days(1))
        self._collect(other)
        self._return(other, "AM04", on=days(4))
        self.assertEqual(len(self.mandate.activity_ids), 1)

    def test_two_returns_in_12_months_back_to_transfer(self):
        short = self.env["ar.followup.policy"].create(
            {"name": "Short ladder", "company_id": self.company.id}
        )
        self.company.ar_dd_returns_policy_id = short
        first = self._invoice(self.customer, 100.0, days(0))
        self._collect(first)
        self._return(first, "AM04", on=days(3))
        partner = self.customer.with_company(self.company)
        self.assertEqual(partner.customer_payment_mode_id, self.mode, "one return: kept")
        second = self._invoice(self.customer, 200.0, days(30))
        self._collect(second)
        self._return(second, "AM04", on=days(33))
        partner.invalidate_recordset()
        self.assertFalse(partner.customer_payment_mode_id, "back to transfer")
        self.assertEqual(self._account(self.customer).followup_policy_id, short)
        self.assertIn("returned twice in 12 months", self.customer.message_ids[0].body)
