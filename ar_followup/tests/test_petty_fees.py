# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Petty claims (#33, point 1): a new user found a consumer with separate fee invoices of
0.25 and 0.68 EUR of interest, each climbing its own ladder up to the 14-day letter. Costs and
interest below the company's smallest fee invoice (5.00 by default) accrue and go with the next
fee invoice, or at the hand-off; a fee invoice below it never climbs the ladder by itself.

Figures: the Dutch commercial rate of 2025-H1 is 11.15% (ECB 3.15% + 8 points, shipped in the
rates data); simple interest per day on 365 days, rounded to the cent at the end:
- 100.00 for 8 days: 100 x 11.15% x 8 / 365 = 0.2444 -> 0.24
- 100.00 for 15 days: 100 x 11.15% x 15 / 365 = 0.4582 -> 0.46
- 10,000.00 for 8 days: 10000 x 11.15% x 8 / 365 = 24.4384 -> 24.44
"""

from datetime import date, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestPettyFees(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for delay in (7, 14):
            cls.levels[delay].charge_interest = True

    def _fee_invoices(self, partner):
        return self.env["account.move"].search(
            [("partner_id", "=", partner.id), ("ar_is_fee_invoice", "=", True)], order="id"
        )

    def test_petty_interest_accrues_and_goes_with_the_next_fee_invoice(self):
        self.assertEqual(self.company.ar_fee_min_amount, 5.0)
        small = self._invoice(self.customer, 100.0, date(2025, 1, 31))
        self._run(date(2025, 2, 8))
        self.assertFalse(self._fee_invoices(self.customer), "0.24 is not invoiced on its own")
        self.assertFalse(self._history(self.customer, "fee"))
        self.assertEqual(self._account(self.customer).fees_accrued, 0.24)
        self.assertEqual(small.ar_followup_level_id, self.levels[7], "the ladder goes on")

        big = self._invoice(self.customer, 10000.0, date(2025, 2, 7))
        self._run(date(2025, 2, 15))
        fee = self._fee_invoices(self.customer)
        self.assertEqual(len(fee), 1, "one fee invoice with what accrued")
        self.assertEqual(fee.amount_total, 24.90)  # 0.46 on the small one (15 days) + 24.44
        lines = self._history(self.customer, "fee")
        self.assertEqual(
            sorted((line.move_ids, line.interest_amount) for line in lines),
            sorted([(small, 0.46), (big, 24.44)]),
        )
        self.assertEqual(self._account(self.customer).fees_accrued, 0.0)
        # the next claim: no fee invoice below 5.00; the small invoice (at the call, which
        # charges no interest) is not charged again: 0.46 in all
        self.levels[30].charge_interest = True
        self._run(date(2025, 3, 2))
        for fee in self._fee_invoices(self.customer):
            self.assertGreaterEqual(fee.amount_total, 5.0)
        on_small = self._history(self.customer, "fee").filtered(lambda h: h.move_ids == small)
        self.assertEqual(round(sum(on_small.mapped("interest_amount")), 2), 0.46)

    def test_a_petty_fee_invoice_never_climbs_alone(self):
        # a fee invoice of 0.24 made while the threshold was lower
        self.company.ar_fee_min_amount = 0.0
        invoice = self._invoice(self.customer, 100.0, date(2025, 1, 31))
        self._run(date(2025, 2, 8))
        fee = self._fee_invoices(self.customer)
        self.assertEqual(fee.amount_total, 0.24)
        self._pay(invoice, 100.0, on=date(2025, 2, 9))
        self.company.ar_fee_min_amount = 5.0
        mails_before = len(self._mails(self.customer))
        day = date(2025, 2, 10)
        while day < date(2025, 4, 30):
            self._run(day)
            day += timedelta(days=3)
        self.assertFalse(fee.ar_followup_level_id, "0.24 reached no level by itself")
        self.assertEqual(len(self._mails(self.customer)), mails_before)
        self.assertFalse(self._history(self.customer, "letter"))
        # with the threshold under it, it climbs like any invoice
        self.company.ar_fee_min_amount = 0.10
        self._run(date(2025, 5, 2))
        self.assertTrue(fee.ar_followup_level_id)

    def test_a_fee_invoice_goes_with_an_ordinary_invoice(self):
        self.company.ar_fee_min_amount = 0.0
        first = self._invoice(self.customer, 100.0, date(2025, 1, 31))
        self._run(date(2025, 2, 8))
        fee = self._fee_invoices(self.customer)
        self._pay(first, 100.0, on=date(2025, 2, 9))
        self.company.ar_fee_min_amount = 5.0
        self._invoice(self.customer, 800.0, date(2025, 2, 20))
        self._run(date(2025, 2, 28))
        # the ordinary invoice reaches its first level: the fee invoice is named with it
        self.assertTrue(fee.ar_followup_level_id)
        self.assertIn(fee.name, self._mails(self.customer)[-1].body_html)

    def test_at_the_hand_off_what_accrued_is_invoiced(self):
        handoff = self.levels[45]
        handoff.handoff = True
        handoff.charge_interest = True
        self._invoice(self.customer, 100.0, date(2025, 1, 31))
        for day in (date(2025, 2, 8), date(2025, 2, 15), date(2025, 2, 22), date(2025, 3, 3)):
            self._run(day)
        self.assertFalse(self._fee_invoices(self.customer))
        self._run(date(2025, 3, 18))  # 46 days: 100 x 11.15% x 46 / 365 = 1.405 -> 1.41
        level = (
            self.env["account.move"]
            .search([("partner_id", "=", self.customer.id), ("ar_is_fee_invoice", "=", False)])
            .ar_followup_level_id
        )
        self.assertEqual(level, handoff)
        fee = self._fee_invoices(self.customer)
        self.assertEqual(fee.amount_total, 1.41)

    def test_the_threshold_is_an_amount_of_sense(self):
        for wrong in (-1.0, 1e9):
            with self.subTest(wrong=wrong), self.assertRaises(ValidationError):
                self.company.ar_fee_min_amount = wrong
        self.company.ar_fee_min_amount = 0.0
