# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision again when a confirmed order grows: lines added to it, or raised in
quantity or price, or more goods at the same amount, are more credit (or goods) given to
its customer, decided as its confirmation was (``sale.order._ar_check_credit``): a customer
on credit hold, or above its blocking limit, gets more only on a credit-control manager's
override."""

from odoo import api, models
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.order_id.state == "sale")._ar_added()._ar_check_raised()
        return lines

    def write(self, vals):
        confirmed = self.order_id.filtered(lambda o: o.state == "sale")
        if not confirmed:
            return super().write(vals)
        before = {order: order.amount_total for order in confirmed}
        goods = {line: line._ar_goods() for line in self}
        res = super().write(vals)
        raised = confirmed.filtered(
            lambda o: o.currency_id.compare_amounts(o.amount_total, before[o]) > 0
        )
        # more goods at the same amount: a quantity up (in any unit, by packaging) and its
        # price down, another product
        more = self.filtered(
            lambda line: (
                line.order_id in confirmed
                and line.product_id
                and (
                    line._ar_goods()[0] != goods[line][0]
                    or float_compare(line._ar_goods()[1], goods[line][1], precision_digits=4) > 0
                )
            )
        )
        (raised | more.order_id)._ar_check_raised()
        return res

    def _ar_goods(self):
        """``(product, quantity in the product's unit)`` of the line."""
        self.ensure_one()
        if not self.product_id:
            return self.product_id, 0.0
        return self.product_id, self.product_uom._compute_quantity(
            self.product_uom_qty, self.product_id.uom_id, raise_if_failure=False
        )

    def _ar_added(self):
        """The orders these new lines add to: an amount, or goods (a product, a quantity),
        even at no price."""
        return self.filtered(
            lambda line: (
                line.order_id.currency_id.compare_amounts(line.price_total, 0.0) > 0
                or (line.product_id and line.product_uom_qty > 0)
            )
        ).order_id
