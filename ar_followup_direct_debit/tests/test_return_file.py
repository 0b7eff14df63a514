"""A return imported from the bank's file (PAIN.002, OCA's import): the same as one entered by
hand, the invoice chased at once with the reason in words."""

import base64

from odoo.tests import tagged

from ..tools.return_files import pain002
from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestReturnFile(DirectDebitCase):
    def test_a_return_imported_from_the_banks_file(self):
        invoice = self._invoice(self.customer, 1210.0, days(0))
        order = self._collect(invoice)
        payment = order.payment_ids
        self.assertEqual(len(payment), 1)
        content = pain002(
            "NL91ABNA0417164300",
            self.company.sepa_creditor_identifier,
            days(4),
            [
                {
                    "payment_id": payment.id,
                    "amount": 1210.0,
                    "currency": invoice.currency_id.name,
                    "reason": "AM04",
                    "collected": days(0),
                    "debtor": self.customer.name,
                    "debtor_iban": "NL20INGB0001234567",
                    "mandate": "ARDD-0001",
                }
            ],
        )
        wizard = self.env["payment.return.import"].create(
            {"data_file": base64.b64encode(content), "journal_id": self.bank_journal.id}
        )
        action = wizard.import_file()
        payment_return = self.env["payment.return"].browse(action["res_id"])
        self.assertEqual(payment_return.line_ids.reason_id.code, "AM04")
        self.assertTrue(payment_return.line_ids.move_line_ids, "matched with the payment")
        payment_return.action_confirm()
        self.assertEqual(invoice.amount_residual, 1210.0)
        self.assertEqual(invoice.ar_dd_return_reason_id.code, "AM04")
        # returned on the return's date, not on the collection date the file's line carries
        self.assertEqual(payment_return.line_ids.date, days(0))
        self.assertEqual(invoice.ar_dd_returned_date, payment_return.date)
        self.assertNotEqual(invoice.ar_dd_returned_date, days(0))
        mail = self._history(self.customer, "email").mail_id
        self.assertIn("insufficient funds", mail.body_html)
        self.assertEqual(self._statement(self.customer, days(5))["totals"][0]["overdue"], 1210.0)
