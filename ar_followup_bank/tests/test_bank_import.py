"""Bank statements in with OCA's import (CAMT.053, CODA), matched on the structured reference
on import: the customer who paid is not chased (issue #29, item 1). The files are written by
the tests as the banks send them (``bank_files``) and go through OCA's import wizard."""

import base64

from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase, days

from ..tools.bank_files import camt053, coda

COMPANY_IBAN = "NL91ABNA0417164300"
CUSTOMER_IBAN = "NL02ABNA0123456789"
BELGIAN_IBAN = "BE78735000000186"
MATCH = "ar_followup.mail_activity_type_match_payment"


@tagged("post_install", "-at_install")
class TestBankImport(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ar_bank_feed_hold = False
        cls.bank = cls.company_data["default_journal_bank"]
        cls.bank.bank_account_id = (
            cls.env["res.partner.bank"]
            .sudo()
            .create({"acc_number": COMPANY_IBAN, "partner_id": cls.company.partner_id.id})
        )
        # the invoices carry an RF creditor reference (ISO 11649), as the reminder's QR code
        cls.company_data["default_journal_sale"].write(
            {"invoice_reference_model": "euro", "invoice_reference_type": "invoice"}
        )
        cls.env["res.partner.bank"].sudo().create(
            {"acc_number": CUSTOMER_IBAN, "partner_id": cls.customer.id}
        )
        cls.rule = cls.env["account.reconcile.model"].search(
            [("company_id", "=", cls.company.id), ("ar_match_structured_reference", "=", True)]
        )

    def _import(self, content, filename, journal=None):
        """The file through OCA's import wizard, as the bookkeeper uploads it (matching on
        import: OCA's add-ons leave it out in tests unless asked)."""
        wizard = (
            self.env["account.statement.import"]
            .with_context(journal_id=(journal or self.bank).id, _test_account_reconcile_oca=True)
            .create({"statement_file": base64.b64encode(content), "statement_filename": filename})
        )
        wizard.import_file_button()
        return self.env["account.bank.statement.line"].search(
            [("journal_id", "=", (journal or self.bank).id)], order="id desc", limit=1
        )

    def _camt(self, *entries, day=None):
        currency = self.company.currency_id.name
        return self._import(camt053(COMPANY_IBAN, currency, day or days(-1), entries), "x.xml")

    def _hold(self, invoice):
        """The customer on hold by the follow-up (the hold's level)."""
        self._set_followup_state(invoice, self.levels[21], days(-9))
        self._run(days(0))
        self.assertTrue(self.customer.ar_credit_hold)

    def test_the_company_has_the_rule(self):
        self.assertEqual(len(self.rule), 1)
        self.assertTrue(self.rule.auto_reconcile)
        self.assertFalse(self.rule.match_partner)
        # made once: the hook does not make a second one
        Model = self.env["account.reconcile.model"]
        self.assertFalse(Model._ar_reference_rules_for(self.company))

    def test_a_transfer_with_the_reference_is_matched_on_import(self):
        invoice = self._invoice(self.customer, 1210.0, days(-40))
        self.assertTrue(invoice.payment_reference.startswith("RF"))
        self._hold(invoice)
        sent = len(self._history(self.customer, "email"))
        line = self._camt(
            {
                "amount": 1210.0,
                "name": "Customer One BV",
                "iban": CUSTOMER_IBAN,
                # as the bank exports it: without the spaces of the printed reference
                "reference": invoice.payment_reference.replace(" ", ""),
            },
            day=days(1),
        )
        self.assertTrue(line.is_reconciled)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertFalse(self.customer.ar_credit_hold)
        self._run(days(2))
        self._run(days(20))
        self.assertEqual(len(self._history(self.customer, "email")), sent)

    def test_whoever_pays_with_the_reference(self):
        """An unknown account (the customer's director pays from a private account) and the
        printed reference in the free text: the reference is enough."""
        invoice = self._invoice(self.customer, 300.0, days(-10))
        line = self._camt(
            {
                "amount": 300.0,
                "name": "J. Jansen",
                "iban": "NL20INGB0001234567",
                "text": f"betaling {invoice.payment_reference} dank u",
            }
        )
        self.assertTrue(line.is_reconciled)
        self.assertEqual(invoice.amount_residual, 0.0)
        # the line says who paid: the invoice's customer
        self.assertEqual(line.partner_id, self.customer)

    def test_an_invoice_number_is_not_enough(self):
        """The customer's IBAN and an invoice number in the text: no match without a person;
        the run holds the reminder back and asks the bookkeeper to match it."""
        invoice = self._invoice(self.customer, 400.0, days(-10))
        other = self._invoice(self.customer, 400.0, days(-10))
        line = self._camt(
            {
                "amount": 400.0,
                "name": "Customer One BV",
                "iban": CUSTOMER_IBAN,
                "text": f"factuur {invoice.name}",
            }
        )
        self.assertFalse(line.is_reconciled)
        self.assertEqual(line.partner_id, self.customer)
        self.assertEqual(invoice.amount_residual + other.amount_residual, 800.0)
        self._run(days(0))
        activity = self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", self.env.ref(MATCH).id),
                ("res_model", "=", "account.move"),
                ("res_id", "=", line.move_id.id),
            ]
        )
        self.assertEqual(len(activity), 1)

    def test_a_partial_payment_with_the_reference(self):
        """Part of the invoice with its reference: matched for that part on import; the next
        reminder asks only the rest."""
        invoice = self._invoice(self.customer, 1000.0, days(-10))
        line = self._camt(
            {
                "amount": 400.0,
                "name": "Customer One BV",
                "iban": CUSTOMER_IBAN,
                "reference": invoice.payment_reference,
            }
        )
        self.assertTrue(line.is_reconciled)
        self.assertEqual(invoice.amount_residual, 600.0)
        self._run(days(0))
        mail = self._mails(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn("600.00", mail.body_html)

    def test_what_the_rule_does_not_match(self):
        """Another company's invoice with that reference, a vendor bill, another currency, a
        paid invoice: none is matched by the reference."""
        invoice = self._invoice(self.customer, 250.0, days(-10))
        self._pay(invoice, 250.0)
        line = self._camt(
            {
                "amount": 250.0,
                "name": "Customer One BV",
                "iban": "NL20INGB0001234567",
                "reference": invoice.payment_reference,
            }
        )
        self.assertFalse(line.is_reconciled)
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        other_currency = self._invoice(self.customer, 250.0, days(-10), currency=eur)
        tokens_line = self._camt(
            {
                "amount": 250.0,
                "name": "Customer One BV",
                "iban": "NL20INGB0001234567",
                "reference": other_currency.payment_reference,
            },
            day=days(0),
        )
        self.assertFalse(tokens_line.is_reconciled)
        self.assertEqual(other_currency.amount_residual, 250.0)

    def test_a_coda_file_with_a_structured_communication(self):
        """A Belgian bank's CODA file: the structured communication (+++ddd/dddd/ddddd+++)
        of a Belgian invoice matches it on import."""
        journal = self.env["account.journal"].create(
            {
                "name": "KBC",
                "code": "KBC",
                "type": "bank",
                "company_id": self.company.id,
                "bank_account_id": self.env["res.partner.bank"]
                .sudo()
                .create({"acc_number": BELGIAN_IBAN, "partner_id": self.company.partner_id.id})
                .id,
            }
        )
        invoice = self._invoice(self.customer, 726.0, days(-10))
        communication = "020343057642"  # 0203430576 mod 97 = 42: a valid one
        invoice.payment_reference = (
            f"+++{communication[:3]}/{communication[3:7]}/{communication[7:]}+++"
        )
        content = coda(
            BELGIAN_IBAN,
            self.company.currency_id.name,
            days(-1),
            [
                {
                    "amount": 726.0,
                    "name": "Customer One",
                    "iban": "BE71096123456769",
                    "communication": communication,
                }
            ],
        )
        line = self._import(content, "coda.txt", journal=journal)
        self.assertEqual(line.amount, 726.0)
        self.assertEqual(line.payment_ref, invoice.payment_reference)
        self.assertTrue(line.is_reconciled)
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_who_makes_a_reference_rule(self):
        """A billing user (whom Odoo lets create matching rules) neither makes nor changes a
        rule on the structured reference; an accounting administrator does."""
        self._user("bank_billing", "billing")
        values = {
            "name": "Tolerant",
            "rule_type": "invoice_matching",
            "ar_match_structured_reference": True,
            "auto_reconcile": True,
            "company_id": self.company.id,
        }
        self._refused("bank_billing", "account.reconcile.model", "create", values)
        self._refused(
            "bank_billing", "account.reconcile.model", "write", self.rule.ids, {"sequence": -10}
        )
        self._user("bank_admin", "internal", groups="account.group_account_manager")
        self._ok("bank_admin", "account.reconcile.model", "create", values)

    def test_a_qr_code_for_several_invoices(self):
        """A reminder's QR code for invoices without a shared structured reference carries
        their numbers as its text: paying exactly what they owe matches them on import,
        whoever pays; a different amount, or a text a person typed, waits for the bookkeeper
        (from an account nobody knows: no rule of Odoo's finds the customer either)."""
        self.company_data["default_journal_sale"].invoice_reference_model = "odoo"
        first = self._invoice(self.customer, 289.67, days(-10))
        second = self._invoice(self.customer, 108.90, days(-5))
        qr = self.env["ar.followup.statement"]._ar_transfer_reference(first | second, days(0))
        self.assertEqual(qr, ("", f"{first.name} {second.name}"))
        other = self._invoice(self.customer, 50.0, days(-5))
        typed = self._camt(
            {
                "amount": 50.0,
                "name": "J. Jansen",
                "iban": "NL39RABO0300065264",
                "text": f"factuur {other.name}",
            }
        )
        self.assertFalse(typed.is_reconciled)
        short = self._camt(
            {
                "amount": 300.0,
                "name": "J. Jansen",
                "iban": "NL39RABO0300065264",
                "text": qr[1],
            },
            day=days(0),
        )
        self.assertFalse(short.is_reconciled)
        # 398.57 = 289.67 + 108.90
        paid = self._camt(
            {
                "amount": 398.57,
                "name": "J. Jansen",
                "iban": "NL39RABO0300065264",
                "text": qr[1],
            },
            day=days(1),
        )
        self.assertTrue(paid.is_reconciled)
        self.assertEqual((first | second).mapped("amount_residual"), [0.0, 0.0])

    def test_accounting_administrators_import(self):
        """OCA's import and reconciliation screens need Odoo's full accounting features: an
        accounting administrator has them with this add-on."""
        admin = self._user("bank_admin2", "internal", groups="account.group_account_manager")
        self.assertTrue(admin.has_group("account.group_account_user"))
