"""A debit the bank returns enters the ladder at once, with its own e-mail: the amount, the
date, the reason in plain words (English and Dutch)."""

from odoo.tests import tagged

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestReturned(DirectDebitCase):
    def _returned_mail(self, invoice):
        """The e-mail of the returned debit, in the invoice's chatter (one)."""
        messages = invoice.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(messages), 1)
        return messages

    def test_returned_debit_is_chased_at_once_with_its_reason(self):
        invoice = self._invoice(self.customer, 1210.0, days(0))
        self._collect(invoice)
        self.assertEqual(invoice.amount_residual, 0.0)
        self._return(invoice, "AM04", on=days(3))
        self.assertEqual(invoice.amount_residual, 1210.0)
        self.assertEqual(invoice.ar_dd_returned_date, days(3))
        self.assertEqual(invoice.ar_dd_return_reason_id.code, "AM04")
        mail = self._returned_mail(invoice)
        self.assertIn("returned our direct debit of", mail.body)
        self.assertIn("insufficient funds", mail.body)
        self.assertIn("1,210.00", mail.body)
        self.assertIn("/statement/", mail.body, "the link to pick a new debit date")
        self.assertEqual(mail.notification_ids.res_partner_id, self.customer)
        self.assertEqual(mail.notification_ids.notification_type, "email")
        # out of the direct debit: asked on the statement, chased by the next run
        self.assertFalse(self.env["account.move"]._ar_dd_collections(days(4), invoice.ids))
        statement = self._statement(self.customer, days(4))
        self.assertEqual(statement["totals"][0]["overdue"], 1210.0)
        # the ladder takes it up where its due date puts it: the 7-day reminder on day 8
        # (without the return it would have been out of the ladder up to day 10)
        self._run(days(8))
        self.assertEqual(self._history(self.customer, "email").move_ids, invoice)

    def test_the_reason_in_dutch(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.customer.lang = "nl_NL"
        invoice = self._invoice(self.customer, 100.0, days(0))
        self._collect(invoice)
        self._return(invoice, "MS02", on=days(3))
        mail = self._returned_mail(invoice)
        self.assertIn("geweigerd door de rekeninghouder", mail.body)
        self.assertIn("Uw bank heeft onze incasso van", mail.body)
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
