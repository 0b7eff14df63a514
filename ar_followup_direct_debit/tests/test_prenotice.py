"""The invoice announces its direct debit at least the pre-notification's days ahead (SEPA
rulebook: 14 calendar days unless agreed otherwise): an invoice due sooner is collected 14
days after its date, and the ladder counts from that date too."""

from datetime import timedelta

from odoo.tests import tagged

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestPrenotice(DirectDebitCase):
    def _html(self, invoice):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", invoice.ids
        )
        return html.decode().replace("\xa0", " ")

    def test_the_invoice_states_amount_date_account_mandate(self):
        # invoiced on D0, due in 7 days: collected 14 days after the invoice, on 16 March
        invoice = self._invoice(self.customer, 1210.0, days(7), invoice_date=days(0))
        notice = invoice._ar_dd_prenotice()
        self.assertEqual(notice["date"], days(14))
        self.assertEqual(notice["account"], "NL20 **** 4567")
        html = self._html(invoice)
        self.assertIn("Pre-notification of SEPA direct debit: we will collect", html)
        self.assertIn('<span class="oe_currency_value">1,210.00</span>', html)
        self.assertIn("from your account NL20 **** 4567 on", html)
        self.assertIn("03/16/2026", html)
        self.assertIn("ARDD-0001", html)
        self.assertIn("NL69ZZZ123456780000", html)
        # the ladder waits for that date plus the return window, not the due date
        Move = self.env["account.move"]
        self.assertEqual(Move._ar_dd_collections(days(20), invoice.ids), {invoice.id: days(14)})
        # an agreed shorter notice
        self.company.ar_dd_prenotice_days = 2
        self.assertEqual(invoice._ar_dd_prenotice()["date"], days(7))

    def test_no_notice_without_a_valid_mandate_or_after_a_return(self):
        invoice = self._invoice(self.customer, 100.0, days(30), invoice_date=days(0))
        self.mandate.cancel()
        self.assertIsNone(invoice._ar_dd_prenotice())
        self.assertNotIn("Pre-notification", self._html(invoice))
        self.assertEqual(days(30) - days(0), timedelta(days=30))
