from datetime import date

from odoo.api import call_kw
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.ar_followup.models.ar_fee import MissingInterestRate
from odoo.addons.ar_followup.models.ar_interest_rate import _be_commercial, _nl_commercial

from .common import ArFollowupCase

H = {  # the first days of the half-years shipped
    "2024_01": date(2024, 1, 1),
    "2024_07": date(2024, 7, 1),
    "2025_01": date(2025, 1, 1),
    "2025_07": date(2025, 7, 1),
    "2026_01": date(2026, 1, 1),
    "2026_07": date(2026, 7, 1),
}
HALF_YEARS = list(H.values())

# Every figure shipped, by kind: (date_from, date_to exclusive, rate) from 2024-01-01.
SHIPPED = {
    # ECB main refinancing rate in force on the half-year's first day (ECB press releases)
    "ecb_refi": [4.50, 4.25, 3.15, 2.15, 2.15],
    # derived: ECB + 8 (art. 6:120 lid 2 BW)
    "nl_commercial": [12.50, 12.25, 11.15, 10.15, 10.15],
    # derived: ECB rounded up to the half point + 8 (Belgian act of 2 August 2002, art. 5)
    "be_commercial": [12.50, 12.50, 11.50, 10.50, 10.50],
    # Besluit vaststelling wettelijke rente
    "nl_consumer": [7.00, 7.00, 6.00, 4.00, 4.00],
}
BE_LEGAL = [  # FOD Financiën, Belgisch Staatsblad, per calendar year
    (date(2024, 1, 1), date(2025, 1, 1), 5.75),
    (date(2025, 1, 1), date(2026, 1, 1), 4.50),
    (date(2026, 1, 1), date(2027, 1, 1), 4.50),
]


@tagged("post_install", "-at_install")
class TestInterestRates(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["ar.interest.rate"]
        cls.Fee = cls.env["ar.fee"]
        cls.billing = cls._user("rate_billing", "billing")
        cls.manager = cls.company._ar_credit_manager()
        cls.activity_type = cls.env.ref("ar_followup.mail_activity_type_interest_rate")

    def _row(self, kind, day):
        return self.Rate.search([("kind", "=", kind), ("date_from", "=", day)])

    def _enter_ecb(self, day, rate):
        return self.Rate.create(
            {"kind": "ecb_refi", "date_from": day, "rate": rate, "source": "test input"}
        )

    def _rate_activities(self, rows=None):
        domain = [("activity_type_id", "=", self.activity_type.id)]
        if rows is not None:
            domain += [("res_model", "=", "ar.interest.rate"), ("res_id", "in", rows.ids)]
        return self.env["mail.activity"].search(domain)

    # ------------------------------------------------------------------
    # Derivation and the shipped figures
    # ------------------------------------------------------------------

    def test_derivation_by_statute(self):
        expected = {2.15: (10.15, 10.50), 3.15: (11.15, 11.50), 4.25: (12.25, 12.50)}
        expected.update({4.50: (12.50, 12.50), 2.00: (10.00, 10.00), 0.0: (8.0, 8.0)})
        expected.update({-0.40: (7.60, 8.0), 2.50: (10.50, 10.50), 2.51: (10.51, 11.00)})
        for ecb, (nl, be) in expected.items():
            self.assertAlmostEqual(_nl_commercial(ecb), nl, places=6, msg=ecb)
            self.assertAlmostEqual(_be_commercial(ecb), be, places=6, msg=ecb)

    def test_one_ecb_figure_derives_both_commercial_rates(self):
        ecb = self._enter_ecb(date(2027, 1, 1), 2.00)  # a test input, not a published figure
        nl = self._row("nl_commercial", date(2027, 1, 1))
        be = self._row("be_commercial", date(2027, 1, 1))
        self.assertEqual(ecb.derived_rate_ids, nl | be)
        self.assertEqual((nl.rate, nl.source), (10.0, "ECB 2.00% + 8"))
        self.assertEqual((be.rate, be.source), (10.0, "ECB 2.00% → 2.00% + 8"))
        ecb.rate = 2.15  # corrected: the derived rows follow
        self.assertEqual((nl.rate, nl.source), (10.15, "ECB 2.15% + 8"))
        self.assertEqual((be.rate, be.source), (10.5, "ECB 2.15% → 2.50% + 8"))
        ecb.date_from = date(2027, 7, 1)
        self.assertEqual((nl | be).mapped("date_from"), [date(2027, 7, 1)] * 2)
        ecb.unlink()
        self.assertFalse((nl | be).exists())

    def test_every_shipped_figure(self):
        for kind, rates in SHIPPED.items():
            periods = self.Rate._ar_periods(kind)
            self.assertEqual(
                periods,
                [(HALF_YEARS[i], HALF_YEARS[i + 1], rate) for i, rate in enumerate(rates)],
                kind,
            )
        self.assertEqual(self.Rate._ar_periods("be_legal"), BE_LEGAL)
        # every entered figure names its publication, every derived one its ECB rate
        rows = self.Rate.search([])
        self.assertEqual(len(rows), 5 * 4 + 3)
        for row in rows:
            self.assertTrue(row.source, row.display_name)
        self.assertEqual(self._row("nl_commercial", H["2025_07"]).source, "ECB 2.15% + 8")
        self.assertEqual(self._row("be_commercial", H["2025_01"]).source, "ECB 3.15% → 3.50% + 8")
        self.assertIn("Staatsblad", self._row("be_legal", H["2026_01"]).source)
        self.assertIn("2025-06-11", self._row("ecb_refi", H["2026_01"]).source)
        self.assertEqual(self._row("nl_consumer", H["2026_01"]).date_to, date(2026, 6, 30))
        self.assertEqual(self._row("be_legal", H["2026_01"]).date_to, date(2026, 12, 31))
        # not verified, so not shipped: the figures of 2026-07-01
        self.assertFalse(self.Rate.search([("date_from", ">=", H["2026_07"])]))

    def test_interest_across_2026_07_01_once_the_ecb_figure_is_entered(self):
        # 1.90 is a test input, not the published ECB rate of 2026-07-01
        self._enter_ecb(H["2026_07"], 1.90)
        # EUR 10,000 due 2026-05-31, interest from 2026-06-01 to 2026-08-31:
        # NL: 10000 * 10.15% * 30/365 = 83.4247 (June) + 10000 * 9.90% * 62/365 = 168.1644
        #     (July, August) = 251.5891
        self.assertEqual(
            self.Fee.interest(10000.0, date(2026, 5, 31), date(2026, 8, 31), "nl_commercial"),
            251.59,
        )
        # BE: 1.90 rounded up to 2.00, + 8 = 10.00%:
        #     10000 * 10.50% * 30/365 = 86.3014 + 10000 * 10.00% * 62/365 = 169.8630 = 256.1644
        self.assertEqual(
            self.Fee.interest(10000.0, date(2026, 5, 31), date(2026, 8, 31), "be_commercial"),
            256.16,
        )
        # the Dutch statutory interest of 2026-07-01 is a decree of its own: still missing
        with self.assertRaises(MissingInterestRate):
            self.Fee.interest(1000.0, date(2026, 5, 31), date(2026, 8, 31), "nl_consumer")

    def test_missing_from_2026_07_01(self):
        for kind in ("nl_commercial", "be_commercial", "nl_consumer"):
            # up to 2026-06-30 the shipped rates cover it
            self.assertTrue(self.Fee.interest(1000.0, date(2026, 5, 31), date(2026, 6, 30), kind))
            with self.assertRaises(MissingInterestRate, msg=kind):
                self.Fee.interest(1000.0, date(2026, 5, 31), date(2026, 7, 1), kind)
        # the Belgian legal interest of 2026 covers the whole year, not 2027
        self.assertTrue(
            self.Fee.interest(1000.0, date(2026, 5, 31), date(2026, 12, 31), "be_legal")
        )
        with self.assertRaises(MissingInterestRate):
            self.Fee.interest(1000.0, date(2026, 5, 31), date(2027, 1, 1), "be_legal")

    def test_compounded_nl_commercial_interest_over_two_and_a_half_years(self):
        # EUR 10,000 due 2024-01-31, interest from 2024-02-01 up to 2026-06-30, the shipped
        # rates, each year's interest added to the principal on the anniversary (2025-02-01,
        # 2026-02-01), days / 365:
        # year 1, on 10,000.00:
        #   2024-02-01..2024-06-30 151 days (2024 is a leap year) at 12.50% = 517.1233
        #   2024-07-01..2024-12-31 184 days at 12.25% = 617.5342
        #   2025-01-01..2025-01-31  31 days at 11.15% =  94.6986   year 1: 1,229.3562
        # year 2, on 11,229.3562:
        #   2025-02-01..2025-06-30 150 days at 11.15% = 514.5506
        #   2025-07-01..2025-12-31 184 days at 10.15% = 574.5739
        #   2026-01-01..2026-01-31  31 days at 10.15% =  96.8032   year 2: 1,185.9277
        # year 3, on 12,415.2839:
        #   2026-02-01..2026-06-30 150 days at 10.15% = 517.8704
        # total 1,229.3562 + 1,185.9277 + 517.8704 = 2,933.1543
        args = (10000.0, date(2024, 1, 31), date(2026, 6, 30), "nl_commercial")
        self.assertEqual(self.Fee.interest(*args, compound=True), 2933.15)
        # without capitalisation: the same segments on 10,000 = 2,702.5753
        self.assertEqual(self.Fee.interest(*args, compound=False), 2702.58)

    # ------------------------------------------------------------------
    # Derived rows are read-only, constraints
    # ------------------------------------------------------------------

    def test_derived_rows_cannot_be_entered_or_changed(self):
        Rate = self.Rate.with_user(self.manager)
        derived = Rate.browse(self._row("nl_commercial", H["2026_01"]).id)
        with self.assertRaises(ValidationError) as caught:
            derived.write({"rate": 9.0})
        self.assertIn(
            "NL commercial interest (handelsrente) is derived from the ECB reference rate",
            str(caught.exception),
        )
        with self.assertRaises(ValidationError, msg="derived from the ECB reference rate"):
            derived.write({"source": "my own"})
        with self.assertRaises(ValidationError, msg="derived from the ECB reference rate"):
            Rate.create({"kind": "be_commercial", "date_from": date(2027, 1, 1), "rate": 10.5})
        with self.assertRaises(ValidationError, msg="derived from the ECB reference rate"):
            derived.unlink()
        with self.assertRaises(ValidationError, msg="derived from the ECB reference rate"):
            Rate.browse(self._row("nl_consumer", H["2026_01"]).id).kind = "nl_commercial"
        with self.assertRaises(ValidationError) as caught:
            Rate.browse(self._row("ecb_refi", H["2026_01"]).id).kind = "nl_consumer"
        self.assertIn("cannot become another kind", str(caught.exception))
        # writing what it already holds (a form saved unchanged) is harmless
        derived.write({"rate": 10.15, "date_from": H["2026_01"]})
        self.assertEqual(derived.rate, 10.15)

    def test_constraints(self):
        self._enter_ecb(date(2027, 1, 1), -0.5)  # the ECB rate may be negative
        self._enter_ecb(date(2027, 7, 1), 0.0)  # 0.00 from 2016 to 2022
        bad = [
            ("ecb_refi", date(2028, 1, 1), -5.5, "between -5 and 90"),
            ("ecb_refi", date(2028, 1, 1), 90.5, "between -5 and 90"),
            ("nl_consumer", date(2028, 1, 1), -0.1, "between 0 and 100"),
            ("be_legal", date(2028, 1, 1), 101.0, "between 0 and 100"),
            ("ecb_refi", date(2028, 2, 1), 2.0, "1 January or 1 July"),
            ("nl_consumer", date(2028, 1, 15), 2.0, "1 January or 1 July"),
            ("be_legal", date(2028, 7, 1), 2.0, "per calendar year"),
        ]
        for kind, day, rate, message in bad:
            with self.assertRaises(ValidationError, msg=(kind, day, rate)) as caught:
                self.Rate.create({"kind": kind, "date_from": day, "rate": rate})
            self.assertIn(message, str(caught.exception))
        # in the user's language
        with self.assertRaises(ValidationError) as caught:
            self.Rate.with_context(lang="nl_NL").create(
                {"kind": "ecb_refi", "date_from": date(2028, 1, 1), "rate": 200.0}
            )
        self.assertIn("tussen -5 en 90", str(caught.exception))

    def test_an_ecb_figure_adopts_a_rate_entered_before(self):
        # what the 18.0.1.3.0 migration relies on: a commercial rate entered before the rates
        # were derived becomes the derived row of its date (the same record)
        old = (
            self.Rate.sudo()
            .with_context(ar_derive=True)
            .create({"kind": "nl_commercial", "date_from": date(2027, 1, 1), "rate": 11.0})
        )
        self.assertFalse(old.base_rate_id)
        ecb = self._enter_ecb(date(2027, 1, 1), 3.0)
        self.assertEqual(old.base_rate_id, ecb)
        self.assertEqual((old.rate, old.source), (11.0, "ECB 3.00% + 8"))
        self.assertEqual(len(ecb.derived_rate_ids), 2)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_billing_users_read_managers_edit(self):
        ecb = self._row("ecb_refi", H["2026_01"])
        as_billing = ecb.with_user(self.billing)
        self.assertEqual(as_billing.rate, 2.15)
        self.assertEqual(sorted(as_billing.derived_rate_ids.mapped("rate")), [10.15, 10.5])
        with self.assertRaises(AccessError):
            as_billing.write({"rate": 2.0})
        with self.assertRaises(AccessError):
            self.Rate.with_user(self.billing).create(
                {"kind": "ecb_refi", "date_from": H["2026_07"], "rate": 2.0}
            )
        with self.assertRaises(AccessError):
            as_billing.unlink()
        # as the web client calls it (RPC)
        with self.assertRaises(AccessError):
            call_kw(self.Rate.with_user(self.billing), "write", [ecb.ids, {"rate": 2.0}], {})
        with self.assertRaises(AccessError):
            call_kw(
                self.Rate.with_user(self.billing),
                "create",
                [{"kind": "ecb_refi", "date_from": "2026-07-01", "rate": 2.0}],
                {},
            )
        # the follow-up of a billing user still reads the rates
        self.assertTrue(
            self.Fee.with_user(self.billing).interest(
                1000.0, date(2026, 1, 31), date(2026, 3, 31), "nl_commercial"
            )
        )
        # the manager enters the figure
        entered = call_kw(
            self.Rate.with_user(self.manager),
            "create",
            [{"kind": "ecb_refi", "date_from": "2026-07-01", "rate": 2.0, "source": "test"}],
            {},
        )
        self.assertEqual(self.Rate.browse(entered).derived_rate_ids.mapped("rate"), [10.0, 10.0])

    # ------------------------------------------------------------------
    # The credit-control manager is told what to enter
    # ------------------------------------------------------------------

    def test_warning_30_days_before_the_last_rate_runs_out(self):
        self.company.ar_interest_regime = "nl"
        Levels = self.env["ar.followup.level"]
        self.assertFalse(Levels.search([("charge_interest", "=", True)]))
        self.Rate._cron_expiry_warning(today=date(2026, 6, 1))
        self.assertFalse(self._rate_activities(), "no level charges interest")
        self.levels[14].charge_interest = True
        self.Rate._cron_expiry_warning(today=date(2026, 5, 31))  # 31 days before
        self.assertFalse(self._rate_activities())
        self.manager.lang = "nl_NL"
        self.Rate._cron_expiry_warning(today=date(2026, 6, 1))  # 30 days before 2026-07-01
        ecb = self._row("ecb_refi", H["2026_01"])
        consumer = self._row("nl_consumer", H["2026_01"])
        activities = self._rate_activities()
        self.assertEqual(len(activities), 2)
        self.assertEqual(self._rate_activities(ecb).user_id, self.manager)
        self.assertTrue(self.manager.has_group("ar_followup.group_ar_manager"))
        self.assertEqual(len(self._rate_activities(consumer)), 1)
        # in the manager's language: which figure, from when, derived kinds, where
        ecb_activity = self._rate_activities(ecb)
        self.assertEqual(
            ecb_activity.summary,
            "Voer de ECB-referentierente (basisherfinancieringsrente) vanaf 01-07-2026 in",
        )
        self.assertIn("handelsrente", ecb_activity.note)
        self.assertNotIn("BE handelsrente", ecb_activity.note)
        self.assertIn("Configuratie &gt; Opvolging &gt;", ecb_activity.note)
        self.assertEqual(ecb_activity.date_deadline, H["2026_07"])
        self.assertTrue(ecb.expiry_warned and consumer.expiry_warned)
        # not again on the next days
        self.Rate._cron_expiry_warning(today=date(2026, 6, 2))
        self.Rate._cron_expiry_warning(today=date(2026, 7, 15))
        self.assertEqual(self._rate_activities(), activities)
        ecb_activity.action_feedback("Waiting for the ECB")
        self.Rate._cron_expiry_warning(today=date(2026, 6, 3))
        self.assertEqual(self._rate_activities(), activities - ecb_activity)
        # the Belgian kinds are not in use: their rates run out unannounced
        self.Rate._cron_expiry_warning(today=date(2026, 12, 15))
        self.assertFalse(self._rate_activities(self._row("be_legal", H["2026_01"])))
        self.assertEqual(self._rate_activities(), activities - ecb_activity)
        # the next figure entered: its own end is announced in turn
        self._enter_ecb(H["2026_07"], 1.90)  # a test input
        self.Rate._cron_expiry_warning(today=date(2026, 12, 2))
        new = self._rate_activities(self._row("ecb_refi", H["2026_07"]))
        self.assertEqual(len(new), 1)
        self.assertIn("01-01-2027", new.summary)

    def test_missing_rate_activity_lists_the_invoices(self):
        names = ["INV/2026/00007", "INV/2026/00009 <b>"]
        activity = self.Rate._ar_missing_rate_activity("be_commercial", date(2026, 7, 15), names)
        ecb = self._row("ecb_refi", H["2026_01"])
        self.assertEqual(activity, self._rate_activities(ecb))
        self.assertEqual(activity.user_id, self.company._ar_credit_manager())
        self.assertEqual(
            activity.summary,
            "Enter the ECB reference rate (main refinancing operations) from 07/01/2026",
        )
        self.assertIn("<li>INV/2026/00007</li>", activity.note)
        self.assertIn("<li>INV/2026/00009 &lt;b&gt;</li>", activity.note)
        self.assertIn("BE commercial interest (late payment act)", activity.note)
        self.assertIn("07/15/2026", activity.note)
        self.assertIn("Configuration &gt; Follow-up &gt; Statutory Interest Rates", activity.note)
        # the next run: the same activity, with the invoices of that run added to those
        # still listed (escaped once, not twice)
        again = self.Rate._ar_missing_rate_activity(
            "nl_commercial", date(2026, 7, 16), ["INV/2026/00011", "INV/2026/00007"]
        )
        self.assertEqual(again, activity)
        self.assertIn("INV/2026/00011", activity.note)
        self.assertEqual(activity.note.count("INV/2026/00007"), 1)
        self.assertIn("<li>INV/2026/00009 &lt;b&gt;</li>", activity.note)
        # another kind to enter, another activity; two periods missing: from the first
        consumer = self.Rate._ar_missing_rate_activity(
            "nl_consumer", date(2027, 2, 1), ["INV/2027/00001"]
        )
        self.assertEqual(consumer, self._rate_activities(self._row("nl_consumer", H["2026_01"])))
        self.assertIn("from 07/01/2026", consumer.summary)
        self.assertEqual(len(self._rate_activities()), 2)
