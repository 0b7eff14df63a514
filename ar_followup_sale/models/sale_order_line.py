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
        # the orders the lines are in, and the one they are moved into
        orders = self.order_id
        if vals.get("order_id"):
            orders |= self.env["sale.order"].browse(vals["order_id"])
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if not confirmed:
            return super().write(vals)
        before = {order: (order.amount_total, order._ar_goods()) for order in confirmed}
        res = super().write(vals)
        # more money, or more goods at the same amount (a quantity up in any unit or by
        # packaging and its price down, another product, lines moved in from elsewhere)
        confirmed.filtered(
            lambda o: (
                o.currency_id.compare_amounts(o.amount_total, before[o][0]) > 0
                or any(
                    float_compare(quantity, before[o][1].get(product, 0.0), precision_digits=4) > 0
                    for product, quantity in o._ar_goods().items()
                )
            )
        )._ar_check_raised()
        return res

    def _ar_added(self):
        """The orders these new lines add to: an amount, or goods (a product, a quantity),
        even at no price."""
        return self.filtered(
            lambda line: (
                line.order_id.currency_id.compare_amounts(line.price_total, 0.0) > 0
                or (line.product_id and line.product_uom_qty > 0)
            )
        ).order_id
