# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision again when a confirmed order grows: lines added to it, or raised in
quantity or price, are more credit given to its customer, decided as its confirmation was
(``sale.order._ar_check_credit``): a customer on credit hold, or above its blocking limit,
gets more only on a credit-control manager's override."""

from odoo import api, models

# what changes the amount of a line
AMOUNT_FIELDS = frozenset(
    {"product_id", "product_uom_qty", "product_uom", "price_unit", "discount", "tax_id"}
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id.filtered(
            lambda o: (
                o.state == "sale"
                and any(
                    o.currency_id.compare_amounts(line.price_total, 0.0) > 0
                    for line in lines
                    if line.order_id == o
                )
            )
        )._ar_check_raised()
        return lines

    def write(self, vals):
        if not AMOUNT_FIELDS & set(vals):
            return super().write(vals)
        confirmed = self.order_id.filtered(lambda o: o.state == "sale")
        before = {order: order.amount_total for order in confirmed}
        res = super().write(vals)
        confirmed.filtered(
            lambda o: o.currency_id.compare_amounts(o.amount_total, before[o]) > 0
        )._ar_check_raised()
        return res
