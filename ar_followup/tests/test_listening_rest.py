"""A payment on its way that pays part of what is asked (issue #29, item 2): the reminder goes
out for the rest only, and asks only the rest: its open items list the payment as received,
not matched yet, its overdue total and its SEPA QR code deduct it, and so does the statement
link's page. Statement lines written with separators (+++020/3430/57642+++) are found whatever
the bank did with them."""

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import days

MATCH = "ar_followup.mail_activity_type_match_payment"
from .test_sepa_qr import SepaQrCase, belgian_reference, decode


@tagged("post_install", "-at_install")
class TestListeningRest(SepaQrCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ar_bank_feed_hold = False
        cls.journal = cls.company_data["default_journal_bank"]
        cls.levels[7].min_overdue_amount = 100.0
        cls.invoice = cls._invoice(cls.customer, 1210.0, days(-10))

    def _line(self, amount, on, **values):
        return self.env["account.bank.statement.line"].create(
            {"journal_id": self.journal.id, "date": on, "amount": amount, **values}
        )

    def test_the_reminder_asks_only_the_rest(self):
        """1,210.00 overdue, 400.00 on its way: the reminder asks 810.00 (hand-computed:
        1,210.00 - 400.00), lists the 400.00 as received, and its QR code pays 810.00."""
        self._line(400.0, days(-1), partner_id=self.customer.id, payment_ref="Deel factuur")
        self._run(days(0))
        mail = self._mails(self.customer)
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        self.assertIn("Deel factuur", body)
        self.assertIn("not matched with the invoices yet: deducted", body)
        statement = self._statement(self.customer, days(0))
        (total,) = statement["totals"]
        self.assertAlmostEqual(total["overdue"], 810.0, places=2)
        self.assertAlmostEqual(total["open"], 810.0, places=2)
        self.assertAlmostEqual(total["received"], 400.0, places=2)
        qr = self._qr(days(0))
        self.assertEqual(qr["amount"], 810.0)
        self.assertEqual(qr["received"], 400.0)
        # a letter's code reads them off its statement: the same amount
        paper = self.Statement._ar_sepa_qr(self.customer, self.company, days(0), statement)
        self.assertEqual((paper["amount"], paper["received"]), (810.0, 400.0))
        self.assertIn("\nEUR810.00\n", qr["payload"])
        codes = decode(qr["png"])
        if codes is not None:
            self.assertEqual(codes, [qr["payload"]])
        # the statement link's page: the same rest, the payment listed
        link = self.env["ar.statement.link"]._ar_links(self.customer, self.company, days(0))
        with freeze_time(days(0)):
            page = self.url_open(f"/statement/{link[self.customer.id].token}").text
        self.assertIn("Deel factuur", page)
        self.assertIn("810.00", page)

    def test_fully_covered_no_code_and_no_reminder(self):
        self._line(1210.0, days(-1), partner_id=self.customer.id, payment_ref="Alles")
        self.assertIsNone(self._qr(days(0)))
        self._run(days(0))
        self.assertFalse(self._mails(self.customer))

    def test_a_reference_the_bank_wrote_without_separators(self):
        """The invoice's Belgian structured communication as the bank exports it (twelve
        digits, in the line's reference) names the customer: the payment is on its way."""
        other = self._customer("Belgian Customer")
        invoice = self._invoice(other, 500.0, days(-10))
        invoice.payment_reference = belgian_reference(2034305)
        digits = "".join(c for c in invoice.payment_reference if c.isdigit())
        self._line(500.0, days(-1), payment_ref="/", ref=digits)
        self._run(days(0))
        self.assertFalse(self._mails(other))
        self.assertIn("not matched yet", self._history(other, "skip").note)

    def test_a_line_is_one_customers(self):
        """A line with a partner is that partner's only, whatever its account or text name;
        an account two customers share names neither; the payer's text in the bookkeeper's
        activity is text, not markup."""
        other = self._customer("Other Customer")
        other_invoice = self._invoice(other, 500.0, days(-10))
        self.env["res.partner.bank"].sudo().create(
            {"acc_number": "NL02ABNA0123456789", "partner_id": other.id}
        )
        # the customer's line, from the other's account, naming the other's invoice
        self._line(
            500.0,
            days(-1),
            partner_id=self.customer.id,
            account_number="NL02ABNA0123456789",
            payment_ref=f"<a href='https://evil.example'>pay</a> {other_invoice.name}",
        )
        waiting = self.Statement._ar_waiting_payments(self.company, [self.customer.id, other.id])
        self.assertEqual(list(waiting), [self.customer.id])
        statement = self._statement(other, days(0))
        self.assertFalse([line for line in statement["lines"] if line.get("waiting")])
        # an account of two customers: nobody's
        shared = self._customer("Shared account")
        self._invoice(shared, 300.0, days(-10))
        for partner in (shared, other):
            self.env["res.partner.bank"].sudo().create(
                {"acc_number": "NL20INGB0001234567", "partner_id": partner.id}
            )
        self._line(300.0, days(-1), account_number="NL20INGB0001234567", payment_ref="x")
        waiting = self.Statement._ar_waiting_payments(self.company, [shared.id, other.id])
        self.assertNotIn(shared.id, waiting)
        self.assertNotIn(other.id, waiting)
        # the run's activity for the customer's line: the label escaped
        self._run(days(0))
        activity = self.env["mail.activity"].search(
            [("activity_type_id", "=", self.env.ref(MATCH).id)]
        )
        self.assertTrue(activity)
        self.assertNotIn("<a ", activity[0].note)
        self.assertIn("&lt;a href=", activity[0].note)
