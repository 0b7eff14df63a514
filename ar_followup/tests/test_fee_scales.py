"""Collection costs and statutory interest: the scales, rules and waiting periods of ar.fee
(issue #16).

Every expected amount is computed by hand in the comment next to it, from:
- WIK: Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2: 15% of the first
  2,500, 10% of the next 2,500, 5% of the next 5,000, 1% of the next 190,000, 0.5% above;
  at least 40, at most 6,775.
- Belgian consumers: Book XIX CEL, art. XIX.4: up to 150: 20; 150.01-500: 30 + 10% of the part
  above 150; above 500: 65 + 5% of the part above 500; at most 2,000.
- EU flat: Directive 2011/7/EU, art. 6: 40 per invoice (CJEU C-585/20).
- The rates shipped in data/ar_fee_data.xml, each with its publication (see test_rates.py).
"""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.ar_followup.models.ar_fee import LEGAL_RULES, MissingInterestRate

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFeeScales(ArFollowupCase):
    def test_wik_scale(self):
        Fee = self.env["ar.fee"]
        expected = {
            100.0: 40.0,  # 15% = 15.00, the minimum 40
            266.67: 40.0,  # 15% = 40.0005: rounds to 40.00
            1000.0: 150.0,  # 15% of 1,000
            2500.0: 375.0,
            2500.01: 375.0,
            2510.0: 376.0,
            5000.0: 625.0,
            5010.0: 625.5,
            10000.0: 875.0,
            10100.0: 876.0,
            # 375 + 250 + 250 + 1% of 2,345.67 (23.4567) = 898.4567
            12345.67: 898.46,
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
            150.01: 30.0,  # 30 + 10% of 0.01
            250.0: 40.0,  # 30 + 10% of 100
            500.0: 65.0,  # 30 + 10% of 350
            500.01: 65.0,
            1234.56: 101.73,  # 65 + 5% of 734.56 (36.728)
            1500.0: 115.0,
            39200.0: 2000.0,  # 65 + 5% of 38,700 = 2,000: the cap exactly
            100000.0: 2000.0,
        }
        for balance, fee in expected.items():
            self.assertEqual(Fee.be_consumer(balance), fee, balance)

    def test_claim_costs_by_rule(self):
        Fee = self.env["ar.fee"]
        company = self.company
        nl_consumer, nl_business = LEGAL_RULES["nl", True], LEGAL_RULES["nl", False]
        be_business = LEGAL_RULES["be", False]
        d = days(0)
        # three invoices of 100 in one claim: WIK on 300 = 45.00, once
        self.assertEqual(Fee._claim_costs(nl_consumer, company, [100.0] * 3, d)[0], 45.0)
        # a business, WIK by default: 150 on 1,000
        self.assertEqual(company.ar_costs_b2b, "wik")
        self.assertEqual(Fee._claim_costs(nl_business, company, [1000.0], d)[0], 150.0)
        # at least 40 per invoice: three of 50, WIK(150) = 40 < 3 x 40 = 120
        self.assertEqual(Fee._claim_costs(nl_business, company, [50.0] * 3, d)[0], 120.0)
        # a consumer gets no such minimum per invoice: WIK(150) = 40
        self.assertEqual(Fee._claim_costs(nl_consumer, company, [50.0] * 3, d)[0], 40.0)
        # the company cannot deduct VAT: 150 + 21% = 181.50
        company.ar_costs_add_vat = True
        amount, steps = Fee._claim_costs(nl_business, company, [1000.0], d)
        self.assertEqual(amount, 181.5)
        self.assertEqual([step[1] for step in steps], [150.0, 31.5])
        company.ar_costs_add_vat = False
        company.ar_costs_b2b = "minimum"
        self.assertEqual(Fee._claim_costs(nl_business, company, [1000.0, 5.0], d)[0], 80.0)
        self.assertEqual(Fee._claim_costs(nl_consumer, company, [1000.0], d)[0], 150.0)
        self.assertEqual(Fee._claim_costs(be_business, company, [1000.0], d)[0], 40.0)
        company.ar_costs_b2b = "none"
        self.assertEqual(Fee._claim_costs(nl_business, company, [1000.0], d)[0], 0.0)
        with self.assertRaises(ValidationError):
            company.ar_costs_b2b = "fixed"  # without an amount

    def test_waiting_periods(self):
        Fee = self.env["ar.fee"]
        monday = date(2026, 3, 2)
        # NL e-mail: received the day it is sent; 14 days from the day after: 3 to 16 March,
        # costs from the 15th day (17 March)
        self.assertEqual(Fee._wait_end("nl_fourteen_day", "email", monday), date(2026, 3, 16))
        # NL post: received two days after posting (4 March); 5 to 18 March, costs on day 17
        self.assertEqual(Fee._wait_end("nl_fourteen_day", "letter", monday), date(2026, 3, 18))
        # BE e-mail: from the day after: 3 to 16 March
        self.assertEqual(Fee._wait_end("be_first_reminder", "email", monday), date(2026, 3, 16))
        # BE post: from the third working day after sending: Tue 3, Wed 4, Thu 5 March;
        # 5 to 18 March
        self.assertEqual(Fee._wait_end("be_first_reminder", "letter", monday), date(2026, 3, 18))
        # posted on Friday 6 March: Mon 9, Tue 10, Wed 11: 11 to 24 March
        friday = date(2026, 3, 6)
        self.assertEqual(Fee._wait_end("be_first_reminder", "letter", friday), date(2026, 3, 24))
        # posted on Thursday 2 April 2026: Fri 3, (Easter Monday 6 April), Tue 7, Wed 8:
        # 8 to 21 April
        self.assertEqual(
            Fee._wait_end("be_first_reminder", "letter", date(2026, 4, 2)), date(2026, 4, 21)
        )

    def test_interest_across_a_rate_change(self):
        # 10,000 due 2024-11-30: December at 12.25%, January at 11.15% (shipped NL commercial
        # rates: ECB 4.25% + 8 for 2024-H2, ECB 3.15% + 8 for 2025-H1)
        # 10000 * 12.25% * 31/365 + 10000 * 11.15% * 31/365 = 104.0411 + 94.6986 = 198.74
        amount = self.env["ar.fee"].interest(
            10000.0, date(2024, 11, 30), date(2025, 1, 31), "nl_commercial", compound=True
        )
        self.assertEqual(amount, 198.74)

    def test_interest_compounds_yearly(self):
        Rate = self.env["ar.interest.rate"]
        Rate.search([("kind", "=", "be_legal")]).unlink()
        for day in ("2024-01-01", "2025-01-01"):
            Rate.create({"kind": "be_legal", "date_from": day, "rate": 6.0})
        # 1,000 from 2024-01-01 (leap year, 366 days) to 2025-06-30 at 6% (test rates):
        # year 1: 1000 * 6% * 366/365 = 60.1644; then 1060.1644 * 6% * 181/365 = 31.5435
        amount = self.env["ar.fee"].interest(
            1000.0, date(2023, 12, 31), date(2025, 6, 30), "be_legal", compound=True
        )
        self.assertEqual(amount, 91.71)
        simple = self.env["ar.fee"].interest(
            1000.0, date(2023, 12, 31), date(2025, 6, 30), "be_legal", compound=False
        )
        self.assertEqual(simple, 89.92)  # 1000 * 6% * 547/365

    def test_missing_rate_stops_the_charge(self):
        # no ECB rate of 2026-07-01 is shipped (not verified): nothing is assumed after
        # 2026-06-30
        with self.assertRaises(MissingInterestRate) as caught:
            self.env["ar.fee"].interest(
                1000.0, date(2026, 5, 31), date(2026, 8, 31), "nl_commercial"
            )
        self.assertEqual(caught.exception.day, date(2026, 7, 1))
