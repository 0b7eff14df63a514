# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The collector's worklist shows the customers on hold whose quotations wait (#33, point 2)."""

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.ar_followup.tests.common import days

from .common import SaleCreditCase


@tagged("post_install", "-at_install")
class TestWorklistOrders(SaleCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._user(
            "wl_sale_manager", "credit_manager", groups="sales_team.group_sale_salesman_all_leads"
        )

    def _worklist(self):
        with freeze_time(days(0)):
            action = self.env["ar.worklist.line"].action_worklist()
        return self.env["ar.worklist.line"].search(action["domain"])

    def test_held_customer_with_waiting_quotation(self):
        held = self._customer("Held With Order")
        self.env["ar.customer.account"]._ar_of(
            held.with_company(self.company).sudo()
        )._ar_set_credit_hold("Invoices overdue", days(-1))
        order = self._order(held, 1200.0)
        held_no_order = self._customer("Held Without Order")
        self.env["ar.customer.account"]._ar_of(
            held_no_order.with_company(self.company).sudo()
        )._ar_set_credit_hold("Overdue", days(-1))
        free = self._customer("Not Held")
        self._order(free, 300.0)
        lines = self._worklist()
        line = lines.filtered(lambda x: x.partner_id == held)
        self.assertEqual(line.reason, "held_orders")
        self.assertEqual(line.since, order.date_order.date())
        self.assertNotIn(held_no_order, lines.partner_id)
        self.assertNotIn(free, lines.partner_id)
        # confirmed (a manager's override): nothing waits any more
        self._go_ahead(order, self.manager, "Paid in cash at the counter")
        self.assertEqual(order.state, "sale")
        self.assertNotIn(held, self._worklist().partner_id)
