"""The credit decision on every path goods leave by (issue #28), attacked as the insider did:
JSON-RPC as a stock user on the delivery of a held customer (its partner written away, or
another one's and back, a return or a paid order pointed at, the moves' state written). Each
is refused with its reason, and nothing is done; the manager's override is logged once."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase, days

STOCK = "stock.group_stock_user"


@tagged("post_install", "-at_install")
class TestDeliveryCreditPaths(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._user("paths_clerk", "internal", groups=STOCK, name="Wim Warehouse")
        cls.manager = cls._user("paths_manager", "credit_manager", groups=STOCK, name="Cora Credit")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create({"name": "Pallet", "type": "consu"})
        cls.held = cls._customer("Houthandel Jansen")
        cls.free = cls._customer("Free Customer")
        cls.vendor = cls._customer("Paper Mill")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")

    def _hold(self, partner):
        self.env["ar.customer.account"]._ar_of(
            partner.with_company(self.company).sudo()
        )._ar_set_credit_hold("Final notice", days(0))

    def _picking(self, partner, kind="out"):
        picking_type, source, dest = {
            "out": (self.warehouse.out_type_id, self.warehouse.lot_stock_id, self.customers),
            "in": (self.warehouse.in_type_id, self.suppliers, self.warehouse.lot_stock_id),
        }[kind]
        picking = self.env["stock.picking"].create(
            {
                "partner_id": partner.id if partner else False,
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "Pallet",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "product_uom": self.product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        return picking

    def _state(self, picking):
        picking.invalidate_recordset(["state"])
        picking.move_ids.invalidate_recordset(["state"])
        return picking.state

    def _order(self, partner):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "price_unit": 500.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.quantity = 2
        order.picking_ids.move_ids.picked = True
        return order

    def test_the_partner_written_away_ships_nothing(self):
        """Without the transfer's partner the goods still go to the order's customer, and
        (without an order) to the moves' customer."""
        order = self._order(self.held)
        self._hold(self.held)
        picking = order.picking_ids
        self._ok("paths_clerk", "stock.picking", "write", picking.ids, {"partner_id": False})
        message = self._refused("paths_clerk", "stock.picking", "button_validate", picking.ids)
        self.assertIn("Houthandel Jansen is on credit hold (Final notice).", message)
        self.assertNotEqual(self._state(picking), "done")
        # a delivery without an order: its customer is not taken off
        manual = self._picking(self.held)
        for partner in (False, self.free.id):
            message = self._refused(
                "paths_clerk", "stock.picking", "write", manual.ids, {"partner_id": partner}
            )
            self.assertIn("take a delivery away from a customer on credit hold", message)
        manual.invalidate_recordset()
        self.assertEqual(manual.partner_id, self.held)
        self._refused("paths_clerk", "stock.picking", "button_validate", manual.ids)
        self.assertNotEqual(self._state(manual), "done")

    def test_another_partner_and_back_is_refused_on_the_way_back(self):
        order = self._order(self.held)
        self._hold(self.held)
        picking = order.picking_ids
        self._ok("paths_clerk", "stock.picking", "write", picking.ids, {"partner_id": self.free.id})
        # the order's customer decides still
        self._refused("paths_clerk", "stock.picking", "button_validate", picking.ids)
        self.assertNotEqual(self._state(picking), "done")
        # a transfer without order sent to someone else, then said to be the held one's
        manual = self._picking(self.free)
        self._ok("paths_clerk", "stock.picking", "button_validate", manual.ids)
        self.assertEqual(self._state(manual), "done")
        self._refused(
            "paths_clerk", "stock.picking", "write", manual.ids, {"partner_id": self.held.id}
        )
        self._refused(
            "paths_clerk", "stock.move", "write", manual.move_ids.ids, {"partner_id": self.held.id}
        )
        manual.invalidate_recordset()
        self.assertEqual(manual.partner_id, self.free)

    def test_a_return_or_a_paid_order_pointed_at_is_no_exemption(self):
        order = self._order(self.held)
        self._hold(self.held)
        picking = order.picking_ids
        receipt = self._picking(self.vendor, kind="in")
        receipt.button_validate()
        self._ok("paths_clerk", "stock.picking", "write", picking.ids, {"return_id": receipt.id})
        self._refused("paths_clerk", "stock.picking", "button_validate", picking.ids)
        # a paid order of another customer
        paid = self.env["sale.order"].create(
            {
                "partner_id": self.free.id,
                "order_line": [Command.create({"product_id": self.product.id, "price_unit": 10})],
            }
        )
        self._transaction(self.free, paid.amount_total, "PATHS-PAID", orders=paid)
        self.assertEqual(paid.state, "sale")
        self._ok("paths_clerk", "stock.picking", "write", picking.ids, {"sale_id": paid.id})
        self._refused("paths_clerk", "stock.picking", "button_validate", picking.ids)
        self.assertNotEqual(self._state(picking), "done")

    def test_the_moves_state_written_done_is_refused(self):
        order = self._order(self.held)
        self._hold(self.held)
        picking = order.picking_ids
        self._refused("paths_clerk", "stock.move", "write", picking.move_ids.ids, {"state": "done"})
        self._refused(
            "paths_clerk", "stock.picking", "_action_done", picking.ids
        )  # private: not callable over RPC
        self.assertNotEqual(self._state(picking), "done")

    def test_a_vendor_return_and_a_customer_return_are_no_deliveries(self):
        self._hold(self.held)
        receipt = self._picking(self.held, kind="in")  # the held customer is also a supplier
        self._ok("paths_clerk", "stock.picking", "button_validate", receipt.ids)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=receipt.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 2
        back = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        back.move_ids.quantity = 2
        back.move_ids.picked = True
        self.assertFalse(back.ar_partner_credit_hold)
        self._ok("paths_clerk", "stock.picking", "button_validate", back.ids)
        self.assertEqual(self._state(back), "done")

    def test_the_manager_goes_ahead_once_with_a_reason_logged_once(self):
        order = self._order(self.held)
        self._hold(self.held)
        picking = order.picking_ids
        picking.move_ids.quantity = 1  # a backorder's dialog comes in between
        action = self._ok("paths_manager", "stock.picking", "button_validate", picking.ids)
        self.assertEqual(action["res_model"], "ar.credit.override.wizard")
        wizard = self.env["ar.credit.override.wizard"].browse(action["res_id"])
        self.assertIn("Houthandel Jansen is on credit hold", wizard.problems)
        wizard.with_user(self.manager).reason = "Cash on delivery"
        backorder = wizard.with_user(self.manager).action_confirm()
        self.assertEqual(backorder["res_model"], "stock.backorder.confirmation")
        self.assertNotEqual(self._state(picking), "done")
        self.env["stock.backorder.confirmation"].with_user(self.manager).with_context(
            **backorder["context"]
        ).create({}).process()
        self.assertEqual(self._state(picking), "done")
        log = picking.message_ids.filtered(lambda m: "despite" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("Validated by Cora Credit despite:", log.body)
        self.assertIn("Reason: Cash on delivery", log.body)
        # the backorder is a delivery of its own: its own decision
        rest = picking.backorder_ids
        self._refused("paths_clerk", "stock.picking", "button_validate", rest.ids)

    # -- the second attack (issue #28, before resolving) ---------------------------------

    def test_done_and_moved_in_one_write_is_decided_for_both_customers(self):
        """A move of another customer's delivery marked done and put into the held
        customer's paperwork in the same write, or the held customer's move put into the
        other's: refused (and the done state written on a transfer)."""
        held_order = self._order(self.held)
        free_order = self._order(self.free)
        self._hold(self.held)
        free_move = free_order.picking_ids.move_ids
        held_move = held_order.picking_ids.move_ids
        for move, vals in (
            (free_move, {"picking_id": held_order.picking_ids.id}),
            (free_move, {"partner_id": self.held.id}),
            (free_move, {"sale_line_id": held_order.order_line.id}),
            (held_move, {"picking_id": free_order.picking_ids.id, "partner_id": self.free.id}),
        ):
            self._refused("paths_clerk", "stock.move", "write", move.ids, {"state": "done", **vals})
        for picking in (free_order.picking_ids, held_order.picking_ids):
            self.assertNotEqual(self._state(picking), "done")
        self._refused(
            "paths_clerk", "stock.picking", "write", held_order.picking_ids.ids, {"state": "done"}
        )
        self.assertNotEqual(self._state(held_order.picking_ids), "done")

    # -- the third attack (issue #28, before resolving) ----------------------------------

    def test_an_internal_transfer_to_the_inter_company_transit_is_a_delivery(self):
        order = self._order(self.held)
        self._hold(self.held)
        picking = order.picking_ids
        transit = self.env.ref("stock.stock_location_inter_company")
        self._ok(
            "paths_clerk",
            "stock.picking",
            "write",
            picking.ids,
            {"picking_type_id": self.warehouse.int_type_id.id},
        )
        self._ok(
            "paths_clerk", "stock.picking", "write", picking.ids, {"location_dest_id": transit.id}
        )
        self._refused("paths_clerk", "stock.picking", "button_validate", picking.ids)
        self.assertNotEqual(self._state(picking), "done")

    def test_more_goods_on_a_done_delivery_are_decided(self):
        """A delivery of 2 let go by the manager's override: its done quantity raised
        afterwards (on the move or its detailed operation) is decided again."""
        order = self._order(self.held)
        self._hold(self.held)
        picking = order.picking_ids
        self.env["ar.credit.override"].with_user(self.manager).create(
            {"res_model": "stock.picking", "res_id": picking.id, "reason": "2 only"}
        )
        picking.with_user(self.clerk).button_validate()
        self.assertEqual(picking.state, "done")
        self.clerk.sudo().groups_id = [Command.link(self.env.ref("stock.group_stock_manager").id)]
        self._refused("paths_clerk", "stock.move", "write", picking.move_ids.ids, {"quantity": 80})
        self._refused(
            "paths_clerk", "stock.move.line", "write", picking.move_line_ids.ids, {"quantity": 50}
        )
        picking.move_ids.invalidate_recordset()
        self.assertEqual(picking.move_ids.quantity, 2)

    def test_an_override_covers_the_goods_as_they_were(self):
        """Given for 2 pallets: the same 2 in dozens, or another product, are not covered."""
        gold = self.env["product.product"].create({"name": "Gold bar", "type": "consu"})
        orders = self._order(self.held) | self._order(self.held)
        self._hold(self.held)
        for vals, order in zip(
            (
                {"product_uom": self.env.ref("uom.product_uom_dozen").id},
                {"product_id": gold.id},
            ),
            orders,
            strict=True,
        ):
            picking = order.picking_ids
            self.env["ar.credit.override"].with_user(self.manager).create(
                {"res_model": "stock.picking", "res_id": picking.id, "reason": "2 pallets"}
            )
            picking.move_ids.write(vals)
            picking.move_ids.write({"quantity": 2, "picked": True})
            self._refused("paths_clerk", "stock.picking", "button_validate", picking.ids)
            self.assertNotEqual(self._state(picking), "done")

    # -- the fourth look (issue #28, before resolving) -----------------------------------

    def test_an_internal_transfer_whose_operation_goes_to_a_customer_is_a_delivery(self):
        self._hold(self.held)
        stock = self.warehouse.lot_stock_id
        picking = self.env["stock.picking"].create(
            {
                "partner_id": self.held.id,
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": stock.id,
                "location_dest_id": stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "Pallet",
                            "product_id": self.product.id,
                            "product_uom_qty": 6,
                            "product_uom": self.product.uom_id.id,
                            "location_id": stock.id,
                            "location_dest_id": stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self._ok(
            "paths_clerk",
            "stock.move.line",
            "create",
            {
                "move_id": picking.move_ids.id,
                "picking_id": picking.id,
                "product_id": self.product.id,
                "product_uom_id": self.product.uom_id.id,
                "quantity": 6,
                "location_id": stock.id,
                "location_dest_id": self.customers.id,
                "picked": True,
            },
        )
        self._refused("paths_clerk", "stock.picking", "button_validate", picking.ids)
        self.assertNotEqual(self._state(picking), "done")
