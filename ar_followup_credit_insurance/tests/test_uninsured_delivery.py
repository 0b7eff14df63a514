"""The uninsured part decided at the delivery, where ar_followup_stock is installed (the
project's test database has every bridge), under its company option to stop deliveries
above a blocking limit. The customer is insured for 25,000.00 and owes 26,000.00."""

from unittest import SkipTest

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InsuranceCase, days

STOCK = "stock.group_stock_user"


@tagged("post_install", "-at_install")
class TestUninsuredDelivery(InsuranceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "ar_followup_stock" not in cls.env.registry._init_modules:
            raise SkipTest("the delivery's decision is ar_followup_stock's (not installed)")
        cls.clerk = cls._user("ins_clerk", "internal", groups=STOCK, name="Wim Warehouse")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create({"name": "Pallet", "type": "consu"})
        cls._invoice(cls.customer, 26000.0, days(10))

    def _delivery(self):
        customers = self.env.ref("stock.stock_location_customers")
        stock = self.warehouse.lot_stock_id
        picking = self.env["stock.picking"].create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "Pallet",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "product_uom": self.product.uom_id.id,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 2
        return picking

    def test_the_delivery_stops_on_the_uninsured_part_with_the_option(self):
        self.company.ar_uninsured_policy = "block"
        picking = self._delivery()
        picking.with_user(self.clerk).button_validate()
        self.assertEqual(picking.state, "done", "deliveries are stopped only with the option")
        self.company.ar_block_delivery_over_limit = True
        picking = self._delivery()
        with self.assertRaises(UserError) as error:
            picking.with_user(self.clerk).button_validate()
        message = str(error.exception).replace("\xa0", " ")
        self.assertIn("The exposure of Customer One is $ 26,000.00", message)
        self.assertIn("$ 25,000.00 (the part insured by Verzekeraar Demo) by $ 1,000.00", message)
        self.assertNotEqual(picking.state, "done")
        # the insurer raises the limit: the goods leave
        self.customer.sudo().insurance_credit_limit = 26000.0
        picking.with_user(self.clerk).button_validate()
        self.assertEqual(picking.state, "done")
