"""Pay from the statement (issue #18): all overdue invoices, or those ticked, in one online
payment through Odoo's payment form; one transaction for exactly the invoices the page
offered, for their open amount, whatever the browser sends."""

import json

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestStatementPayment(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.method = cls.env.ref("payment.payment_method_unknown")
        cls.provider = cls.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": cls.company.id,
                "payment_method_ids": [Command.set(cls.method.ids)],
                "available_currency_ids": [Command.set(cls.company.currency_id.ids)],
            }
        )
        cls.method.active = True  # as Odoo's payment tests do (PaymentCommon)
        cls.first = cls._invoice(cls.customer, 100.0, days(-20))
        cls.second = cls._invoice(cls.customer, 250.5, days(-10))
        cls.not_due = cls._invoice(cls.customer, 40.0, days(10))
        cls.other = cls._customer("Other Payer")
        cls.foreign = cls._invoice(cls.other, 999.0, days(-10))
        links = cls.env["ar.statement.link"]._ar_links(cls.customer, cls.company, days(0))
        cls.base = f"/statement/{links[cls.customer.id].token}"

    def _page(self, path):
        with freeze_time(days(1)):
            return self.url_open(path)

    def _transaction(self, ids, **values):
        """The JSON request of Odoo's payment form to the page's transaction route."""
        params = {
            "provider_id": self.provider.id,
            "payment_method_id": self.method.id,
            "token_id": None,
            "amount": 350.5,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": f"{self.base}?paid=1",
            "is_validation": False,
            "payment_reference": "BATCH",
            **values,
        }
        with freeze_time(days(1)):
            response = self.url_open(
                f"{self.base}/transaction/{','.join(map(str, ids))}",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
                headers={"Content-Type": "application/json"},
            )
        return response

    def _transactions(self):
        return self.env["payment.transaction"].search([("partner_id", "=", self.customer.id)])

    def test_the_statement_offers_to_pay_all_overdue(self):
        page = self._page(self.base)
        self.assertEqual(page.status_code, 200)
        # 100.00 + 250.50 overdue (the invoice not yet due is not in it)
        self.assertIn("Pay all overdue", page.text)
        self.assertIn("350.50", page.text)
        self.assertIn(f'href="{self.base}/pay?currency_id={self.first.currency_id.id}"', page.text)
        # each open invoice can be ticked, none of another customer
        for move in (self.first, self.second, self.not_due):
            self.assertIn(f'value="{move.id}"', page.text)
        self.assertNotIn(f'value="{self.foreign.id}"', page.text)

    def test_the_payment_form_is_for_exactly_the_overdue_invoices(self):
        page = self._page(f"{self.base}/pay?currency_id={self.first.currency_id.id}")
        self.assertEqual(page.status_code, 200)
        # Odoo's payment form, with the company's provider, for 100.00 + 250.50
        self.assertIn(f'data-provider-id="{self.provider.id}"', page.text)
        self.assertIn('data-amount="350.5"', page.text)
        route = f"{self.base}/transaction/{self.first.id},{self.second.id}"
        self.assertIn(f'data-transaction-route="{route}"', page.text)
        self.assertNotIn(self.foreign.name, page.text)

    def test_one_transaction_for_the_invoices_at_their_open_amount(self):
        # the browser says 1.00: the transaction is for the open amount of the invoices
        response = self._transaction([self.first.id, self.second.id], amount=1.0)
        self.assertNotIn("error", response.json())
        tx = self._transactions()
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.invoice_ids, self.first | self.second)
        self.assertEqual(tx.amount, 350.5)
        self.assertEqual(tx.currency_id, self.first.currency_id)
        self.assertEqual(tx.partner_id, self.customer)

    def test_chosen_invoices_are_the_customer_s_own_and_payable(self):
        page = self._page(f"{self.base}/pay?invoice_ids={self.not_due.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("40.00", page.text)
        disputed = self._invoice(self.customer, 70.0, days(-5))
        self.env["ar.dispute"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(disputed.ids)],
                "reason": "quality",
            }
        )
        for ids in (
            f"{self.first.id},{self.foreign.id}",  # another customer's invoice
            str(self.foreign.id),
            str(disputed.id),  # in dispute: not paid blindly from here
            "abc",
            "99999999",
            "99999999999999999999",  # beyond PostgreSQL's integer: a 500 (a new user's trial)
            "-5",
        ):
            page = self._page(f"{self.base}/pay?invoice_ids={ids}")
            self.assertEqual(page.status_code, 404, ids)
            self.assertNotIn(self.foreign.name, page.text)
            self.assertNotIn("999.00", page.text)
        # a currency id beyond PostgreSQL's integer is no currency: the page, not a 500
        page = self._page(f"{self.base}/pay?currency_id=99999999999999999999")
        self.assertEqual(page.status_code, 200)
        response = self._transaction([self.first.id, self.foreign.id])
        self.assertIn("error", response.json())
        self.assertFalse(self._transactions())
        self.assertFalse(
            self.env["payment.transaction"].search([("invoice_ids", "in", self.foreign.ids)])
        )

    def test_a_revoked_link_pays_nothing(self):
        self.env["ar.statement.link"].search([("partner_id", "=", self.customer.id)]).sudo().write(
            {"active": False}
        )
        self.assertEqual(self._page(f"{self.base}/pay").status_code, 404)
        response = self._transaction([self.first.id])
        self.assertIn("error", response.json())
        self.assertFalse(self._transactions())

    def test_the_transaction_is_the_server_s_whatever_the_browser_sends(self):
        """Found by the attack: the browser chose the provider, the payment method, the
        reference, the landing page (which kept the token, readable by internal users on the
        transaction), a validation or a saved card."""
        disabled = self.provider.copy({"name": "Disabled", "state": "disabled"})
        inactive = self.env.ref("payment.payment_method_paypal", raise_if_not_found=False)
        for values in (
            {"provider_id": disabled.id},
            {"provider_id": "x"},
            {"payment_method_id": (inactive or self.method).id + 100000},
            {"flow": "token"},
            {"flow": "nonsense"},
        ):
            response = self._transaction([self.first.id], **values)
            self.assertIn("error", response.json(), values)
            self.assertNotIn("psycopg2", response.text, values)
        self.assertFalse(self._transactions())
        response = self._transaction(
            [self.first.id],
            landing_route="https://evil.example/phish",
            payment_reference="INV/OTHER\x00",
            is_validation=True,
            tokenization_requested=True,
        )
        self.assertNotIn("error", response.json())
        tx = self._transactions()
        self.assertEqual(tx.landing_route, "/statement/paid", "no token, not the browser's")
        self.assertEqual(tx.reference, self.first.name)
        self.assertEqual((tx.operation, tx.amount, tx.tokenize), ("online_direct", 100.0, False))
        self.assertEqual(response.json()["result"].get("should_tokenize", False), False)
        # where the customer lands, without its token: what became of the payment (found by
        # a new user: a failed payment was thanked for), and the way back to the statement
        self._page(f"{self.base}/pay")  # the pay page remembers the statement, in the session
        page = self._page("/statement/paid")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_ar_statement_not_paid", page.text)  # not finished: nothing paid
        self.assertIn(f'href="{self.base}"', page.text)
        tx._set_error("Card declined")
        page = self._page("/statement/paid")
        self.assertIn("Your payment did not go through: Card declined", page.text)
        self.assertNotIn("Thank you", page.text)
        tx.sudo().state = "done"  # the provider confirms it (its flow writes the state)
        page = self._page("/statement/paid")
        self.assertIn("Thank you: your payment of", page.text)
        self.assertIn(tx.reference, page.text)
        self.assertIn("100.00", page.text)

    def test_link_pages_are_never_cached_nor_referred(self):
        for path in (self.base, f"{self.base}/pdf", f"{self.base}/pay"):
            response = self._page(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertEqual(response.headers.get("Cache-Control"), "no-store", path)
            self.assertEqual(response.headers.get("Referrer-Policy"), "no-referrer", path)
        for path in (f"{self.base}%00", f"{self.base}%00/pdf", f"{self.base}%00/pay"):
            self.assertEqual(self._page(path).status_code, 404, path)

    def test_unknown_query_keys_change_nothing(self):
        """Found by the attack: ``?partner=1`` or ``?base=x`` on the statement page gave a
        500 (the query string was passed on as arguments)."""
        for query in ("partner=1", "base=x", "token=x", "plan_requested=", "invoices_data=1"):
            for path in (self.base, f"{self.base}/pay"):
                page = self._page(f"{path}?{query}")
                self.assertEqual(page.status_code, 200, f"{path}?{query}")

    def test_nothing_to_pay_is_a_private_404(self):
        """Found by the attack: the 404 of a pay page of invoices paid since (a tab left
        open) was Odoo's, cached and with the link's token in its language links."""
        self._pay(self.first, 100.0)
        page = self._page(f"{self.base}/pay?invoice_ids={self.first.id}")
        self.assertEqual(page.status_code, 404)
        self.assertIn("o_ar_nothing_to_pay", page.text)
        self.assertEqual(page.headers["Cache-Control"], "no-store")
        self.assertEqual(page.headers["Referrer-Policy"], "no-referrer")
        self.assertIn(f'href="{self.base}"', page.text)

    def test_pay_the_chosen_with_none_ticked_pays_nothing(self):
        """Found by a new user: "Pay the invoices chosen" with nothing ticked paid all
        overdue. It asks to tick one; the pay page lists the invoices it pays."""
        with freeze_time(days(1)):
            page = self.url_open(f"{self.base}/pay?choose=1", allow_redirects=False)
        self.assertEqual(page.status_code, 303)
        self.assertIn("choose=1", page.headers["Location"])
        page = self._page(f"{self.base}?choose=1")
        self.assertIn("Tick at least one invoice to pay.", page.text)
        page = self._page(f"{self.base}/pay?choose=1&invoice_ids={self.second.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_ar_pay_invoices", page.text)
        self.assertIn(self.second.name, page.text)
        self.assertNotIn(self.first.name, page.text.split("o_ar_pay_invoices", 1)[1][:2000])

    def test_the_link_opens_in_the_customers_language(self):
        """Found by a new user: a Dutch customer's link opened the page in English (a
        customer without a login has no language cookie)."""
        self.env["res.lang"]._activate_lang("nl_NL")
        dutch = self._customer("Klant Drie", lang="nl_NL")
        self._invoice(dutch, 50.0, days(-5))
        Link = self.env["ar.statement.link"]
        url = Link._ar_links(dutch, self.company, days(0))[dutch.id]._ar_url()
        self.assertIn("/nl/statement/", url)
        page = self._page("/" + url.split("://", 1)[1].split("/", 1)[1])
        self.assertIn("Rekeningoverzicht", page.text)
        self.assertNotIn("Statement of account", page.text)
        # the default language needs no prefix
        english = Link._ar_links(self.customer, self.company, days(0))[self.customer.id]._ar_url()
        self.assertIn(f"/statement/{self.base.rsplit('/', 1)[1]}", english)
        self.assertNotIn("/en/", english)
