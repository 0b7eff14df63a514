"""What the tests of the credit decision at the order share: quotations and online payments
(Odoo's demo provider, as the portal's pay-to-confirm leaves them)."""

from odoo import Command

from odoo.addons.ar_followup.tests.common import ArFollowupCase


class SaleCreditCase(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider, cls.method = cls._demo_provider()

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
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.method.id,
                    "partner_id": order.partner_id.id,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "reference": f"{order.name}-PRE-{amount}",
                    "operation": "online_direct",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        tx._set_done()
        tx._post_process()
        return tx
