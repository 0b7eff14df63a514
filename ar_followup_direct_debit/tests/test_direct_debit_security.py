"""What the bank's return recorded cannot be forged over JSON-RPC: not by a billing user, not
by a credit-control manager; the return's settings are the company's (administrators)."""

import json

from freezegun import freeze_time

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

    def test_the_returned_flag_and_the_mandate_are_not_a_clients(self):
        for vals in ({"returned_payment": True}, {"ar_dd_recollect_date": "2026-04-01"}):
            self._refused("dd_billing", "account.move", "write", self.invoice.ids, vals)
        self.assertFalse(self.invoice.returned_payment)
        other = self._customer("Other Customer")
        other_mandate = self._mandate(other, "NL02ABNA0123456789", "ARDD-OTHER")
        message = self._refused(
            "dd_billing",
            "account.move",
            "write",
            self.invoice.ids,
            {"mandate_id": other_mandate.id},
        )
        self.assertIn("not its customer's", message)
        self.assertEqual(self.invoice.mandate_id, self.mandate)

    def test_an_invoice_being_debited_is_not_paid_online(self):
        # the route that pays one invoice, called with the invoice's own access token
        token = self.invoice._portal_ensure_token()
        with freeze_time(days(1)):
            self.assertTrue(self.invoice._ar_dd_collected_on())
            response = self.url_open(
                f"/invoice/transaction/{self.invoice.id}",
                data=json.dumps(
                    {"jsonrpc": "2.0", "method": "call", "params": {"access_token": token}}
                ),
                headers={"Content-Type": "application/json"},
            )
        body = response.json()
        self.assertIn("cannot be paid online", body["error"]["data"]["message"])
        self.assertFalse(self.invoice.transaction_ids)

    def test_a_portal_user_does_not_read_what_the_bank_returned(self):
        self.invoice.sudo().write({"returned_payment": True})
        self._user("dd_portal", "portal", partner_id=self.customer.id)
        # its own invoice, yes; the return as we recorded it, no
        self._ok("dd_portal", "account.move", "read", self.invoice.ids, ["name"])
        for fname in ("ar_dd_returned_date", "ar_dd_return_reason_id", "ar_dd_recollect_date"):
            self._refused("dd_portal", "account.move", "read", self.invoice.ids, [fname])
            self._refused(
                "dd_portal", "account.move", "search_read", [(fname, "!=", False)], ["name"]
            )

    def test_the_reserved_b2b_reference_is_the_bookkeepers(self):
        """The reference the B2B form reserved: billing users read it, nobody writes it over
        RPC, and a portal user does not read it on its own company (its form prints it)."""
        reference = self.customer._ar_dd_b2b_reference(self.company)
        self._user("dd_portal", "portal", partner_id=self.customer.id)
        fname = "ar_dd_b2b_reference"
        read = self._ok("dd_billing", "res.partner", "read", self.customer.ids, [fname])
        self.assertEqual(read[0][fname], reference)
        for login in ("dd_billing", "dd_portal"):
            self._refused(login, "res.partner", "write", self.customer.ids, {fname: "FORGED"})
        self._refused("dd_portal", "res.partner", "read", self.customer.ids, [fname])
        self.assertEqual(self.customer.with_company(self.company).ar_dd_b2b_reference, reference)
