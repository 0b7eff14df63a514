from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.ar_followup.models.ar_followup_rules import ArFollowupRules

from .common import D0, ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFollowupExclusions(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])

    def test_paid_invoice_is_not_chased(self):
        invoice = self._invoice(self.customer, 100.0, days(-10))
        self._pay(invoice, 100.0)
        run = self._run(days(0))
        self.assertEqual(invoice.payment_state, "paid")
        self.assertFalse(invoice.ar_followup_level_id)
        self.assertEqual(run.email_count, 0)
        self.assertFalse(self._mails(self.customer))

    def test_partially_paid_invoice_shows_its_open_amount(self):
        invoice = self._invoice(self.customer, 100.0, days(-10))
        self._pay(invoice, 60.25)
        self._run(days(0))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        body = self._mails(self.customer).body_html
        self.assertIn("39.75", body)
        self.assertIn("100.00", body)

    def test_excluded_invoice_and_exclusion_end_date(self):
        excluded = self._invoice(self.customer, 100.0, days(-10))
        excluded.ar_followup_excluded = True
        until = self._invoice(self._customer("Until"), 100.0, days(-10))
        until.write({"ar_followup_excluded": True, "ar_followup_excluded_until": days(2)})
        run = self._run(days(0))
        self.assertEqual(run.email_count, 0)
        self.assertFalse(excluded.ar_followup_level_id)
        self._run(days(2))
        self.assertFalse(until.ar_followup_level_id, "still excluded on its last day")
        self._run(days(3))
        self.assertEqual(
            until.ar_followup_level_id,
            self.levels[7],
            "chased again after the end date",
        )
        self.assertFalse(excluded.ar_followup_level_id)

    def test_exclusion_end_date_needs_exclusion(self):
        invoice = self._invoice(self.customer, 100.0, days(-10))
        with self.assertRaises(ValidationError) as error:
            invoice.write({"ar_followup_excluded_until": days(3)})
        self.assertIn("exclusion end date needs the exclusion", str(error.exception))
        self.assertFalse(invoice.ar_followup_excluded_until)

    def test_paused_partner(self):
        invoice = self._invoice(self.customer, 100.0, days(-10))
        self.customer.with_company(self.company).ar_followup_paused_until = days(5)
        self._run(days(0))
        self._run(days(5))
        self.assertFalse(invoice.ar_followup_level_id)
        self.assertFalse(self._mails(self.customer))
        self._run(days(6))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])

    def test_amount_under_minimum(self):
        self.levels[7].min_overdue_amount = 50.0
        small = self._invoice(self.customer, 49.99, days(-10))
        run = self._run(days(0))
        self.assertEqual(run.email_count, 0)
        self.assertFalse(small.ar_followup_level_id)
        # a second invoice brings the overdue total to the minimum: both are chased
        other = self._invoice(self.customer, 0.01, days(-9))
        self._run(days(1))
        self.assertEqual(small.ar_followup_level_id, self.levels[7])
        self.assertEqual(other.ar_followup_level_id, self.levels[7])

    def test_credit_note_reduces_the_open_balance(self):
        invoice = self._invoice(self.customer, 100.0, days(-10))
        refund = self._invoice(self.customer, 100.0, days(-5), move_type="out_refund")
        # an open credit note of the same amount: nothing is owed, nothing is chased
        run = self._run(days(0))
        self.assertEqual(run.email_count, 0)
        self.assertFalse(invoice.ar_followup_level_id)
        # the credit note reconciled with the invoice: the invoice is paid
        (invoice + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.amount_residual, 0.0)
        # a partial credit note: the rest is chased, with its reduced open amount
        invoice2 = self._invoice(self.customer, 300.0, days(-10))
        refund2 = self._invoice(self.customer, 120.0, days(-5), move_type="out_refund")
        (invoice2 + refund2).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice2.amount_residual, 180.0)
        self._run(days(1))
        self.assertEqual(invoice2.ar_followup_level_id, self.levels[7])
        self.assertIn("180.00", self._mails(self.customer).body_html)

    @freeze_time(D0)  # today: the day the figures are read for
    def test_multi_currency_invoices(self):
        usd_invoice = self._invoice(self.customer, 100.0, days(-10))
        eur_invoice = self._invoice(self.customer, 200.0, days(-12), currency=self.eur)
        self.assertEqual(eur_invoice.amount_residual_signed, 100.0)  # 200 EUR at 2.0
        run = self._run(days(0))
        self.assertEqual(run.email_count, 1)
        self.assertEqual((usd_invoice + eur_invoice).ar_followup_level_id, self.levels[7])
        partner = self.customer.with_company(self.company)
        self.assertAlmostEqual(partner.ar_amount_overdue, 200.0, places=2)
        self.assertEqual(self._account(partner).oldest_overdue_days, 12)
        statement = self._statement(partner, days(0))
        totals = {
            t["currency"].name: (round(t["open"], 2), round(t["overdue"], 2))
            for t in statement["totals"]
        }
        self.assertEqual(totals, {"USD": (100.0, 100.0), "EUR": (200.0, 200.0)})
        body = self._mails(self.customer).body_html
        self.assertIn("200.00", body)
        self.assertIn("Total EUR", body)
        self.assertIn("Total USD", body)

    def test_minimum_in_company_currency_for_foreign_invoices(self):
        self.levels[7].min_overdue_amount = 150.0
        eur_invoice = self._invoice(self.customer, 200.0, days(-10), currency=self.eur)
        self._run(days(0))  # 200 EUR = 100 USD < 150 USD
        self.assertFalse(eur_invoice.ar_followup_level_id)
        self.levels[7].min_overdue_amount = 100.0
        self._run(days(1))
        self.assertEqual(eur_invoice.ar_followup_level_id, self.levels[7])

    def test_partner_without_email_is_skipped_with_reason(self):
        self.levels[7].send_letter = "never"
        partner = self._customer("No Mail", email=False)
        invoice = self._invoice(partner, 100.0, days(-10))
        run = self._run(days(0))
        self.assertEqual(run.email_count, 0)
        self.assertEqual(run.skip_count, 1)
        skip = self._history(partner, "skip")
        self.assertIn("No e-mail address", skip.note)
        self.assertEqual(invoice.ar_followup_level_id, self.levels[7])
        self.assertIn(
            partner,
            self.env["res.partner"].search([("ar_contact_issue", "=", "no_email")]),
        )
        self.assertNotIn(
            self.customer,
            self.env["res.partner"].search([("ar_contact_issue", "=", "no_email")]),
        )

    def test_draft_and_vendor_bills_are_ignored(self):
        self._invoice(self.customer, 100.0, days(-10), post=False)
        self._invoice(self.customer, 100.0, days(-10), move_type="in_invoice")
        run = self._run(days(0))
        self.assertEqual(run.partner_count, 0)

    @freeze_time(D0)  # today: the day the figures are read for
    def test_amount_searches(self):
        self._invoice(self.customer, 100.0, days(-10))
        clean = self._customer("Clean")
        Partner = self.env["res.partner"]
        overdue = Partner.search([("ar_amount_overdue", ">", 0)])
        self.assertIn(self.customer, overdue)
        self.assertNotIn(clean, overdue)
        zero = Partner.search(
            [("ar_amount_due", "=", 0), ("id", "in", (clean | self.customer).ids)]
        )
        self.assertEqual(zero, clean)

    def test_an_override_of_the_exclusion_hook_holds_for_run_and_worklist(self):
        """Another module excludes invoices through ar.followup.rules._ar_candidate_exclusions:
        the run, the collector worklist and the status refresh honour it (the worklist once
        wrote its own copy of the conditions)."""
        kept = self._invoice(self._customer("Kept"), 100.0, days(-10))
        vetoed = self._invoice(self._customer("Vetoed"), 100.0, days(-10))
        original = ArFollowupRules._ar_candidate_exclusions

        def exclusions(run):
            return [*original(run), SQL("m.id != %s", vetoed.id)]

        with patch.object(ArFollowupRules, "_ar_candidate_exclusions", exclusions):
            with freeze_time(days(0)):
                action = self.env["ar.worklist.line"].action_worklist()
            worklist = self.env["ar.worklist.line"].search(action["domain"])
            run = self._run(days(0))
        self.assertEqual(run.email_count, 1)
        self.assertEqual(kept.ar_followup_level_id, self.levels[7])
        self.assertFalse(vetoed.ar_followup_level_id)
        self.assertFalse(vetoed.ar_next_followup_date)
        self.assertIn(kept.commercial_partner_id, worklist.partner_id)
        self.assertNotIn(vetoed.commercial_partner_id, worklist.partner_id)
