"""The demo (issue #33, what a new user tripped over): its company has a logo of its own, it
charges interest (rates for its own dates, marked as demo figures), its business customers
abroad are invoiced under Odoo's fiscal positions (no Dutch VAT), and its dossiers render again
once Odoo serves."""

import base64
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.ar_followup.demo import generator
from odoo.addons.ar_followup.demo.company import (
    DEMO_RATE_MARK,
    demo_interest_rates,
    render_documents,
)
from odoo.addons.ar_followup.models.ar_interest_rate import RATE_KINDS

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestDemoInterestRates(ArFollowupCase):
    def test_the_demo_enters_rates_for_its_dates_marked_as_demo_figures(self):
        Rate = self.env["ar.interest.rate"]
        shipped = self.env.ref("ar_followup.rate_ecb_refi_2026_01")
        shipped_values = (shipped.rate, shipped.source)
        today = date(2027, 9, 15)
        rows = demo_interest_rates(self.env, today)
        self.assertTrue(rows)
        for row in rows:
            self.assertIn(DEMO_RATE_MARK, row.source, row.display_name)
        # the half-years after the shipped ones up to today's, derived from the ECB rates
        # the demo enters
        self.assertEqual(
            sorted(r.date_from for r in rows if r.kind == "nl_commercial"),
            [date(2026, 7, 1), date(2027, 1, 1), date(2027, 7, 1)],
        )
        self.assertEqual(
            sorted(r.date_from for r in rows if r.kind == "be_legal"), [date(2027, 1, 1)]
        )
        # every kind has a rate every day of the past year
        for kind in RATE_KINDS:
            periods = Rate._ar_periods(kind)
            for back in range(0, 366, 7):
                day = today - timedelta(days=back)
                self.assertIsNotNone(Rate._ar_rate_on(kind, day, periods), f"{kind} {day}")
        # the published figures are left as they are, and a second call enters nothing
        self.assertEqual((shipped.rate, shipped.source), shipped_values)
        self.assertFalse(demo_interest_rates(self.env, today))


@tagged("post_install", "-at_install")
class TestDemoGenerator(ArFollowupCase):
    """``generator.generate`` on the test company, given the fiscal positions Odoo's Dutch
    chart gives (l10n_nl is not installed in the test database): domestic (a Dutch VAT
    number), EU private, intra-EU B2B (a VAT number in the EU) and outside the EU, the last two
    mapping the sales tax to a 0 % tax."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sale_tax = cls.company.account_sale_tax_id
        Tax = cls.env["account.tax"]
        cls.intra_eu_tax, cls.export_tax = Tax.create(
            [
                {"name": name, "amount": 0.0, "type_tax_use": "sale", "company_id": cls.company.id}
                for name in ("0% intra-EU B2B", "0% export")
            ]
        )
        cls._fiscal_positions()
        cls.today = fields.Date.context_today(cls.company)
        generator.generate(cls.env, cls.company.ids)
        cls.invoices = cls.env["account.move"].search(
            [
                ("company_id", "=", cls.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("ar_is_fee_invoice", "=", False),
            ]
        )

    @classmethod
    def _fiscal_positions(cls):
        """Those of Odoo's Dutch chart (data/template/account.fiscal.position-nl.csv), with
        the test company's sales tax."""
        europe = cls.env.ref("base.europe")
        cls.env["account.fiscal.position"].create(
            [
                {
                    "name": "Domestic",
                    "sequence": 1,
                    "auto_apply": True,
                    "vat_required": True,
                    "country_id": cls.env.ref("base.nl").id,
                    "company_id": cls.company.id,
                },
                {
                    "name": "EU private B2C",
                    "sequence": 2,
                    "auto_apply": True,
                    "country_group_id": europe.id,
                    "company_id": cls.company.id,
                },
                {
                    "name": "EU intra B2B",
                    "sequence": 3,
                    "auto_apply": True,
                    "vat_required": True,
                    "country_group_id": europe.id,
                    "company_id": cls.company.id,
                    "tax_ids": [
                        Command.create(
                            {"tax_src_id": cls.sale_tax.id, "tax_dest_id": cls.intra_eu_tax.id}
                        )
                    ],
                },
                {
                    "name": "EU non-intra",
                    "sequence": 4,
                    "auto_apply": True,
                    "company_id": cls.company.id,
                    "tax_ids": [
                        Command.create(
                            {"tax_src_id": cls.sale_tax.id, "tax_dest_id": cls.export_tax.id}
                        )
                    ],
                },
            ]
        )

    def test_the_demo_company_has_a_logo_of_its_own(self):
        self.assertFalse(self.company.uses_default_logo, "no 'Your logo'")
        self.assertTrue(base64.b64decode(self.company.logo).startswith(b"\x89PNG"))

    def test_the_demo_charges_interest(self):
        Rate = self.env["ar.interest.rate"]
        oldest_due = min(self.invoices.mapped("invoice_date_due"))
        for kind in RATE_KINDS:
            periods = Rate._ar_periods(kind)
            day = oldest_due
            while day <= self.today:
                self.assertIsNotNone(Rate._ar_rate_on(kind, day, periods), f"{kind} on {day}")
                day += timedelta(days=7)
        # a rate in force today that Odoo does not ship is marked as the demo's
        for kind in RATE_KINDS:
            row = Rate.search(
                [("kind", "=", kind), ("date_from", "<=", self.today)],
                order="date_from desc",
                limit=1,
            )
            if not row.get_external_id()[row.id].startswith("ar_followup.rate_"):
                self.assertIn(DEMO_RATE_MARK, row.source)
        fees = self.env["ar.followup.history"].search(
            [("company_id", "=", self.company.id), ("channel", "=", "fee")]
        )
        self.assertTrue(fees, "the replayed history charged costs")
        self.assertTrue(
            any(amount > 0 for amount in fees.mapped("interest_amount")),
            "and interest",
        )

    def test_business_customers_abroad_pay_no_dutch_vat(self):
        abroad = self.invoices.filtered(
            lambda m: m.partner_id.is_company and m.partner_id.country_id.code in ("BE", "GB", "SE")
        )
        home = self.invoices.filtered(lambda m: m.partner_id.country_id.code == "NL")
        self.assertTrue(abroad.partner_id.filtered(lambda p: p.country_id.code == "BE"))
        self.assertTrue(abroad.partner_id.filtered(lambda p: p.country_id.code == "GB"))
        for move in abroad:
            taxes = move.invoice_line_ids.tax_ids
            expected = (
                self.intra_eu_tax if move.partner_id.country_id.code != "GB" else self.export_tax
            )
            self.assertEqual(taxes, expected, f"{move.partner_id.name}: {taxes.mapped('name')}")
            self.assertFalse(move.amount_tax, move.partner_id.name)
            self.assertTrue(move.fiscal_position_id, move.partner_id.name)
        self.assertTrue(home)
        self.assertEqual(home.invoice_line_ids.tax_ids, self.sale_tax, "Dutch VAT at home")
        businesses = home.filtered(lambda m: m.partner_id.is_company)
        self.assertEqual(businesses.fiscal_position_id.mapped("name"), ["Domestic"])

    def test_the_dossiers_render_again_into_their_attachments(self):
        cases = self.env["ar.collection.case"].search([("company_id", "=", self.company.id)])
        before = {case: case.dossier_ids for case in cases}
        self.assertTrue(any(before.values()), "the demo hands cases over with their dossier")
        self.assertEqual(render_documents(self.env, self.company), cases.filtered("dossier_ids"))
        self.assertEqual({case: case.dossier_ids for case in cases}, before)
