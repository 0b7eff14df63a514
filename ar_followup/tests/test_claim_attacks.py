"""The claims attacked as an insider and a customer would (issue #33's attack round on the
claim mixin): a billing user over JSON-RPC cannot set a plan or a dispute's state, outcome or
reference, move it to another customer, nor change the invoices or instalments of an approved
plan; their buttons still work. A logged-in customer disputing another customer's invoice with
its link writes as that invoice's customer, and follows nothing."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, csrf_token_in, days


@tagged("post_install", "-at_install")
class TestClaimAttacks(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._user("clm_billing", "billing", password="clm_billing")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Emma Clarke", "parent_id": cls.customer.id, "email": "emma@example.com"}
        )
        cls.other = cls._customer("Customer Two")

    def _plan(self, state="active"):
        invoice = self._invoice(self.customer, 600.0, days(-20))
        with freeze_time(days(0)):
            plan = self.env["ar.payment.plan"].create(
                {"partner_id": self.customer.id, "move_ids": [Command.set(invoice.ids)]}
            )
            plan._set_instalments(2, days(10))
            if state == "active":
                plan.action_activate()
        return plan, invoice

    def test_a_plan_changes_only_through_its_buttons(self):
        plan, invoice = self._plan()
        paid = self._invoice(self.customer, 100.0, days(-20))
        self._pay(paid, 100.0, on=days(0))
        for vals in (
            {"state": "draft"},
            {"date_start": "2026-01-01"},
            {"requested_by_customer": True},
            {"name": "PLAN-DUP"},
            {"move_ids": [Command.link(paid.id)]},
            {"line_ids": [Command.create({"date": "2027-01-01", "amount": 1.0})]},
            {"partner_id": self.other.id},
        ):
            self._refused("clm_billing", "ar.payment.plan", "write", plan.ids, vals)
        line = plan.line_ids[0]
        self._refused("clm_billing", "ar.payment.plan.line", "write", line.ids, {"amount": 1.0})
        self._refused("clm_billing", "ar.payment.plan.line", "unlink", line.ids)
        self._refused(
            "clm_billing",
            "ar.payment.plan.line",
            "create",
            {"plan_id": plan.id, "date": "2027-01-01", "amount": 1.0},
        )
        # born active, over paid invoices: refused
        self._refused(
            "clm_billing",
            "ar.payment.plan",
            "create",
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(paid.ids)],
                "state": "active",
            },
        )
        plan.invalidate_recordset()
        self.assertEqual((plan.state, plan.move_ids), ("active", invoice))
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0, 300.0])
        # the buttons still work for the billing user
        self._ok("clm_billing", "ar.payment.plan", "action_cancel", plan.ids)
        self.assertEqual(plan.state, "cancelled")
        draft, _invoice = self._plan(state="draft")
        self._ok(
            "clm_billing",
            "ar.payment.plan.line",
            "write",
            draft.line_ids[:1].ids,
            {"amount": 250.0},
        )
        self._ok(
            "clm_billing",
            "ar.payment.plan.line",
            "write",
            draft.line_ids[1:].ids,
            {"amount": 350.0},
        )
        with freeze_time(days(0)):
            self._ok("clm_billing", "ar.payment.plan", "action_activate", draft.ids)
        self.assertEqual(draft.state, "active")

    def test_a_dispute_keeps_its_customer_reference_and_outcome(self):
        invoice = self._invoice(self.customer, 400.0, days(-10))
        values = {"partner_id": self.contact.id, "move_ids": [Command.set(invoice.ids)]}
        dispute = self.env["ar.dispute"].browse(
            self._ok(
                "clm_billing",
                "ar.dispute",
                "create",
                {**values, "reason": "quality", "name": "DSP/FAKE"},
            )
        )
        self.assertTrue(dispute.name.startswith("DSP/"), "the sequence's, not the client's")
        self.assertNotEqual(dispute.name, "DSP/FAKE")
        self.assertEqual(dispute.partner_id, self.customer)
        for vals in (
            {"state": "resolved"},
            {"escalated": True},
            {"date_resolved": "2026-03-02"},
            {"name": "DSP/2026/0001"},
            {"partner_id": self.other.id},
        ):
            self._refused("clm_billing", "ar.dispute", "write", dispute.ids, vals)
        self._refused(
            "clm_billing",
            "ar.dispute",
            "create",
            {**values, "reason": "quality", "state": "resolved"},
        )
        # the customer's own contact names the same customer: kept as the company
        self._ok("clm_billing", "ar.dispute", "write", dispute.ids, {"partner_id": self.contact.id})
        dispute.invalidate_recordset()
        self.assertEqual((dispute.partner_id, dispute.state), (self.customer, "new"))
        # its buttons
        self._ok("clm_billing", "ar.dispute", "action_start", dispute.ids)
        self.assertEqual(dispute.state, "in_progress")
        with freeze_time(days(0)):
            self._ok(
                "clm_billing", "ar.dispute", "action_reject", dispute.ids, "Delivered as ordered"
            )
        self.assertEqual(dispute.state, "rejected")

    def test_another_customers_user_disputes_as_that_customer(self):
        """Logged in as customer A's portal user, with customer B's invoice link: the dispute
        is B's, written as B, and A's contact follows nothing of it."""
        self._user("clm_portal", "portal", password="clm_portal", partner_id=self.contact.id)
        invoice = self._invoice(self.other, 300.0, days(-10))
        invoice._portal_ensure_token()
        url = f"/my/invoices/{invoice.id}/dispute?access_token={invoice.access_token}"
        self.authenticate("clm_portal", "clm_portal")
        page = self.url_open(url)
        response = self.url_open(
            url,
            data={
                "csrf_token": csrf_token_in(page.text),
                "reason": "quality",
                "description": "Not ours to dispute",
                "amount": "10",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        dispute = invoice.ar_dispute_ids
        self.assertEqual(dispute.partner_id, self.other)
        own = dispute.message_ids.filtered(lambda m: "Not ours" in (m.body or ""))
        self.assertEqual(own.author_id, invoice.partner_id)
        self.assertNotIn(self.contact, dispute.message_partner_ids)
        self.assertNotIn(self.customer, dispute.message_partner_ids)
