"""The uninsured part decided at the sales order, where ar_followup_sale is installed (the
project's test database has every bridge): the order asks the same decision as the invoice.
The customer is insured for 25,000.00; open receivable 20,000.00."""

from unittest import SkipTest

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InsuranceCase, days

SALES = "sales_team.group_sale_salesman_all_leads"


@tagged("post_install", "-at_install")
class TestUninsuredOrder(InsuranceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "ar_followup_sale" not in cls.env.registry._init_modules:
            raise SkipTest("the order's decision is ar_followup_sale's (not installed)")
        cls.salesman = cls._user("ins_salesman", "internal", groups=SALES, name="Sam Sales")
        cls.company.ar_uninsured_policy = "block"
        # confirmed orders count in the exposure when the company uses credit limits (as
        # Odoo's credit_to_invoice)
        cls.company.account_use_credit_limit = True
        cls._invoice(cls.customer, 20000.0, days(10))

    def _order(self, amount):
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def test_the_order_stops_above_the_insured_limit(self):
        # 20,000.00 + 6,000.00 = 26,000.00: 1,000.00 uninsured
        order = self._order(6000.0)
        with self.assertRaises(UserError) as error:
            order.action_confirm()
        message = str(error.exception).replace("\xa0", " ")
        self.assertIn(f"Confirming {order.name} takes the exposure of Customer One to", message)
        self.assertIn("$ 26,000.00", message)
        self.assertIn("(the part insured by Verzekeraar Demo) by $ 1,000.00", message)
        self.assertEqual(order.state, "draft")
        # 20,000.00 + 5,000.00: insured to the cent
        within = self._order(5000.0)
        within.action_confirm()
        self.assertEqual(within.state, "sale")
        # the confirmed order counts: one cent more is uninsured
        with self.assertRaises(UserError):
            self._order(0.01).action_confirm()

    def test_warn_on_the_quotation(self):
        self.company.ar_uninsured_policy = "warn"
        # 20,000.00 + 7,000.00 = 27,000.00: 2,000.00 uninsured
        order = self._order(7000.0)
        warning = order.partner_credit_warning.replace("\xa0", " ")
        self.assertIn("$ 2,000.00 of the exposure of Customer One ($ 27,000.00)", warning)
        self.assertIn("not insured by Verzekeraar Demo (insured limit $ 25,000.00)", warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # the confirmed order counts: 27,100.00, 2,100.00 uninsured
        self.assertIn(
            "$ 2,100.00 of", self._order(100.0).partner_credit_warning.replace("\xa0", " ")
        )
        # policy 'none': nothing said
        self.company.ar_uninsured_policy = "none"
        self.assertNotIn("not insured", self._order(100.0).partner_credit_warning or "")
