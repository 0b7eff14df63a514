"""The credit decision at the sales order (issue #19): a hold or a blocked credit limit stops
the confirmation of the order, before the goods leave, not the invoice after."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import days

from .common import SaleCreditCase

SALES = "sales_team.group_sale_salesman_all_leads"


@tagged("post_install", "-at_install")
class TestOrderCredit(SaleCreditCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._user("ars_salesman", "internal", groups=SALES, name="Sam Sales")
        cls.manager = cls._user("ars_manager", "credit_manager", groups=SALES, name="Cora Credit")
        cls.company.account_use_credit_limit = True

    def _hold(self, partner, company=None):
        self.env["ar.customer.account"]._ar_of(
            partner.with_company(company or self.company).sudo()
        )._ar_set_credit_hold("Invoices 60 days overdue", days(0))

    def test_hold_stops_the_confirmation_and_a_manager_overrides(self):
        self._hold(self.customer)
        order = self._order(self.customer, 500.0, user=self.salesman)
        self.assertTrue(order.ar_partner_credit_hold)
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        message = str(error.exception)
        self.assertIn("Customer One is on credit hold (Invoices 60 days overdue).", message)
        self.assertIn("Only a credit-control manager can confirm this order.", message)
        self.assertEqual(order.state, "draft")
        # the manager is asked for a reason first (#28), which the log keeps
        self._go_ahead(order, self.manager, "Deposit received in cash")
        self.assertEqual(order.state, "sale")
        log = order.message_ids.filtered(lambda m: "despite" in (m.body or ""))
        self.assertIn("Confirmed by Cora Credit despite:", log.body)
        self.assertIn("credit hold", log.body)
        self.assertIn("Reason: Deposit received in cash", log.body)

    def test_block_policy_stops_above_the_limit_with_the_figures(self):
        self._set_credit(self.customer.sudo(), credit_limit=1000.0, credit_policy="block")
        self._invoice(self.customer, 800.0, days(10))  # open receivable 800.00
        # 800.00 + 300.00 = 1,100.00: 100.00 above the limit
        order = self._order(self.customer, 300.0, lines=3)
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        self.assertIn(
            f"Confirming {order.name} takes the exposure of Customer One to", str(error.exception)
        )
        for figure in ("1,100.00", "1,000.00", "100.00"):
            self.assertIn(figure, str(error.exception))
        # 800.00 + 200.00 = the limit itself: confirmed
        small = self._order(self.customer, 200.0)
        small.with_user(self.salesman).action_confirm()
        self.assertEqual(small.state, "sale")
        # now 200.00 are to invoice: 800 + 200 + 1.00 goes above
        again = self._order(self.customer, 1.0)
        with self.assertRaises(UserError):
            again.with_user(self.salesman).action_confirm()

    def test_warn_policy_warns_and_confirms(self):
        self._set_credit(self.customer.sudo(), credit_limit=100.0, credit_policy="warn")
        self._invoice(self.customer, 800.0, days(10))
        order = self._order(self.customer, 300.0)
        self.assertTrue(order.partner_credit_warning)  # Odoo's banner
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_hold_in_one_company_never_blocks_another(self):
        other = self.setup_other_company(name="Sales B")["company"]
        self.salesman.sudo().company_ids = [Command.link(other.id)]
        self._hold(self.customer)
        order = self._order(self.customer, 500.0, company=other)
        self.assertFalse(order.ar_partner_credit_hold)
        order.with_user(self.salesman).with_company(other).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_over_rpc_the_salesman_can_neither_confirm_nor_lift(self):
        self._hold(self.customer)
        order = self._order(self.customer, 500.0)
        result = self._rpc(
            "ars_salesman",
            "sale.order",
            "action_confirm",
            [order.id],
            context={
                "allowed_company_ids": self.company.ids,
                "ar_followup_paid_confirmation": True,
            },
        )
        self.assertEqual(result[0], "error", result)
        self.assertEqual(order.state, "draft")
        # nor by writing the state: Odoo's confirmation writes it, so the check is there
        result = self._rpc("ars_salesman", "sale.order", "write", [order.id], {"state": "sale"})
        self.assertEqual(result[0], "error", result)
        self.assertIn("is on credit hold", result[2])
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).write({"ar_credit_hold": False})
        self.assertTrue(self.customer.ar_credit_hold)

    def test_the_check_costs_the_same_whatever_the_lines(self):
        self._set_credit(self.customer.sudo(), credit_limit=100000.0, credit_policy="block")
        warm = self._order(self.customer, 100.0, lines=1)
        few = self._order(self.customer, 100.0, lines=1)
        many = self._order(self.customer, 100.0, lines=60)
        self.env.invalidate_all()
        warm._ar_check_credit()  # caches of the first check (currency rates, groups)
        counts = []
        for order in (few, many):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            order._ar_check_credit()
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1], counts)

    def test_portal_quotation_says_why_and_cannot_be_accepted(self):
        self._hold(self.customer)
        order = self._order(self.customer, 500.0)
        order.require_payment = False
        order.require_signature = True
        self.assertFalse(order._has_to_be_signed())
        page = self.url_open(order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_ar_portal_credit_hold", page.text)
        self.assertNotIn("Accept &amp; Sign", page.text)

    def test_paid_to_confirm_is_confirmed_despite_the_hold_only_when_paid_in_full(self):
        """A held customer without a prepayment share of its own: paying online what the
        quotation asks (30 %, which a salesperson may write) is no exemption (#28, item 6);
        the payment is processed, the quotation waits, the manager is asked. Paid in full,
        it is confirmed."""
        self._hold(self.customer)
        order = self._order(self.customer, 500.0, user=self.salesman)
        order.with_user(self.salesman).write({"require_payment": True, "prepayment_percent": 0.3})
        tx = self._pay_online(order, 150.0)
        self.assertEqual(order.state, "draft")
        self.assertTrue(tx.payment_id, "the payment itself is processed")
        self.assertTrue(tx.is_post_processed)
        note = order.message_ids.filtered(lambda m: "paid online" in (m.body or ""))
        self.assertIn("the order is not confirmed", note.body)
        self.assertIn("is on credit hold", note.body)
        activity = order.activity_ids
        self.assertEqual(activity.summary, "Paid online, stopped by the credit decision")
        self.assertEqual(activity.user_id, self.company._ar_credit_manager())
        # the whole order paid: it goes
        full = self._order(self.customer, 500.0)
        full.write({"require_payment": True, "prepayment_percent": 1.0})
        self._pay_online(full, 500.0)
        self.assertEqual(full.state, "sale")

    def _delivered_invoice(self, quantity_delivered, customer=None):
        """An order of 2 x 250.00 confirmed before the hold, ``quantity_delivered`` of it
        delivered by its transfer, invoiced for the 2 ordered (a draft invoice)."""
        customer = customer or self.customer
        order = self._order(customer, 500.0)
        order.order_line.product_uom_qty = 2
        order.order_line.price_unit = 250.0
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = quantity_delivered
        picking.move_ids.picked = True
        picking.with_context(picking_ids_not_to_backorder=picking.ids).button_validate()
        invoice = order._create_invoices(final=True)
        invoice.invoice_line_ids.quantity = 2
        return invoice

    def test_the_invoice_of_delivered_goods_is_never_stopped(self):
        self.product_a.invoice_policy = "order"
        billing = self._user("ars_billing", "billing", name="Bea Billing")
        delivered, partly, again = (self._delivered_invoice(qty) for qty in (2, 1, 2))
        self._hold(self.customer)
        delivered.with_user(billing).action_post()
        self.assertEqual(delivered.state, "posted")
        # not all of it delivered: the invoice asks for goods still in the warehouse
        with self.assertRaises(UserError):
            partly.with_user(billing).action_post()
        # the company keeps the check on invoices of delivered goods
        self.company.ar_credit_check_delivered = True
        with self.assertRaises(UserError):
            again.with_user(billing).action_post()

    def test_tour_the_manager_confirms_with_a_reason(self):
        """In the browser: the button opens the override's dialog naming the hold, which
        asks the reason; the order is confirmed and the chatter keeps it (issue #28)."""
        self._hold(self.customer)
        order = self._order(self.customer, 500.0, user=self.salesman)
        self.start_tour(
            f"/odoo/sales/{order.id}", "ar_followup_sale_credit_override", login="ars_manager"
        )
        self.assertEqual(order.state, "sale")
        override = self.env["ar.credit.override"].search([("res_id", "=", order.id)])
        self.assertEqual(
            (override.res_model, override.user_id, override.reason, override.state),
            ("sale.order", self.manager, "Deposit received in cash", "used"),
        )
