"""The credit decision at the delivery (issue #19): goods do not leave for a customer on
credit hold; receipts, internal transfers and returns are never stopped."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase, days

STOCK = "stock.group_stock_user"


@tagged("post_install", "-at_install")
class TestDeliveryCredit(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._user("ars_clerk", "internal", groups=STOCK, name="Wim Warehouse")
        cls.manager = cls._user(
            "ars_stock_manager", "credit_manager", groups=STOCK, name="Cora Credit"
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create({"name": "Pallet", "type": "consu"})

    def _transfer(self, partner, kind="out", company=None):
        company = company or self.company
        warehouse = (
            self.warehouse
            if company == self.company
            else self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        )
        picking_type = {
            "out": warehouse.out_type_id,
            "in": warehouse.in_type_id,
            "int": warehouse.int_type_id,
        }[kind]
        customers = self.env.ref("stock.stock_location_customers")
        suppliers = self.env.ref("stock.stock_location_suppliers")
        source, dest = {
            "out": (warehouse.lot_stock_id, customers),
            "in": (suppliers, warehouse.lot_stock_id),
            "int": (warehouse.lot_stock_id, warehouse.lot_stock_id),
        }[kind]
        picking = (
            self.env["stock.picking"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "picking_type_id": picking_type.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "company_id": company.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "Pallet",
                                "product_id": self.product.id,
                                "product_uom_qty": 2,
                                "product_uom": self.product.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": dest.id,
                                "company_id": company.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.quantity = 2
        return picking

    def _hold(self, partner, company=None):
        self.env["ar.customer.account"]._ar_of(
            partner.with_company(company or self.company).sudo()
        )._ar_set_credit_hold("Invoices 60 days overdue", days(0))

    def test_delivery_to_a_customer_on_hold_is_stopped(self):
        self._hold(self.customer)
        picking = self._transfer(self.customer)
        self.assertTrue(picking.ar_partner_credit_hold)
        with self.assertRaises(UserError) as error:
            picking.with_user(self.clerk).button_validate()
        self.assertIn(
            "Customer One is on credit hold (Invoices 60 days overdue).", str(error.exception)
        )
        self.assertIn(
            "Only a credit-control manager can validate this delivery.", str(error.exception)
        )
        self.assertNotEqual(picking.state, "done")
        self._go_ahead(picking, self.manager)
        self.assertEqual(picking.state, "done")
        log = picking.message_ids.filtered(lambda m: "despite" in (m.body or ""))
        self.assertEqual(len(log), 1, "logged once (it was twice)")
        self.assertIn("Validated by Cora Credit despite:", log.body)
        self.assertIn("Reason: Paid by phone", log.body)

    def test_receipts_internal_transfers_and_returns_are_never_stopped(self):
        self._hold(self.customer)
        for kind in ("in", "int"):
            picking = self._transfer(self.customer, kind)
            self.assertFalse(picking.ar_partner_credit_hold, kind)
            picking.with_user(self.clerk).button_validate()
            self.assertEqual(picking.state, "done", kind)
        # the customer sends goods back: a return of a delivery made before the hold
        self.env["ar.customer.account"]._ar_of(self.customer.sudo())._ar_release_credit_hold(
            "Paid", days(0)
        )
        delivery = self._transfer(self.customer)
        delivery.button_validate()
        self._hold(self.customer)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 2
        action = wizard.action_create_returns()
        back = self.env["stock.picking"].browse(action["res_id"])
        back.move_ids.quantity = 2
        self.assertFalse(back.ar_partner_credit_hold)
        back.with_user(self.clerk).button_validate()
        self.assertEqual(back.state, "done")

    def test_over_the_limit_only_with_the_company_option(self):
        self.company.account_use_credit_limit = True
        self._set_credit(self.customer.sudo(), credit_limit=100.0, credit_policy="block")
        self._invoice(self.customer, 800.0, days(10), override=True)  # above the limit
        picking = self._transfer(self.customer)
        picking.with_user(self.clerk).button_validate()
        self.assertEqual(picking.state, "done", "the option is off by default")
        self.company.ar_block_delivery_over_limit = True
        picking = self._transfer(self.customer)
        with self.assertRaises(UserError) as error:
            picking.with_user(self.clerk).button_validate()
        self.assertIn("above its credit limit", str(error.exception))
        for figure in ("800.00", "100.00", "700.00"):
            self.assertIn(figure, str(error.exception))

    def test_a_hold_in_one_company_never_stops_another(self):
        other = self.setup_other_company(name="Stock B")["company"]
        self.clerk.sudo().company_ids = [Command.link(other.id)]
        self._hold(self.customer)
        picking = self._transfer(self.customer, company=other)
        self.assertFalse(picking.ar_partner_credit_hold)
        picking.with_user(self.clerk).with_company(other).button_validate()
        self.assertEqual(picking.state, "done")

    def test_the_delivery_of_an_order_paid_in_advance_goes(self):
        """With Sales (sale_stock): the order of a held customer who pays 30 % in advance,
        paid online and so confirmed, is delivered; one confirmed by the manager without
        payment is not (by a warehouse clerk)."""
        if "sale_id" not in self.env["stock.picking"]._fields:
            self.skipTest("sale_stock is not installed")  # installed in `make test`
        self._hold(self.customer)
        Account = self.env["ar.customer.account"]
        Account._ar_of(self.customer.with_company(self.company))._ar_set_prepayment(
            0.3, "test", days(0)
        )
        orders = self.env["sale.order"].with_company(self.company)
        paid, unpaid = (
            orders.create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 500.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            for _ in range(2)
        )
        # 30 % of 500.00
        self._transaction(self.customer, 150.0, "SO-PREPAID-DELIVERY", orders=paid)
        self.assertEqual(paid.state, "sale")
        self._go_ahead(unpaid, self.manager)
        for order in (paid, unpaid):
            order.picking_ids.move_ids.quantity = 1
        paid.picking_ids.with_user(self.clerk).button_validate()
        self.assertEqual(paid.picking_ids.state, "done")
        with self.assertRaises(UserError):
            unpaid.picking_ids.with_user(self.clerk).button_validate()
        self.assertNotEqual(unpaid.picking_ids.state, "done")
