"""Dispute, payment plan and collection case are claims about a customer's invoices
(``ar.claim.mixin``, issue #30): one header (reference from the model's sequence, company,
the commercial customer, invoices) and one invoice side (a count and a smart button each),
the same for the three, also when created over RPC with a contact instead of the customer."""

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import days
from .test_collection_case import CollectionCaseCommon

CLAIMS = ("ar.dispute", "ar.payment.plan", "ar.collection.case")


@tagged("post_install", "-at_install")
class TestClaimMixin(CollectionCaseCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Emma Clarke", "parent_id": cls.customer.id, "email": "emma@example.com"}
        )

    def _claims(self, invoice):
        """A dispute and a plan made by the billing user and a case made by the credit
        manager, all three over RPC and naming the customer's contact."""
        values = {"partner_id": self.contact.id, "move_ids": [Command.set(invoice.ids)]}
        dispute = self._ok("arc_billing", "ar.dispute", "create", {**values, "reason": "quality"})
        plan = self._ok("arc_billing", "ar.payment.plan", "create", values)
        case = self._ok("ar_manager", "ar.collection.case", "create", values)
        return (
            self.env["ar.dispute"].browse(dispute),
            self.env["ar.payment.plan"].browse(plan),
            self.env["ar.collection.case"].browse(case),
        )

    def test_one_header_for_the_three_claims(self):
        for model in CLAIMS:
            self.assertIsInstance(self.env[model], self.registry["ar.claim.mixin"], model)
        invoice = self._invoice(self.customer, 500.0, days(-20))
        claims = self._claims(invoice)
        prefixes = ("DSP/", "PLAN/", "INC/")
        for claim, prefix in zip(claims, prefixes, strict=True):
            self.assertTrue(claim.name.startswith(prefix), claim.name)
            self.assertEqual(claim.partner_id, self.customer, "the company, not the contact")
            self.assertEqual(claim.company_id, self.company)
            self.assertEqual(claim.move_ids, invoice)
        # their tables are the ones they always had
        for table, column, claim in zip(
            ("ar_dispute_move_rel", "ar_payment_plan_move_rel", "ar_collection_case_move_rel"),
            ("dispute_id", "plan_id", "case_id"),
            claims,
            strict=True,
        ):
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT move_id FROM %s WHERE %s = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    claim.id,
                )
            )
            self.assertEqual(self.env.cr.fetchall(), [(invoice.id,)], table)

    def test_the_invoice_counts_and_opens_its_claims(self):
        invoice = self._invoice(self.customer, 500.0, days(-20))
        other = self._invoice(self.customer, 300.0, days(-10))
        dispute, plan, case = self._claims(invoice)
        second_plan = self.env["ar.payment.plan"].create(
            {"partner_id": self.customer.id, "move_ids": [Command.set((invoice + other).ids)]}
        )
        move = invoice.with_user(self.billing)
        self.assertEqual(
            (move.ar_dispute_count, move.ar_payment_plan_count, move.ar_collection_case_count),
            (1, 2, 1),
        )
        self.assertEqual(
            (other.ar_dispute_count, other.ar_payment_plan_count, other.ar_collection_case_count),
            (0, 1, 0),
        )
        # one claim: its form; several: their list
        action = move.action_ar_view_disputes()
        self.assertEqual((action["res_model"], action["res_id"]), ("ar.dispute", dispute.id))
        action = move.action_ar_view_collection_cases()
        self.assertEqual((action["res_model"], action["res_id"]), ("ar.collection.case", case.id))
        action = move.action_ar_view_payment_plans()
        self.assertEqual(action["res_model"], "ar.payment.plan")
        self.assertNotIn("res_id", action)
        self.assertEqual(self.env["ar.payment.plan"].search(action["domain"]), plan + second_plan)
        # the buttons are on the invoice's form, for the billing user
        arch = move.get_views([(False, "form")])["views"]["form"]["arch"]
        for method in (
            "action_ar_view_disputes",
            "action_ar_view_payment_plans",
            "action_ar_view_collection_cases",
        ):
            self.assertIn(f'name="{method}"', arch)
