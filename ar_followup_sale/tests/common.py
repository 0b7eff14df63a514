"""What the tests of the credit decision at the order share: quotations and online payments
(Odoo's demo provider, as the portal's pay-to-confirm leaves them)."""

from odoo import Command

from odoo.addons.ar_followup.tests.common import ArFollowupCase


class SaleCreditCase(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider, cls.method = cls._provider_method = cls._demo_provider()

    def _order(self, partner, amount, lines=1, company=None, user=None):
        """A quotation of ``amount`` (untaxed) in ``lines`` lines."""
        company = company or self.company
        Order = self.env["sale.order"].with_company(company)
        if user:
            Order = Order.with_user(user)
        return Order.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": amount / lines,
                            "tax_id": [Command.clear()],
                        }
                    )
                    for _ in range(lines)
                ],
            }
        )

    def _pay_online(self, order, amount):
        """``amount`` paid online for ``order``: its transaction done and post-processed."""
        return self._transaction(
            order.partner_id, amount, f"{order.name}-PRE-{amount}", orders=order
        )
