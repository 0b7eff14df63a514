"""The credit decision as an invariant over sequences (issue #28): a held customer's orders
and deliveries go through every state path Odoo offers (created confirmed, confirmed by the
button or by a written state, cancelled and set back, moved from or to another customer,
raised, deliveries with their partner, return or order swapped, the moves' state written,
a payment post-processed by OdooBot, the superuser's and a salesperson's ``sudo()``), in
random orders from fixed seeds, and after every step no order of it is confirmed and no
delivery of it is done without a credit-control manager's override logged on it, or its own
prepayment paid."""

import random

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase, days

SALES = "sales_team.group_sale_salesman_all_leads"
STOCK = "stock.group_stock_user"


@tagged("post_install", "-at_install")
class TestCreditSequences(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._user("seq_salesman", "internal", groups=SALES, name="Sam Sales")
        cls.clerk = cls._user("seq_clerk", "internal", groups=f"{STOCK},{SALES}", name="Wim")
        cls.manager = cls._user(
            "seq_manager", "credit_manager", groups=f"{STOCK},{SALES}", name="Cora Credit"
        )
        cls.bot = cls.env.ref("base.user_root")
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet", "type": "consu", "invoice_policy": "delivery"}
        )
        cls.held = cls._customer("Houthandel Jansen")
        cls.free = cls._customer("Free Customer")

    def _order(self, partner, amount=500.0, user=None):
        Orders = self.env["sale.order"].with_user(user or self.salesman)
        return Orders.create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "price_unit": amount / 2,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        ).with_env(self.env)

    # -- the invariant -----------------------------------------------------------------

    def _overridden(self, record):
        logged = bool(record.message_ids.filtered(lambda m: "despite" in (m.body or "")))
        if "ar.credit.override" not in self.env:
            return logged  # before #28: the manager's one-click log
        return logged and bool(
            self.env["ar.credit.override"].search_count(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("state", "=", "used"),
                ]
            )
        )

    def _assert_invariant(self, step):
        self.env.invalidate_all()
        held = self.held
        orders = self.env["sale.order"].search(
            [
                "|",
                ("partner_id", "=", held.id),
                ("partner_invoice_id", "=", held.id),
                ("id", "not in", self.before_hold.ids),
            ]
        )
        for order in orders.filtered(lambda o: o.state == "sale"):
            self.assertTrue(
                self._overridden(order) or order._ar_paid_in_advance(),
                f"{step}: {order.name} confirmed for a held customer",
            )
        # the invariant reads the data itself, not the add-on's helpers: goods that reached
        # the customers' location for the held customer (the transfer's, the move's or the
        # order's partner), not paid in advance by it
        moves = self.env["stock.move"].search(
            [
                ("state", "=", "done"),
                ("id", "not in", self.done_before_hold.ids),
                ("location_dest_id.usage", "=", "customer"),
            ]
        )
        for move in moves:
            order = move.sale_line_id.order_id
            partners = move.picking_id.partner_id | move.partner_id | order.partner_id
            if held not in partners.commercial_partner_id:
                continue
            paid = order.partner_id == held and order._ar_paid_in_advance()
            self.assertTrue(
                self._overridden(move.picking_id) or paid,
                f"{step}: {move.picking_id.name} delivered to a held customer",
            )

    # -- the steps -----------------------------------------------------------------------

    def _steps(self):
        def create_confirmed(rng):
            self.env["sale.order"].with_user(self.salesman).create(
                {
                    "partner_id": self.held.id,
                    "state": "sale",
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )

        def confirm(rng):
            self._order(self.held).with_user(self.salesman).action_confirm()

        def confirm_sudo(rng):
            self._order(self.held).with_user(self.salesman).sudo().action_confirm()

        def confirm_as_superuser(rng):
            self._order(self.held).with_user(self.bot).action_confirm()

        def write_state(rng):
            self._order(self.held).with_user(self.salesman).write({"state": "sale"})

        def cancel_and_back(rng):
            order = self._order(self.held).with_user(self.salesman)
            order.action_cancel()
            order.write({"state": "sale"})

        return [
            create_confirmed,
            confirm,
            confirm_sudo,
            confirm_as_superuser,
            write_state,
            cancel_and_back,
            *self._more_steps(),
        ]

    def _more_steps(self):
        def swap_partner(rng):
            order = rng.choice(self.free_orders).with_user(self.salesman)
            order.write({rng.choice(["partner_id", "partner_invoice_id"]): self.held.id})

        def raise_lines(rng):
            order = rng.choice(self.before_hold).with_user(self.salesman)
            if rng.random() < 0.5:
                order.write({"order_line": [Command.create({"product_id": self.product.id})]})
            else:
                order.order_line[:1].product_uom_qty += 5

        def picking_partner(rng):
            picking = rng.choice(self.pickings).with_user(self.clerk)
            picking.write({"partner_id": rng.choice([False, self.free.id, self.held.id])})
            picking.button_validate()

        def picking_links(rng):
            picking = rng.choice(self.pickings).with_user(self.clerk)
            field, value = rng.choice(
                [("return_id", self.receipt.id), ("sale_id", self.paid_free.id)]
            )
            picking.write({field: value})
            picking.button_validate()

        def moves_done(rng):
            rng.choice(self.pickings).move_ids.with_user(self.clerk).write({"state": "done"})

        def validate_as_superuser(rng):
            rng.choice(self.pickings).with_user(self.bot).button_validate()

        def paid_a_little(rng):
            order = self._order(self.held)
            order.write({"require_payment": True, "prepayment_percent": 0.05})
            self._pay(order, order.amount_total * 0.05)

        def manager_override(rng):
            # the one legitimate way: an override with a reason, then the button
            order = self._order(self.held)
            if "ar.credit.override" in self.env:
                self.env["ar.credit.override"].with_user(self.manager).create(
                    {"res_model": "sale.order", "res_id": order.id, "reason": "Guaranteed"}
                )
            order.with_user(self.manager).action_confirm()

        return [
            swap_partner,
            raise_lines,
            picking_partner,
            picking_links,
            moves_done,
            validate_as_superuser,
            paid_a_little,
            manager_override,
        ]

    def _pay(self, order, amount):
        self._transaction(
            order.partner_id,
            order.currency_id.round(amount),
            f"SEQ-{order.id}-{amount}",
            orders=order,
        )

    def _setup_world(self):
        """Before the hold: orders of the held customer confirmed and not delivered, orders of
        a free customer, a paid order of the free customer, a receipt from a vendor."""
        self.before_hold = self._order(self.held) | self._order(self.held)
        self.before_hold.action_confirm()
        self.free_orders = self._order(self.free) | self._order(self.free)
        self.free_orders.action_confirm()
        self.paid_free = self._order(self.free)
        self._pay(self.paid_free, self.paid_free.amount_total)
        self.assertEqual(self.paid_free.state, "sale")
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.receipt = self.env["stock.picking"].create(
            {
                "partner_id": self.free.id,
                "picking_type_id": warehouse.in_type_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "Pallet",
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        self.receipt.action_confirm()
        self.receipt.move_ids.quantity = 5
        self.receipt.button_validate()
        self.pickings = self.before_hold.picking_ids
        for picking in self.pickings:
            picking.move_ids.quantity = 2
            picking.move_ids.picked = True
        self.done_before_hold = self.env["stock.move"].search([("state", "=", "done")])
        self.env["ar.customer.account"]._ar_of(
            self.held.with_company(self.company).sudo()
        )._ar_set_credit_hold("Unpaid", days(0))

    def test_no_path_confirms_or_delivers_without_an_override(self):
        self._setup_world()
        steps = self._steps()
        refused = passed = 0
        tried = set()
        for seed in (1, 2, 3):
            rng = random.Random(seed)
            for index in range(20):
                step = rng.choice(steps)
                tried.add(step.__name__)
                try:
                    with self.env.cr.savepoint():
                        step(rng)
                    passed += 1
                except (UserError, AccessError, ValidationError):
                    refused += 1
                self._assert_invariant(f"seed {seed}, step {index}: {step.__name__}")
        # every path was tried; both kinds happened: refusals, and the override's passage
        self.assertEqual(tried, {step.__name__ for step in steps})
        self.assertTrue(refused and passed, (refused, passed))
        self.assertTrue(self.env["ar.credit.override"].search([("state", "=", "used")]))
