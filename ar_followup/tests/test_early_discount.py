"""The early-payment discount (Odoo's ``early_discount`` payment terms) in the courtesy
reminder, the statement, the pay page, the QR code and the payment (issue #18).

The terms of these tests: 2% discount if paid within 10 days, else net in 30 days (Odoo's
"included" computation: the discount reduces the base and its tax). Invoices dated
2026-03-02: the discount runs until 2026-03-12, the invoice is due on 2026-04-01. By hand:

- 1,000.00 without tax: 2% = 20.00, paid by the 12th 980.00;
- 500.00 + 21% VAT = 605.00: 2% of the base 10.00 and of the tax 2.10, paid by the 12th
  592.90 (605.00 x 0.98);
- both: 1,572.90 instead of 1,605.00, a discount of 32.10.
"""

import json

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import days
from .test_sepa_qr import SepaQrCase


@tagged("post_install", "-at_install")
class TestEarlyDiscount(SepaQrCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.terms = cls.env["account.payment.term"].create(
            {
                "name": "2/10 net 30",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "early_pay_discount_computation": "included",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})
                ],
            }
        )
        cls.vat = cls.env["account.tax"].create(
            {"name": "BTW 21%", "amount": 21, "company_id": cls.company.id}
        )
        cls.provider, cls.method = cls._demo_provider()
        links = cls.env["ar.statement.link"]._ar_links(cls.customer, cls.company, days(0))
        cls.base = f"/statement/{links[cls.customer.id].token}"

    @classmethod
    def _discounted(cls, partner, amount, tax=None, invoice_date=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date or days(0),
                "invoice_payment_term_id": cls.terms.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(tax.ids if tax else [])],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_terms_as_computed_by_hand(self):
        first = self._discounted(self.customer, 1000.0)
        second = self._discounted(self.customer, 500.0, self.vat)
        self.assertEqual(first.invoice_date_due, days(30))
        self.assertEqual(second.amount_total, 605.0)
        discounts = self.Statement._ar_discounts(first + second, days(10))
        self.assertEqual(discounts, {first: (980.0, days(10)), second: (592.9, days(10))})
        self.assertEqual(self.Statement._ar_amount_to_pay(first + second, days(10)), (1572.9, 32.1))
        # the day after its last day, or once something is paid on it, no discount
        self.assertEqual(self.Statement._ar_amount_to_pay(first + second, days(11)), (1605.0, 0.0))
        self._pay(second, 5.0)
        self.assertEqual(self.Statement._ar_amount_to_pay(first + second, days(5)), (1580.0, 20.0))

    def test_courtesy_reminder_shows_the_discount_in_english_and_dutch(self):
        # a company that gives 2% for paying within 10 days reminds right after the invoice
        courtesy = self.levels[-3]
        courtesy.delay = -25
        dutch = self._customer("Klant Twee", lang="nl_NL")
        for partner in (self.customer, dutch):
            self._discounted(partner, 1000.0)
        self._run(days(5))
        body = self._body(self.customer)
        self.assertIn("Early-payment discount: 980.00\xa0€ if paid by 03/12/2026", body)
        self.assertIn("settled by the lower amount", body)
        body = self._body(dutch)
        self.assertIn(
            "Korting bij vroege betaling: 980,00\xa0€ bij betaling uiterlijk 12-03-2026", body
        )
        self.assertIn("met het lagere bedrag voldaan", body)
        # the statement of after the last day shows none
        statement = self._statement(self.customer, days(11))
        self.assertEqual([line["discount_date"] for line in statement["lines"]], [False])
        statement = self._statement(self.customer, days(10))
        self.assertEqual(
            [(line["discount_date"], line["amount_discounted"]) for line in statement["lines"]],
            [(days(10), 980.0)],
        )

    def _body(self, partner):
        mail = self.env["mail.mail"].search([("res_id", "=", partner.id)], limit=1)
        return mail.body_html

    def test_page_qr_and_payment_use_the_discount(self):
        first = self._discounted(self.customer, 1000.0)
        second = self._discounted(self.customer, 500.0, self.vat)
        plain = self._invoice(self.customer, 200.0, days(30))  # no discount
        with freeze_time(days(5)):
            page = self.url_open(self.base).text
            qr = self._qr(days(5))
        self.assertIn(
            "(980.00\xa0€\n",
            page.replace('<span class="oe_currency_value">', "").replace("</span>", ""),
        )
        self.assertEqual(page.count("o_ar_pay_discount"), 2, "not for the invoice without")
        # nothing overdue: the QR code pays the open invoices, the discounts deducted
        self.assertEqual(qr["payload"].split("\n")[7], "EUR1772.90")  # 980 + 592.90 + 200
        self.assertEqual(qr["discount"], 32.1)
        # the pay page of the two discounted invoices
        with freeze_time(days(5)):
            pay = self.url_open(
                f"{self.base}/pay?invoice_ids={first.id}&invoice_ids={second.id}"
            ).text
        self.assertIn("1,572.90", pay)
        self.assertIn("o_ar_discount", pay)
        self.assertIn("32.10", pay)
        # the transaction asks 1,572.90 whatever the browser says; confirmed, both are paid
        tx = self._pay_online(first + second, days(5))
        self.assertEqual(
            (tx.amount, tx.ar_discount_date, tx.ar_discount_amount), (1572.9, days(5), 32.1)
        )
        self._confirm(tx, days(6))
        self.assertEqual((first + second).mapped("amount_residual"), [0.0, 0.0])
        self.assertTrue(
            all(
                state in ("paid", "in_payment")
                for state in (first + second).mapped("payment_state")
            )
        )
        self.assertEqual(plain.amount_residual, 200.0)
        payment = tx.payment_id
        self.assertEqual(payment.amount, 1572.9)
        loss = self.company.account_journal_early_pay_discount_loss_account_id
        discount = payment.move_id.line_ids.filtered(lambda line: line.account_id == loss)
        tax = payment.move_id.line_ids.filtered("tax_line_id")
        # 20.00 + 10.00 of the bases lost, 2.10 of VAT back
        self.assertEqual(round(sum(discount.mapped("balance")), 2), 30.0)
        self.assertEqual(round(sum(tax.mapped("balance")), 2), 2.1)

    def test_after_the_last_day_the_full_amount(self):
        first = self._discounted(self.customer, 1000.0)
        second = self._discounted(self.customer, 500.0, self.vat)
        with freeze_time(days(11)):
            pay = self.url_open(
                f"{self.base}/pay?invoice_ids={first.id}&invoice_ids={second.id}"
            ).text
        self.assertIn("1,605.00", pay)
        self.assertNotIn("o_ar_discount", pay)
        self.assertEqual(self._qr(days(11))["payload"].split("\n")[7], "EUR1605.00")
        tx = self._pay_online(first + second, days(11))
        self.assertEqual((tx.amount, tx.ar_discount_date), (1605.0, False))
        self._confirm(tx, days(12))
        self.assertEqual((first + second).mapped("amount_residual"), [0.0, 0.0])
        self.assertFalse(tx.payment_id.move_id.line_ids.filtered("tax_line_id"))

    def test_started_before_the_last_day_confirmed_after_it(self):
        """The discount offered when the customer started paying holds when the provider
        confirms the next day."""
        first = self._discounted(self.customer, 1000.0)
        second = self._discounted(self.customer, 500.0, self.vat)
        tx = self._pay_online(first + second, days(10))
        self.assertEqual(tx.amount, 1572.9)
        self._confirm(tx, days(11))
        self.assertEqual((first + second).mapped("amount_residual"), [0.0, 0.0])

    def test_confirmed_two_days_late_no_discount(self):
        """Found by the attack: a payment started while the discounts were valid, confirmed
        whenever the payer chose, kept them. Confirmed later than the day after their last
        day, the payment settles what it pays and the rest stays open."""
        first = self._discounted(self.customer, 1000.0)
        second = self._discounted(self.customer, 500.0, self.vat)
        tx = self._pay_online(first + second, days(10))
        self._confirm(tx, days(12))
        self.assertFalse(tx.payment_id.move_id.line_ids.filtered("tax_line_id"))
        self.assertEqual(round(sum((first + second).mapped("amount_residual")), 2), 32.1)

    def test_a_transaction_the_server_did_not_price_gets_no_discount(self):
        """Found by the attack: Odoo's own pay-overdue route takes the browser's amount; a
        transaction for the discounted total of invoices whose discounts had expired had
        them written off. Only a transaction priced by the statement's route (its discount
        date set by the server) writes discounts off."""
        first = self._discounted(self.customer, 1000.0)
        second = self._discounted(self.customer, 500.0, self.vat)
        with freeze_time(days(40)):
            tx = (
                self.env["payment.transaction"]
                .sudo()
                .create(
                    {
                        "provider_id": self.provider.id,
                        "payment_method_id": self.method.id,
                        "partner_id": self.customer.id,
                        "amount": 1572.9,  # the discounted total, chosen by the browser
                        "currency_id": self.eur.id,
                        "reference": "OVERDUE-1",
                        "operation": "online_direct",
                        "invoice_ids": [Command.set((first + second).ids)],
                    }
                )
            )
        self._confirm(tx, days(40))
        self.assertFalse(tx.payment_id.move_id.line_ids.filtered("tax_line_id"))
        self.assertEqual(round(sum((first + second).mapped("amount_residual")), 2), 32.1)
        # nor one whose discount date the browser could not set but whose amount is not
        # what the server asked
        third = self._discounted(self.customer, 100.0)
        fourth = self._discounted(self.customer, 100.0)
        tx = self._pay_online(third + fourth, days(5))
        tx.sudo().amount = 150.0
        self._confirm(tx, days(5))
        self.assertEqual(round(sum((third + fourth).mapped("amount_residual")), 2), 50.0)

    def test_expired_and_valid_discounts_in_one_payment(self):
        """Found by the attack: one invoice's discount expired, the other's valid; the page
        asked the one discount, the payment must write off that one and settle both."""
        expired = self._discounted(self.customer, 1000.0, invoice_date=days(-20))  # until -10
        valid = self._discounted(self.customer, 500.0, self.vat)
        tx = self._pay_online(expired + valid, days(5))
        self.assertEqual((tx.amount, tx.ar_discount_amount), (1592.9, 12.1))  # 1000 + 592.90
        self._confirm(tx, days(5))
        self.assertEqual((expired + valid).mapped("amount_residual"), [0.0, 0.0])

    def _confirm(self, tx, on):
        """The provider confirms ``tx`` on ``on``; Odoo then creates the payment."""
        with freeze_time(on):
            tx._set_done()
            tx._post_process()

    def _pay_online(self, invoices, on):
        params = {
            "provider_id": self.provider.id,
            "payment_method_id": self.method.id,
            "token_id": None,
            "amount": 1.0,  # the browser's amount: ignored
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/statement/paid",
            "is_validation": False,
        }
        with freeze_time(on):
            response = self.url_open(
                f"{self.base}/transaction/{','.join(map(str, invoices.ids))}",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
                headers={"Content-Type": "application/json"},
            )
        self.assertNotIn("error", response.json(), response.text)
        return self.env["payment.transaction"].search(
            [("invoice_ids", "in", invoices.ids)], order="id desc", limit=1
        )
