"""An invoice being collected by direct debit is not chased (D0 = Monday 2026-03-02; the
CORE return window is 8 working days: a debit collected on D0 may come back up to Thursday
2026-03-12)."""

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import DirectDebitCase, days


@tagged("post_install", "-at_install")
class TestCollecting(DirectDebitCase):
    def test_the_invoice_carries_the_mode_and_the_mandate(self):
        invoice = self._invoice(self.customer, 1210.0, days(0))
        self.assertEqual(invoice.payment_mode_id, self.mode)
        self.assertEqual(invoice.mandate_id, self.mandate)

    def test_not_chased_until_the_return_window_is_over(self):
        invoice = self._invoice(self.customer, 1210.0, days(0))
        other = self._invoice(self.customer, 500.0, days(0))
        other.mandate_id = False  # this one is paid by transfer
        statement = self._statement(self.customer, days(10))
        lines = {line["move"]: line for line in statement["lines"]}
        self.assertEqual(lines[invoice]["direct_debit"], days(0))
        self.assertFalse(lines[invoice]["overdue"])
        self.assertTrue(lines[other]["overdue"])
        self.assertEqual(statement["totals"][0]["overdue"], 500.0, "only the transfer is asked")
        payable = self.env["ar.followup.statement"]._ar_payable(
            self.customer, self.company, days(10)
        )
        self.assertEqual(sum(payable.values(), self.env["account.move"]), other)
        # the run chases the transfer only, up to the window's last day (Thursday 12 March)
        self._run(days(10))
        self.assertEqual(self._history(self.customer, "email").move_ids, other)
        self.assertFalse(
            self.env["account.move"]._ar_dd_collections(days(13), invoice.ids),
            "the window is over on Friday 13 March: the debit was never collected",
        )
        self.assertEqual(
            self.env["account.move"]._ar_dd_collections(days(10), invoice.ids),
            {invoice.id: days(0)},
        )

    def test_no_days_overdue_beside_a_debit_under_way(self):
        """Past its collection date, its debit still under way (the return window): the
        statement's row says "collected by direct debit on D" and no days overdue (a new
        user's trial read "3" beside the debit's date); the transfer is 3 days late."""
        invoice = self._invoice(self.customer, 1210.0, days(0))
        other = self._invoice(self.customer, 500.0, days(0))
        other.mandate_id = False
        statement = self._statement(self.customer, days(3))
        html = self.env["ir.qweb"]._render(
            "ar_followup.followup_open_items", {"statement": statement, "ar_lang": None}
        )
        cells = {
            row.xpath("string(td[1])").split()[0]: row.xpath("string(td[5])").strip()
            for row in etree.fromstring(str(html)).xpath("//tbody/tr")
        }
        self.assertEqual(cells, {invoice.name: "", other.name: "3"})
        self.assertIn("collected by direct debit on", str(html))

    def test_b2b_window_is_shorter(self):
        self.mandate.scheme = "B2B"
        invoice = self._invoice(self.customer, 100.0, days(0))
        Move = self.env["account.move"]
        self.assertTrue(Move._ar_dd_collections(days(2), invoice.ids))  # Wednesday 4 March
        self.assertFalse(Move._ar_dd_collections(days(3), invoice.ids))

    def test_mandate_states(self):
        invoice = self._invoice(self.customer, 100.0, days(0))
        Move = self.env["account.move"]
        self.assertTrue(Move._ar_dd_collections(days(5), invoice.ids), "valid")
        self.mandate.cancel()
        self.assertFalse(Move._ar_dd_collections(days(5), invoice.ids), "cancelled")
        self.mandate.back2draft()
        self.assertFalse(Move._ar_dd_collections(days(5), invoice.ids), "draft")
        self.mandate.validate()
        self.assertTrue(Move._ar_dd_collections(days(5), invoice.ids), "valid again")
        self.mandate.state = "expired"
        self.assertFalse(Move._ar_dd_collections(days(5), invoice.ids), "expired")

    def test_in_a_payment_order_not_done_whatever_the_date(self):
        invoice = self._invoice(self.customer, 1210.0, days(0))
        order = self._collect(invoice, upload=False)
        self.assertEqual(order.state, "generated")
        Move = self.env["account.move"]
        self.assertTrue(Move._ar_dd_collections(days(40), invoice.ids))
        self._run(days(40))
        self.assertFalse(self._history(self.customer, "email"))
        order.generated2uploaded()
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_the_claim_a_reminder_announces_leaves_the_debit_out(self):
        """The 14-day letter announces costs on the invoices it claims: the transfer, not the
        invoice being debited (1,210.00 on D0 being collected; 500.00 by transfer)."""
        self._invoice(self.customer, 1210.0, days(0))
        other = self._invoice(self.customer, 500.0, days(0))
        other.mandate_id = False
        reminder = self.env["ar.followup.reminder"].new(
            {"company_id": self.company.id, "date": days(10), "partner_id": self.customer.id}
        )
        self.assertEqual(reminder._ar_claim_preview(self.customer)[1], 500.0)

    def test_the_preview_says_no_reminder_goes_out(self):
        """The reminder preview of a customer whose overdue invoices are all being debited
        says that none goes out, and when the debit collects; with a transfer overdue beside
        them, it says nothing (that reminder goes out, for the transfer)."""
        self._invoice(self.customer, 1210.0, days(0))
        with freeze_time(days(5)):
            preview = self.env["ar.followup.preview"].create({"partner_id": self.customer.id})
            self.assertIn("being collected by direct debit", preview.unchased_note)
            self.assertIn("03/02/2026", preview.unchased_note)
            other = self._invoice(self.customer, 500.0, days(0))
            other.mandate_id = False
            preview = self.env["ar.followup.preview"].create({"partner_id": self.customer.id})
            self.assertFalse(preview.unchased_note)
        with freeze_time(days(20)):  # the window is over: both are chased
            preview = self.env["ar.followup.preview"].create({"partner_id": self.customer.id})
            self.assertFalse(preview.unchased_note)

    def test_the_courtesy_preview_of_a_debited_customer(self):
        """Nothing overdue, its one invoice to be debited: no courtesy reminder goes out, and
        the preview says so (a new user's trial: it showed 'please transfer')."""
        self._invoice(self.customer, 1210.0, days(10))
        with freeze_time(days(5)):
            preview = self.env["ar.followup.preview"].create({"partner_id": self.customer.id})
            self.assertIn("being collected by direct debit", preview.unchased_note)

    def test_no_payment_plan_over_a_debited_invoice(self):
        """The invoices a customer may ask a payment plan for leave out those being debited
        (a new user's trial: the statement offered a plan over them)."""
        debited = self._invoice(self.customer, 1210.0, days(0))
        Plan = self.env["ar.payment.plan"].sudo()
        with freeze_time(days(5)):
            self.assertFalse(Plan._ar_portal_invoices(self.customer))
            other = self._invoice(self.customer, 500.0, days(0))
            other.mandate_id = False
            self.assertEqual(Plan._ar_portal_invoices(self.customer), other)
        with freeze_time(days(20)):  # the window is over: the debit never came, both may
            self.assertEqual(Plan._ar_portal_invoices(self.customer), debited | other)

    def test_send_reminder_now_names_the_debit(self):
        """'Send reminder now' to a customer whose invoices are all being debited says that
        is why nothing went out (a new user's trial: it gave the generic reason)."""
        self._invoice(self.customer, 1210.0, days(0))
        with freeze_time(days(5)):
            action = self.customer.action_ar_send_reminder()
        self.assertIn("being collected by direct debit", action["params"]["message"])
        self.assertIn("03/02/2026", action["params"]["message"])
