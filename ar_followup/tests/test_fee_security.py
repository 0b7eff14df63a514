"""The collection costs attacked (issue #16): what a user who is not the credit-control manager
can do to what is charged, over JSON-RPC as the web client calls it, and bad input."""

import math
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFeeSecurity(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("fee_attacker", "billing", password="fee_attacker")
        cls.eur = cls.setup_other_currency("EUR", rates=[("2020-01-01", 1.0)])

    def _denied(self, *call):
        return self._rpc(*call)[:2] == ("error", "odoo.exceptions.AccessError")

    def test_charges_cannot_be_unlinked_nor_a_fee_invoice_unmade(self):
        self.levels[7].charge_interest = True
        self.levels[14].charge_interest = True
        invoice = self._invoice(self.customer, 10000.0, date(2025, 1, 31))
        self._run(date(2025, 2, 8))  # 24.44 interest
        fee = self._history(self.customer, "fee")
        self.assertEqual(fee.interest_amount, 24.44)
        unlink = [[Command.UNLINK, fee.id, 0]]
        self.assertTrue(
            self._denied(
                "fee_attacker",
                "account.move",
                "write",
                invoice.ids,
                {"ar_followup_history_ids": unlink},
            )
        )
        self.assertTrue(
            self._denied(
                "fee_attacker",
                "account.move",
                "write",
                fee.fee_move_id.ids,
                {"ar_is_fee_invoice": False},
            )
        )
        self.assertEqual(invoice.ar_followup_history_ids & fee, fee)
        self.assertTrue(fee.fee_move_id.ar_is_fee_invoice)
        self._run(date(2025, 2, 15))  # 45.82 accrued, 24.44 charged before: 21.38
        self.assertEqual(self._history(self.customer, "fee")[-1].interest_amount, 21.38)
        # an invoice can still be copied (its follow-up history stays with the original)
        copy = invoice.copy()
        self.assertFalse(copy.ar_followup_history_ids)

    def test_the_public_computations_are_for_internal_users(self):
        portal = self._user("fee_portal", "portal", password="fee_portal")
        self.assertTrue(self._denied("fee_portal", "ar.fee", "nl_wik", 1000.0))
        self.assertEqual(self._rpc("fee_attacker", "ar.fee", "nl_wik", 1000.0), ("ok", 150.0))
        for args in (("abc",), (math.inf,), (None,)):
            with self.assertRaises(UserError):
                self.env["ar.fee"].with_user(self.billing).nl_wik(*args)
        with self.assertRaises(UserError):
            self.env["ar.fee"].with_user(self.billing).interest(
                100.0, "2026-01-01", "2026-02-01", "nl_commercial"
            )
        with self.assertRaises(AccessError):
            self.env["ar.fee"].with_user(portal).be_consumer(100.0)

    def test_derived_rates_stay_derived_for_a_manager_too(self):
        row = self.env.ref("ar_followup.rate_nl_commercial_2025_01")
        Rate = self.env["ar.interest.rate"].with_user(self.credit_manager)
        with self.assertRaises(UserError):
            row.with_user(self.credit_manager).with_context(ar_derive=True).write({"rate": 55.0})
        with self.assertRaises(UserError):
            Rate.with_context(ar_derive=True).create(
                {"kind": "be_commercial", "date_from": "2030-01-01", "rate": 77.0}
            )
        self.assertEqual(row.rate, 11.15)

    def test_bad_rates_and_amounts_are_refused_clearly(self):
        Rate = self.env["ar.interest.rate"].with_user(self.credit_manager)
        for vals in (
            {"kind": "ecb_refi", "date_from": "2030-07-01", "rate": math.nan},
            {"kind": "ecb_refi", "date_from": "2030-07-01", "rate": math.inf},
            {"kind": "ecb_refi", "date_from": "2030-07-01", "rate": 95.0},
            {"kind": "ecb_refi", "date_from": "9999-07-01", "rate": 2.0},
            {"kind": "be_legal", "date_from": "0001-01-01", "rate": 2.0},
            {"kind": "ecb_refi", "date_from": "2026-01-01", "rate": 2.0},  # there is one
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Rate.create(vals)
        ecb = self.env.ref("ar_followup.rate_ecb_refi_2025_07")
        with self.assertRaises(ValidationError):
            ecb.with_user(self.credit_manager).date_from = "2026-01-01"
        company = self.company.with_user(self.credit_manager).sudo()
        for amount in (math.nan, 1e20, -1.0):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                company.write({"ar_costs_b2b": "fixed", "ar_costs_b2b_fixed": amount})

    def test_a_claim_charged_in_two_parts_costs_no_more(self):
        """A 14-day letter names A and B (100 each) and announces WIK(200) = 40; B is in a
        payment plan when the term ends: A is charged 40; when B comes back, the claim
        costs WIK(200) = 40 in all: nothing more."""
        self._make_fourteen_day_letter(self.levels[14], charge_costs=True)
        consumer = self._customer("Split Claim", is_company=False)
        first = self._invoice(consumer, 100.0, days(-8), currency=self.eur)
        second = self._invoice(consumer, 100.0, days(-8), currency=self.eur)
        self._run(days(0))
        self._run(days(7))  # the 14-day letter names both
        second.sudo().ar_followup_excluded = True  # e.g. in a plan for a while
        self._run(days(22))
        costs = self._history(consumer, "fee").filtered("fee_amount")
        self.assertEqual((costs.fee_amount, costs.move_ids), (40.0, first))
        second.sudo().ar_followup_excluded = False
        self._run(days(23))
        self._run(days(30))
        costs = self._history(consumer, "fee").filtered("fee_amount")
        self.assertEqual(sum(costs.mapped("fee_amount")), 40.0)
        self.assertTrue(second.ar_followup_state_ids.costs_date, "its share is settled")
