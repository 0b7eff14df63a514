# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.tools import float_compare


class AccountMove(models.Model):
    _inherit = "account.move"

    def _ar_credit_problems(self, partner):
        """Never stop the invoice of what was delivered (unless the company keeps the check
        on): the credit decision moved upstream, to the order and the delivery."""
        problems = super()._ar_credit_problems(partner)
        if (
            problems
            and not self.company_id.ar_credit_check_delivered
            and self._ar_goods_delivered()
        ):
            return []
        return problems

    def _ar_goods_delivered(self):
        """Whether this invoice asks only for goods that left through the credit decision:
        every product line invoices one line of a confirmed order of the invoice's own
        customer (commercial partner), in the order's currency, at most at the order's
        price, and no more than its transfers delivered to that customer (which the
        delivery's decision let go: not a quantity typed on the order), this invoice
        included. A down payment delivers nothing."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if not lines:
            return False
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        customer = self.commercial_partner_id
        for line in lines.sudo():
            order_line = line.sale_line_ids
            if len(order_line) != 1:
                return False
            order = order_line.order_id
            if (
                order_line.is_downpayment
                or order.state != "sale"
                or order.partner_id.commercial_partner_id != customer
                or order.partner_invoice_id.commercial_partner_id != customer
                or order.currency_id != self.currency_id
                or line.product_id != order_line.product_id
                or line.product_uom_id != order_line.product_uom
            ):
                return False
            delivered = self._ar_delivered_to(order_line, customer)
            if (
                float_compare(line.quantity, delivered, precision_digits=digits) > 0
                or float_compare(order_line.qty_invoiced, delivered, precision_digits=digits) > 0
            ):
                return False
            # at most the order's price for that quantity
            ordered = order_line.product_uom_qty
            at_order_price = order_line.price_total * line.quantity / ordered if ordered else 0.0
            if self.currency_id.compare_amounts(line.price_total, at_order_price) > 0:
                return False
        return True

    @api.model
    def _ar_delivered_to(self, order_line, customer):
        """What the done transfers of ``order_line`` brought to ``customer`` (commercial
        partner), less what came back, in the line's unit: the deliveries its credit decision
        let go. Without Inventory (sale_stock), nothing: a quantity typed on the order is no
        delivery."""
        if not hasattr(order_line, "_get_outgoing_incoming_moves"):
            return 0.0
        outgoing, incoming = order_line._get_outgoing_incoming_moves()
        quantity = 0.0
        for moves, sign in ((outgoing, 1), (incoming, -1)):
            for move in moves:
                partner = move.picking_id.partner_id or move.partner_id
                if move.state != "done" or partner.commercial_partner_id != customer:
                    continue
                quantity += sign * move.product_uom._compute_quantity(
                    move.quantity, order_line.product_uom, rounding_method="HALF-UP"
                )
        return quantity
