from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.ar_followup.models.ar_fee import MissingInterestRate

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFeeScales(ArFollowupCase):
    def test_wik_scale(self):
        Fee = self.env["ar.fee"]
        expected = {
            100.0: 40.0,
            266.67: 40.0,
            1000.0: 150.0,
            2500.0: 375.0,
            2500.01: 375.0,
            2510.0: 376.0,
            5000.0: 625.0,
            5010.0: 625.5,
            10000.0: 875.0,
            10100.0: 876.0,
            200000.0: 2775.0,
            200200.0: 2776.0,
            1000000.0: 6775.0,
            1500000.0: 6775.0,
        }
        for principal, fee in expected.items():
            self.assertEqual(Fee.nl_wik(principal), fee, principal)

    def test_be_consumer_caps(self):
        Fee = self.env["ar.fee"]
        expected = {
            50.0: 20.0,
            150.0: 20.0,
            150.01: 30.0,
            250.0: 40.0,
            500.0: 65.0,
            500.01: 65.0,
            1500.0: 115.0,
            39200.0: 2000.0,
            100000.0: 2000.0,
        }
        for balance, fee in expected.items():
            self.assertEqual(Fee.be_consumer(balance), fee, balance)

    def test_interest_across_a_rate_change(self):
        # 10,000 due 2024-11-30: December at 12.25%, January at 11.15% (shipped rates)
        # 10000 * 12.25% * 31/365 + 10000 * 11.15% * 31/365 = 104.0411 + 94.6986 = 198.74
        amount = self.env["ar.fee"].interest(
            10000.0, date(2024, 11, 30), date(2025, 1, 31), "nl_commercial", compound=True
        )
        self.assertEqual(amount, 198.74)

    def test_interest_compounds_yearly(self):
        Rate = self.env["ar.interest.rate"]
        for day in ("2024-01-01", "2024-07-01"):
            Rate.create({"kind": "nl_consumer", "date_from": day, "rate": 6.0})
        # 1,000 from 2024-01-01 (leap year, 366 days) to 2025-06-30 at 6%:
        # year 1: 1000 * 6% * 366/365 = 60.1644; then 1060.1644 * 6% * 181/365 = 31.5435
        amount = self.env["ar.fee"].interest(
            1000.0, date(2023, 12, 31), date(2025, 6, 30), "nl_consumer", compound=True
        )
        self.assertEqual(amount, 91.71)
        simple = self.env["ar.fee"].interest(
            1000.0, date(2023, 12, 31), date(2025, 6, 30), "nl_consumer", compound=False
        )
        self.assertEqual(simple, 89.92)  # 1000 * 6% * 547/365

    def test_missing_rate_stops_the_charge(self):
        with self.assertRaises(MissingInterestRate):
            self.env["ar.fee"].interest(
                1000.0, date(2024, 5, 31), date(2024, 8, 31), "nl_commercial"
            )
        # a rate is not assumed beyond its half-year
        with self.assertRaises(MissingInterestRate):
            self.env["ar.fee"].interest(
                1000.0, date(2025, 5, 31), date(2025, 8, 31), "nl_commercial"
            )


@tagged("post_install", "-at_install")
class TestFeesCharged(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        cls.consumer = cls._customer("Jan Jansen", is_company=False)

    def _fee_lines(self, partner):
        return self._history(partner, "fee")

    def test_consumer_wik_only_after_the_fourteen_day_letter(self):
        self.levels[14].is_fourteen_day_letter = True
        self.levels[21].fee_policy = "nl_wik"
        self.levels[30].fee_policy = "nl_wik"
        invoice = self._invoice(self.consumer, 1000.0, days(-7), currency=self.eur)
        self._run(days(0))  # +7
        self._run(days(7))  # +14: the 14-day letter
        self._run(days(14))  # +21: only 7 days after the letter
        self.assertFalse(self._fee_lines(self.consumer))
        skip = self._history(self.consumer, "skip")
        self.assertIn("14-day letter", skip.note)
        self._run(days(23))  # +30: 16 days after the letter
        fee = self._fee_lines(self.consumer)
        self.assertEqual(len(fee), 1)
        self.assertEqual(fee.fee_amount, 150.0)  # WIK on EUR 1,000
        self.assertEqual(fee.fee_currency_id, self.eur)
        self.assertEqual(fee.fee_move_id.amount_total, 150.0)
        self.assertEqual(fee.fee_move_id.currency_id, self.eur)
        self.assertTrue(fee.fee_move_id.ar_is_fee_invoice)
        self.assertEqual(fee.fee_move_id.state, "posted")
        self.assertEqual(fee.move_ids, invoice)
        # the final notice lists the fee invoice
        body = self._mails(self.consumer)[-1].body_html
        self.assertIn(fee.fee_move_id.name, body)
        self.assertIn("(collection costs and interest)", body)

    def test_business_flat_fee_or_wik_by_terms(self):
        self.levels[7].fee_policy = "nl_wik"
        invoice = self._invoice(self.customer, 1000.0, days(-8))  # USD: EUR 2,000
        self._run(days(0))
        self.assertEqual(self._fee_lines(self.customer).fee_amount, 20.0)  # EUR 40 in USD
        self.company.ar_wik_b2b = True
        other = self._customer("Terms Apply")
        self._invoice(other, 1000.0, days(-8))
        self._run(days(1))
        self.assertEqual(self._fee_lines(other).fee_amount, 150.0)  # WIK(EUR 2,000) = 300 EUR
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])

    def test_fee_invoice_on_the_reminder_of_a_batched_run(self):
        """A run of several batches reads the open items of all customers once: the fee
        invoices it creates on the way are still listed on their customers' reminders."""
        self.levels[7].fee_policy = "eu_b2b"
        customers = [self._customer(f"Batched {i}") for i in range(3)]
        for customer in customers:
            self._invoice(customer, 100.0, days(-8), currency=self.eur)
        run = self.Run.with_company(self.company).with_context(ar_followup_batch_size=1)
        run.process(days(0))
        for customer in customers:
            fee = self._fee_lines(customer)
            self.assertEqual(fee.fee_amount, 40.0, customer.name)
            body = self._mails(customer).body_html
            self.assertIn(fee.fee_move_id.name, body)
            self.assertIn("(collection costs and interest)", body)
            self.assertIn("140.00", body, "total open of the invoice and the fee")

    def test_never_charged_twice_for_an_invoice_and_level(self):
        self.levels[7].fee_policy = "eu_b2b"
        invoice = self._invoice(self.customer, 100.0, days(-8), currency=self.eur)
        self._run(days(0))
        self.assertEqual(self._fee_lines(self.customer).fee_amount, 40.0)
        # the invoice reaches the same level again (e.g. its level was reset)
        self._set_followup_state(invoice, None, None)
        self._run(days(1))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertEqual(len(self._fee_lines(self.customer)), 1)

    def test_be_consumer_first_reminder_free(self):
        self.company.ar_interest_regime = "be"
        self.levels[7].fee_policy = "be_consumer"
        self.levels[14].fee_policy = "be_consumer"
        self.levels[21].fee_policy = "be_consumer"
        self._invoice(self.consumer, 300.0, days(-8), currency=self.eur)
        self._run(days(0))  # first reminder: free
        self._run(days(7))  # 7 days after the first reminder: not yet
        self.assertFalse(self._fee_lines(self.consumer))
        self._run(days(14))  # 14 days after it
        self.assertEqual(self._fee_lines(self.consumer).fee_amount, 45.0)  # 30 + 10% of 150

    def test_statutory_interest_charged_and_not_twice(self):
        self.levels[7].charge_interest = True
        self.levels[14].charge_interest = True
        # due 2025-01-31, at 11.15% (shipped NL commercial rate for 2025-H1)
        invoice = self._invoice(self.customer, 10000.0, date(2025, 1, 31))
        self._run(date(2025, 2, 8))  # 8 days: 10000 * 11.15% * 8/365 = 24.44
        first = self._fee_lines(self.customer)
        self.assertEqual(first.interest_amount, 24.44)
        self._run(date(2025, 2, 15))  # 15 days: 45.82 accrued, 24.44 charged: 21.38
        second = self._fee_lines(self.customer) - first
        self.assertEqual(second.interest_amount, 21.38)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])

    def test_missing_rate_is_reported(self):
        self.levels[7].charge_interest = True
        self._invoice(self.customer, 1000.0, date(2026, 1, 31))
        run = self._run(date(2026, 2, 8))
        self.assertFalse(self._fee_lines(self.customer))
        skip = self._history(self.customer, "skip")
        self.assertIn("No statutory interest charged", skip.note)
        self.assertIn("Statutory Interest Rates", run.log)

    def test_fourteen_day_letter_states_the_amount(self):
        self._invoice(self.consumer, 1000.0, days(-20), currency=self.eur)
        template = self.env.ref("ar_followup.mail_template_fourteen_day_letter")
        body = template.with_context(ar_followup_date=days(0))._render_field(
            "body_html", self.consumer.ids
        )[self.consumer.id]
        self.assertIn("75.00", body)  # WIK(EUR 1,000) = EUR 150 = USD 75.00
        self.consumer.lang = "nl_NL"
        body = template.with_context(ar_followup_date=days(0))._render_field(
            "body_html", self.consumer.ids, compute_lang=True
        )[self.consumer.id]
        self.assertIn("Wij stellen u in de gelegenheid", body)
        self.assertIn("75,00", body)

    def test_only_the_manager_edits_rates_and_fee_policies(self):
        billing = new_test_user(
            self.env,
            login="fee_billing",
            groups="account.group_account_invoice,base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        rate = self.env.ref("ar_followup.rate_nl_commercial_2025_01")
        self.assertEqual(rate.with_user(billing).rate, 11.15)
        with self.assertRaises(AccessError):
            rate.with_user(billing).write({"rate": 1.0})
        with self.assertRaises(AccessError):
            self.levels[7].with_user(billing).write({"fee_policy": "nl_wik"})
        rate.with_user(self.credit_manager).write({"rate": 11.15})
        self.levels[7].with_user(self.credit_manager).write({"fee_policy": "nl_wik"})
        self.assertEqual(self.levels[7].fee_policy, "nl_wik")
