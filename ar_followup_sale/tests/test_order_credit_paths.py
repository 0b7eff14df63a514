"""The credit decision on every path an order is confirmed, moved or raised by (issue #28),
attacked as the insider did: JSON-RPC as a salesperson and a billing user, Odoo's payment
post-processing as OdooBot. Each is refused with its reason and nothing is confirmed; the
"goods already delivered" exemption of the invoice holds only for the customer's own
deliveries, at the order's price."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import days

from .common import SaleCreditCase

SALES = "sales_team.group_sale_salesman_all_leads"


@tagged("post_install", "-at_install")
class TestOrderCreditPaths(SaleCreditCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._user("paths_salesman", "internal", groups=SALES, name="Sam Sales")
        cls.billing = cls._user("paths_billing", "billing", groups=SALES, name="Bea Billing")
        cls.held = cls._customer("Houthandel Jansen")
        cls.free = cls._customer("Free Customer")
        cls.product_a.invoice_policy = "delivery"

    def _hold(self, partner):
        self.env["ar.customer.account"]._ar_of(
            partner.with_company(self.company).sudo()
        )._ar_set_credit_hold("Final notice", days(0))

    def _state(self, order):
        order.invalidate_recordset(["state"])
        return order.state

    def _line(self, amount, qty=1):
        return Command.create(
            {
                "product_id": self.product_a.id,
                "product_uom_qty": qty,
                "price_unit": amount,
                "tax_id": [Command.clear()],
            }
        )

    def test_created_confirmed_is_refused_and_leaves_nothing(self):
        self._hold(self.held)
        Orders = self.env["sale.order"]
        message = self._refused(
            "paths_salesman",
            "sale.order",
            "create",
            {"partner_id": self.held.id, "state": "sale", "order_line": [self._line(2178.0)]},
        )
        self.assertIn("Houthandel Jansen is on credit hold (Final notice).", message)
        self.assertFalse(Orders.search([("partner_id", "=", self.held.id)]))
        self.assertFalse(
            self.env["stock.picking"].search([("partner_id", "=", self.held.id)]),
            "no delivery either",
        )

    def test_cancelled_then_written_confirmed_is_refused(self):
        self._hold(self.held)
        order = self._order(self.held, 2178.0, user=self.salesman)
        self._ok("paths_salesman", "sale.order", "action_cancel", [order.id])
        self.assertEqual(self._state(order), "cancel")
        self._refused("paths_salesman", "sale.order", "write", [order.id], {"state": "sale"})
        self.assertEqual(self._state(order), "cancel")
        # set back to a quotation and confirmed: the button refuses as well
        self._ok("paths_salesman", "sale.order", "action_draft", [order.id])
        self._refused("paths_salesman", "sale.order", "action_confirm", [order.id])
        self.assertEqual(self._state(order), "draft")

    def test_a_confirmed_order_moved_to_a_held_customer_is_refused(self):
        self._hold(self.held)
        order = self._order(self.free, 2178.0, user=self.salesman)
        self._ok("paths_salesman", "sale.order", "action_confirm", [order.id])
        self.assertEqual(self._state(order), "sale")
        for field in ("partner_id", "partner_invoice_id"):
            message = self._refused(
                "paths_salesman", "sale.order", "write", [order.id], {field: self.held.id}
            )
            self.assertIn("Only a credit-control manager can move this order to that", message)
        order.invalidate_recordset()
        self.assertEqual((order.partner_id, order.partner_invoice_id), (self.free, self.free))
        # an order to one customer, invoiced to a held one, is the held one's decision too
        quotation = self._order(self.free, 100.0, user=self.salesman)
        quotation.partner_invoice_id = self.held
        self._refused("paths_salesman", "sale.order", "action_confirm", [quotation.id])
        self.assertEqual(self._state(quotation), "draft")

    def test_lines_added_or_raised_on_a_confirmed_order_are_decided(self):
        order = self._order(self.held, 900.0, user=self.salesman)
        order.action_confirm()
        self._hold(self.held)
        total = order.amount_total
        self._refused(
            "paths_salesman", "sale.order", "write", [order.id], {"order_line": [self._line(18000)]}
        )
        self._refused(
            "paths_salesman",
            "sale.order.line",
            "write",
            order.order_line.ids,
            {"product_uom_qty": 20},
        )
        self._refused(
            "paths_salesman",
            "sale.order.line",
            "create",
            {"order_id": order.id, "product_id": self.product_a.id, "price_unit": 500.0},
        )
        order.invalidate_recordset()
        self.assertEqual(order.amount_total, total)
        self.assertEqual(len(order.order_line), 1)
        # lowering it, or a note, is no credit
        self._ok(
            "paths_salesman",
            "sale.order",
            "write",
            [order.id],
            {"order_line": [Command.create({"display_type": "line_note", "name": "Fragile"})]},
        )

    def test_the_block_limit_is_not_dodged_by_lines_added_after_confirmation(self):
        """900.00 confirmed under a 5,000.00 blocking limit, then 18,000.00 of lines added:
        refused (the exposure would be 18,900.00, 13,900.00 above)."""
        self.company.account_use_credit_limit = True
        self._set_credit(
            self.free.with_company(self.company).sudo(), credit_limit=5000.0, credit_policy="block"
        )
        order = self._order(self.free, 900.0, user=self.salesman)
        self._ok("paths_salesman", "sale.order", "action_confirm", [order.id])
        message = self._refused(
            "paths_salesman", "sale.order", "write", [order.id], {"order_line": [self._line(18000)]}
        )
        self.assertIn("the exposure of Free Customer is $\xa018,900.00", message)
        self.assertIn("by $\xa013,900.00", message)
        self.assertIn("Only a credit-control manager can add to this order.", message)

    def test_pay_to_confirm_asks_the_customers_own_share_and_the_cron_is_no_manager(self):
        """The salesman asks 5 % online of a held customer's 2,178.00 quotation, the customer
        pays 108.90; Odoo's post-processing (OdooBot) does not confirm it."""
        self._hold(self.held)
        order = self._order(self.held, 2178.0, user=self.salesman)
        self._ok(
            "paths_salesman",
            "sale.order",
            "write",
            [order.id],
            {"require_payment": True, "prepayment_percent": 0.05},
        )
        tx = self._pay_online(order, 108.9)
        self.assertEqual(self._state(order), "draft")
        self.assertTrue(tx.payment_id)
        self.assertFalse(order.message_ids.filtered(lambda m: "despite" in (m.body or "")))
        self.assertEqual(order.activity_ids.summary, "Paid online, stopped by the credit decision")
        # a customer whose own share is 5 %: its payment confirms it
        Account = self.env["ar.customer.account"]
        Account._ar_of(self.held.with_company(self.company))._ar_set_prepayment(
            0.05, "test", days(0)
        )
        second = self._order(self.held, 2178.0)
        self._pay_online(second, 108.9)
        self.assertEqual(self._state(second), "sale")

    def _delivered(self, order, quantity):
        picking = order.picking_ids
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking.with_context(picking_ids_not_to_backorder=picking.ids).button_validate()
        self.assertEqual(picking.state, "done")

    def test_the_goods_delivered_exemption_is_not_faked(self):
        # another customer's order, delivered
        theirs = self._order(self.free, 500.0)
        theirs.action_confirm()
        self._delivered(theirs, 1)
        # an order of Free invoiced to Jansen, confirmed and delivered before Jansen's hold
        billed = self._order(self.free, 500.0)
        billed.partner_invoice_id = self.held
        billed.action_confirm()
        self._delivered(billed, 1)
        self._hold(self.held)
        # 1: an invoice of Jansen whose line points at the other customer's delivered line
        forged = self._invoice(self.held, 500.0, days(30), post=False)
        forged.invoice_line_ids.write(
            {"product_id": self.product_a.id, "sale_line_ids": [Command.set(theirs.order_line.ids)]}
        )
        message = self._refused("paths_billing", "account.move", "action_post", [forged.id])
        self.assertIn("is on credit hold", message)
        # 2: the order of Free invoiced to Jansen
        invoice = billed._create_invoices()
        self.assertEqual(invoice.partner_id, self.held)
        self._refused("paths_billing", "account.move", "action_post", [invoice.id])
        # 3: a quantity typed on Jansen's own order delivers nothing
        own = self._order(self.held, 500.0)
        self.env["ar.credit.override"].with_user(self.credit_manager).create(
            {"res_model": "sale.order", "res_id": own.id, "reason": "Test"}
        )
        own.action_confirm()
        self._ok(
            "paths_salesman", "sale.order.line", "write", own.order_line.ids, {"qty_delivered": 1}
        )
        typed = own._create_invoices()
        self._refused("paths_billing", "account.move", "action_post", [typed.id])
        # 4: delivered for real, at a raised price: refused; at the order's price: posted
        self.env["ar.credit.override"].with_user(self.credit_manager).create(
            {"res_model": "stock.picking", "res_id": own.picking_ids.id, "reason": "Test"}
        )
        self._delivered(own, 1)
        typed.invoice_line_ids.price_unit = 5000.0
        self._refused("paths_billing", "account.move", "action_post", [typed.id])
        typed.invoice_line_ids.price_unit = 500.0
        self._ok("paths_billing", "account.move", "action_post", [typed.id])
        for move in (forged, invoice):
            move.invalidate_recordset(["state"])
            self.assertEqual(move.state, "draft")
        self.assertEqual(typed.state, "posted")

    # -- the second attack (issue #28, before resolving) ---------------------------------

    def test_confirmed_and_moved_in_one_write_is_decided_as_it_is_left(self):
        self._hold(self.held)
        for field in ("partner_id", "partner_invoice_id"):
            order = self._order(self.free, 100.0, user=self.salesman)
            self._refused(
                "paths_salesman",
                "sale.order",
                "write",
                [order.id],
                {"state": "sale", field: self.held.id},
            )
            order.invalidate_recordset()
            self.assertEqual((order.state, order.partner_id), ("draft", self.free))

    def test_a_payment_counts_only_as_its_flow_linked_it_and_only_the_customers_own(self):
        self._hold(self.held)
        free_order = self._order(self.free, 500.0)
        tx = self._pay_online(free_order, 500.0)
        order = self._order(self.held, 100.0, user=self.salesman)
        message = self._refused(
            "paths_salesman",
            "sale.order",
            "write",
            [order.id],
            {"transaction_ids": [Command.link(tx.id)]},
        )
        self.assertIn("linked by the payment itself", message)
        # linked all the same (as the superuser could): another customer's payment is none
        order.sudo().transaction_ids = [Command.link(tx.id)]
        self._refused("paths_salesman", "sale.order", "action_confirm", [order.id])
        self.assertEqual(self._state(order), "draft")

    def test_more_goods_at_the_same_amount_are_decided(self):
        order = self._order(self.held, 100.0)
        order.action_confirm()
        self._hold(self.held)
        line = order.order_line
        # 1 x 100.00 becomes 100 x 1.00; 100 more at no price
        self._refused(
            "paths_salesman",
            "sale.order.line",
            "write",
            line.ids,
            {"product_uom_qty": 100, "price_unit": 1.0},
        )
        self._refused(
            "paths_salesman",
            "sale.order.line",
            "create",
            {
                "order_id": order.id,
                "product_id": self.product_a.id,
                "product_uom_qty": 100,
                "price_unit": 0.0,
            },
        )
        line.invalidate_recordset()
        self.assertEqual((line.product_uom_qty, len(order.order_line)), (1, 1))

    def test_an_override_covers_the_order_as_it_was(self):
        self._hold(self.held)
        order = self._order(self.held, 100.0, user=self.salesman)
        self.env["ar.credit.override"].with_user(self.credit_manager).create(
            {"res_model": "sale.order", "res_id": order.id, "reason": "100.00 only"}
        )
        order.order_line.product_uom_qty = 1000
        self._refused("paths_salesman", "sale.order", "action_confirm", [order.id])
        order.order_line.write({"product_uom_qty": 1, "price_unit": 100.0})
        self._ok("paths_salesman", "sale.order", "action_confirm", [order.id])
        self.assertEqual(self._state(order), "sale")

    # -- the third attack (issue #28, before resolving) ----------------------------------

    def test_an_order_created_with_a_payment_or_paid_by_another_orders_payment_is_decided(self):
        self._hold(self.held)
        old = self._order(self.held, 100.0)
        tx = self._transaction(self.held, 100.0, "OLD-PAYMENT", orders=old)
        message = self._refused(
            "paths_salesman",
            "sale.order",
            "create",
            {
                "partner_id": self.held.id,
                "order_line": [self._line(100.0)],
                "transaction_ids": [Command.set(tx.ids)],
            },
        )
        self.assertIn("linked by the payment itself", message)
        # a payment made for another order counts for that one only
        order = self._order(self.held, 100.0, user=self.salesman)
        tx.sudo().sale_order_ids = [Command.link(order.id)]
        self._refused("paths_salesman", "sale.order", "action_confirm", [order.id])
        self.assertEqual(self._state(order), "draft")

    def test_more_goods_by_packaging_or_unit_are_decided(self):
        order = self._order(self.held, 100.0)
        order.action_confirm()
        self._hold(self.held)
        packaging = self.env["product.packaging"].create(
            {"name": "Box of 100", "product_id": self.product_a.id, "qty": 100}
        )
        line = order.order_line
        self._refused(
            "paths_salesman",
            "sale.order.line",
            "write",
            line.ids,
            {"product_packaging_id": packaging.id, "product_packaging_qty": 2},
        )
        dozens = self.env.ref("uom.product_uom_dozen")
        self._refused(
            "paths_salesman",
            "sale.order.line",
            "write",
            line.ids,
            {"product_uom": dozens.id, "price_unit": 100.0},
        )
        line.invalidate_recordset()
        self.assertEqual((line.product_uom_qty, line.product_uom), (1, self.product_a.uom_id))

    # -- the fourth look (issue #28, before resolving) -----------------------------------

    def test_lines_moved_into_a_confirmed_order_are_decided(self):
        """A line of another quotation (or of another customer's confirmed order) moved into
        a held customer's confirmed order, by the line's order or the order's lines."""
        order = self._order(self.held, 100.0)
        order.action_confirm()
        self._hold(self.held)
        other = self._order(self.free, 10000.0, user=self.salesman)
        theirs = self._order(self.free, 10000.0, user=self.salesman)
        theirs.action_confirm()
        for line in (other.order_line, theirs.order_line):
            self._refused(
                "paths_salesman", "sale.order.line", "write", line.ids, {"order_id": order.id}
            )
            self._refused(
                "paths_salesman",
                "sale.order",
                "write",
                order.ids,
                {"order_line": [Command.link(line.id)]},
            )
        order.invalidate_recordset()
        self.assertEqual((order.amount_total, len(order.order_line)), (100.0, 1))
