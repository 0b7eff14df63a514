"""The whole way of a reminder's payment link (issue #18), in a real browser: the customer
opens the statement link of the reminder without logging in, pays all overdue invoices in one
online payment with Odoo's demo provider, and the next run finds nothing to chase.

A browser runs on the real clock: the dates here are counted from today, not pinned."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestPayAllTour(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider, cls.method = cls._demo_provider()

    def test_tour_pay_all_overdue_from_the_reminder_link(self):
        today = fields.Date.context_today(self.env.user)
        first = self._invoice(self.customer, 100.0, today - timedelta(days=20))
        second = self._invoice(self.customer, 250.5, today - timedelta(days=10))
        not_due = self._invoice(self.customer, 40.0, today + timedelta(days=10))
        self._run(today)
        self.assertTrue(self.customer.ar_followup_level_id, "the reminder went out")
        link = self.env["ar.statement.link"].search([("partner_id", "=", self.customer.id)])
        mail = self.env["mail.mail"].search([("res_id", "=", self.customer.id)], limit=1)
        self.assertIn(link._ar_url(), mail.body_html, "the reminder carries the link")

        self.start_tour(f"/statement/{link.token}", "ar_followup_pay_all_overdue")

        tx = self.env["payment.transaction"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(tx), 1)
        self.assertEqual((tx.state, tx.amount), ("done", 350.5))
        self.assertEqual(tx.invoice_ids, first + second, "exactly the overdue invoices")
        if not tx.is_post_processed:
            tx._post_process()  # the status page did it, unless the tour left before
        self.assertEqual((first + second).mapped("amount_residual"), [0.0, 0.0])
        self.assertEqual(not_due.amount_residual, 40.0)
        # the next run: nothing overdue, the customer's level is reset
        self._run(today + timedelta(days=1))
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.ar_followup_level_id)
