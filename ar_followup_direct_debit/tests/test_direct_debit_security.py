"""What the bank's return recorded cannot be forged over JSON-RPC: not by a billing user, not
by a credit-control manager; the return's settings are the company's (administrators)."""

from odoo.tests import HttpCase, tagged

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestDirectDebitSecurity(DirectDebitCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("dd_billing", "billing", name="Billing User")
        cls.invoice = cls._invoice(cls.customer, 100.0, days(0))

    def test_nobody_records_a_return_by_hand(self):
        for login in ("dd_billing", "ar_manager"):
            message = self._refused(
                login,
                "account.move",
                "write",
                self.invoice.ids,
                {"ar_dd_returned_date": "2026-03-05"},
            )
            self.assertIn("recorded by the payment return itself", message)
        self.assertFalse(self.invoice.ar_dd_returned_date)
        # a billing user reads it
        rows = self._ok(
            "dd_billing", "account.move", "read", self.invoice.ids, ["ar_dd_returned_date"]
        )
        self.assertFalse(rows[0]["ar_dd_returned_date"])

    def test_the_settings_are_the_administrators(self):
        self._refused(
            "ar_manager", "res.company", "write", self.company.ids, {"ar_dd_return_days_core": 0}
        )
        self.assertEqual(self.company.ar_dd_return_days_core, 8)
