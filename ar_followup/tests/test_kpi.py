from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestKpi(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Kpi = cls.env["ar.kpi"]
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])

    def _receivable_balance(self, as_of):
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("date", "<=", as_of),
            ],
            [],
            ["balance:sum"],
        )
        return groups[0][0] or 0.0

    def test_aging_at_two_dates_with_a_payment_between(self):
        invoice_a = self._invoice(self.customer, 1000.0, days(-10))
        self._invoice(self.customer, 500.0, days(5))
        self._invoice(self.customer, 300.0, days(-65))
        self._pay(invoice_a, 400.0, on=days(3))
        before = self.Kpi.aging(days(0), partner=self.customer)
        self.assertEqual(len(before), 1)
        row = before[0]
        self.assertEqual(
            (
                row["not_due"],
                row["d1_30"],
                row["d31_60"],
                row["d61_90"],
                row["d91_120"],
                row["over_120"],
            ),
            (500.0, 1000.0, 0.0, 300.0, 0.0, 0.0),
        )
        self.assertEqual(row["total"], 1800.0)
        after = self.Kpi.aging(days(10), partner=self.customer)[0]
        self.assertEqual((after["not_due"], after["d1_30"], after["d61_90"]), (0.0, 1100.0, 300.0))
        self.assertEqual(after["total"], 1400.0)

    def test_aging_totals_match_the_receivable_balance(self):
        for index in range(6):
            invoice = self._invoice(
                self._customer(f"Aging {index}"), 100.0 * (index + 1), days(-30 * index)
            )
            if index % 2:
                self._pay(invoice, 50.0, on=days(-5))
        self._invoice(self.customer, 80.0, days(-3), move_type="out_refund")
        self._invoice(self.customer, 200.0, days(-20), currency=self.eur)
        for as_of in (days(-10), days(0)):
            rows = self.Kpi.aging(as_of)
            self.assertAlmostEqual(
                sum(row["total_company"] for row in rows), self._receivable_balance(as_of), places=2
            )

    def test_aging_multi_currency_and_company(self):
        self._invoice(self.customer, 200.0, days(-20), currency=self.eur)
        company_b = self.setup_other_company(name="Aging B")["company"]
        self._invoice(self.customer, 999.0, days(-20), company=company_b)
        rows = self.Kpi.aging(days(0), partner=self.customer)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["currency_id"], self.eur.id)
        self.assertEqual(rows[0]["d1_30"], 200.0)
        self.assertEqual(rows[0]["total_company"], 100.0)

    def test_aging_wizard(self):
        self._invoice(self.customer, 250.0, days(-40))
        wizard = self.env["ar.aging.wizard"].create({"date": days(0)})
        action = wizard.action_open()
        lines = self.env["ar.aging.line"].search(action["domain"])
        line = lines.filtered(lambda line: line.partner_id == self.customer)
        self.assertEqual(line.d31_60, 250.0)

    def test_aging_is_one_query(self):
        for index in range(20):
            self._invoice(self.customer, 10.0 + index, days(-index))
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        self.Kpi.aging(days(0))
        self.assertLessEqual(self.env.cr.sql_log_count - before, 3)

    def test_dso_countback_example(self):
        # AR 212,000; sales of the last three months (most recent first) 100,000, 80,000,
        # 70,000: 30 + 30 + 32,000 / 70,000 x 30 = 73.7 days
        self.assertEqual(self.Kpi.countback_dso(212000.0, [100000.0, 80000.0, 70000.0]), 73.7)
        self.assertEqual(self.Kpi.countback_dso(50000.0, [100000.0]), 15.0)

    def test_kpis_on_a_constructed_ledger(self):
        x = self._invoice(self.customer, 1000.0, date(2026, 1, 14))  # dated 2025-12-15
        y = self._invoice(self.customer, 2000.0, date(2026, 3, 3))  # dated 2026-02-01
        self._invoice(self.customer, 3000.0, date(2026, 4, 14))  # dated 2026-03-15
        self._pay(x, 1000.0, on=date(2026, 1, 20))
        self._pay(y, 500.0, on=date(2026, 3, 10))
        kpi = self.Kpi.compute(date(2026, 1, 1), date(2026, 3, 31))
        self.assertEqual(kpi["opening_ar"], 1000.0)
        self.assertEqual(kpi["credit_sales"], 5000.0)
        self.assertEqual(kpi["closing_ar"], 4500.0)
        self.assertEqual(kpi["dso"], 81.0)  # 4500 / 5000 x 90
        self.assertEqual(kpi["best_possible_dso"], 54.0)  # 3000 / 5000 x 90
        self.assertEqual(kpi["add"], 27.0)
        self.assertEqual(kpi["cei"], 50.0)  # (1000 + 5000 - 4500) / (1000 + 5000 - 3000)
        self.assertEqual(kpi["ar_turnover"], 1.82)  # 5000 / 2750
        self.assertEqual(kpi["overdue_pct"], 33.3)  # 1500 / 4500
        self.assertEqual(kpi["dso_countback"], 52.5)  # March 3000: 30, then 1500/2000 x 30
        partner_kpi = self.Kpi.compute(
            date(2026, 1, 1), date(2026, 3, 31), partner=self._customer("None")
        )
        self.assertEqual(partner_kpi["closing_ar"], 0.0)

    def test_kpis_per_account_manager(self):
        mine = self._customer("Managed", user_id=self.account_manager.id)
        self._invoice(mine, 600.0, date(2026, 3, 20))  # dated 2026-02-18
        self._invoice(self.customer, 999.0, date(2026, 3, 20))
        kpi = self.Kpi.compute(date(2026, 1, 1), date(2026, 3, 31), user=self.account_manager)
        self.assertEqual(kpi["closing_ar"], 600.0)
        self.assertEqual(kpi["overdue_pct"], 100.0)
        nobody = self.Kpi.compute(date(2026, 1, 1), date(2026, 3, 31), user=self.credit_manager)
        self.assertEqual(nobody["closing_ar"], 0.0)

    def test_dashboard_and_worklist(self):
        big = self._customer("Big Debtor", user_id=self.account_manager.id)
        small = self._customer("Small Debtor")
        disputed = self._customer("Disputed Debtor")
        self._invoice(big, 1000.0, days(-30))
        self._invoice(small, 100.0, days(-10))
        invoice = self._invoice(disputed, 5000.0, days(-60))
        self.env["ar.dispute"].create(
            {"partner_id": disputed.id, "move_ids": [Command.set(invoice.ids)], "reason": "other"}
        )
        from freezegun import freeze_time

        with freeze_time(days(0)):
            action = self.env["ar.worklist.line"].action_worklist()
            lines = self.env["ar.worklist.line"].search(action["domain"])
            self.assertEqual(lines.partner_id[:2], big | small)
            self.assertNotIn(disputed, lines.partner_id)
            first = lines[0]
            self.assertEqual(first.priority, 30000.0)  # 1000 x 30 days
            self.assertEqual(first.collector_id, self.account_manager)
            # "Log a call" asks the outcome (#33), then logs it on the customer
            action = first.action_log_call()
            self.env["ar.call.log"].with_context(**action["context"]).create(
                {"outcome": "reached", "note": "Pays next week"}
            ).action_confirm()
            self.assertIn("Reached, no promise", big.message_ids[0].body)
            dashboard = self.env["ar.kpi.month"].action_dashboard()
        months = self.env["ar.kpi.month"].search(dashboard["domain"])
        self.assertEqual(len(months), 12)
        self.assertEqual(months[-1].closing_ar, 6100.0)

    def test_level_conversion(self):
        invoices = [self._invoice(self._customer(f"Conv {i}"), 100.0, days(-8)) for i in range(3)]
        self._run(days(0))
        self._pay(invoices[0], 100.0, on=days(5))
        self._pay(invoices[1], 100.0, on=days(12))
        conversion = self.Kpi.level_conversion(days(0), days(0))
        self.assertEqual(
            conversion[self.levels[7].id], {"count": 3, "paid_7_pct": 33.3, "paid_14_pct": 66.7}
        )

    def test_access(self):
        billing = self._user("kpi_billing", "billing")
        portal = self._user("kpi_portal", "portal", partner_id=self._customer("KPI Portal").id)
        self._invoice(self.customer, 100.0, days(-10))
        self.assertTrue(self.Kpi.with_user(billing).aging(days(0)))
        self.assertIn("dso", self.Kpi.with_user(billing).compute(days(-30), days(0)))
        with self.assertRaises(AccessError):
            self.Kpi.with_user(portal).aging(days(0))
        with self.assertRaises(AccessError):
            self.Kpi.with_user(portal).compute(days(-30), days(0))

    def test_disputed_amount_at_each_month_end(self):
        from freezegun import freeze_time

        first = self._invoice(self.customer, 800.0, date(2026, 1, 1))
        second = self._invoice(self.customer, 300.0, date(2026, 2, 1))
        Dispute = self.env["ar.dispute"]
        closed = Dispute.create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(first.ids)],
                "reason": "quality",
                "date": date(2026, 1, 10),
            }
        )
        with freeze_time(date(2026, 2, 15)):
            closed.action_reject("Delivered as ordered.")
        self.assertEqual(closed.date_resolved, date(2026, 2, 15))
        Dispute.create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(second.ids)],
                "reason": "pricing",
                "date": date(2026, 2, 20),
            }
        )
        months = {row["month"]: row for row in self.Kpi.monthly(4, date_to=days(0))}
        disputed = {month.isoformat(): row["disputed_amount"] for month, row in months.items()}
        self.assertEqual(
            disputed,
            {"2025-12-01": 0.0, "2026-01-01": 800.0, "2026-02-01": 300.0, "2026-03-01": 300.0},
        )
        self.assertEqual(
            self.Kpi.compute(date(2026, 2, 1), date(2026, 2, 14))["disputed_amount"], 800.0
        )

    def test_partial_month_compares_with_the_full_months(self):
        self._invoice(self.customer, 3000.0, date(2026, 3, 12))  # dated 2026-02-10
        self._invoice(self.customer, 100.0, date(2026, 3, 31))  # dated 2026-03-01
        rows = self.Kpi.monthly(2, date_to=date(2026, 3, 1))  # March is one day old
        february, march = rows
        self.assertFalse(february["partial"])
        self.assertEqual(
            (february["date_from"], february["date_to"]), (date(2026, 2, 1), date(2026, 2, 28))
        )
        self.assertEqual(february["dso"], 28.0)  # 3000 / 3000 x 28 days
        self.assertTrue(march["partial"])
        # a month's length up to 1 March, not the one day: 3100 / 3100 x 28 days
        self.assertEqual(
            (march["date_from"], march["date_to"]), (date(2026, 2, 2), date(2026, 3, 1))
        )
        self.assertEqual(march["dso"], 28.0)
        self.assertEqual(march["closing_ar"], 3100.0)
        # countback: the one day of March covers its sales, February's 30 days the rest
        self.assertEqual(march["dso_countback"], 31.0)
        self.assertEqual(self.Kpi.countback_dso(50000.0, [100000.0], first_month_days=2), 1.0)
        from freezegun import freeze_time

        with freeze_time(date(2026, 3, 1)):
            action = self.env["ar.kpi.month"].action_dashboard()
        months = self.env["ar.kpi.month"].search(action["domain"])
        last = months[-1]
        self.assertTrue(last.partial)
        self.assertEqual(last.dso, 28.0)
        # the month not over says which days its figures count (the new user read March's
        # sales as those of March alone); a month that is over is named in words
        self.assertEqual(last.period, "March 2026 (02/02/2026 to 03/01/2026)")
        self.assertEqual(months[-2].period, "February 2026")

    def test_rates_with_nothing_to_divide_are_empty(self):
        nobody = self.Kpi.compute(date(2026, 1, 1), date(2026, 1, 31), partner=self._customer("No"))
        for key in ("dso", "best_possible_dso", "add", "cei", "ar_turnover", "overdue_pct"):
            self.assertIsNone(nobody[key], key)
        self.assertIsNone(nobody["promise_kept_rate"])
        self._invoice(self.customer, 500.0, date(2026, 1, 20))  # dated 2025-12-21
        kpi = self.Kpi.compute(date(2026, 1, 1), date(2026, 1, 31))
        self.assertIsNone(kpi["promise_kept_rate"])  # no promise was due
        self.assertIsNone(kpi["dso"])  # no sales in January
        self.assertEqual(kpi["overdue_pct"], 100.0)
        month = self.env["ar.kpi.month"].create(
            self.env["ar.kpi.month"]._values({"month": date(2026, 1, 1), **kpi})
        )
        self.assertTrue(month.no_promises)
        self.assertTrue(month.no_sales)
        self.assertFalse(month.no_ar)
        arch = self.env.ref("ar_followup.ar_kpi_month_view_list").arch
        self.assertIn('name="promise_kept_rate" invisible="no_promises"', arch)
        self.assertIn('name="dso" invisible="no_sales"', arch)
