# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools import float_compare


class AccountMove(models.Model):
    _inherit = "account.move"

    def _ar_credit_problems(self, partner):
        """Never stop the invoice of what was delivered (unless the company keeps the check
        on): the credit decision moved upstream, to the order and the delivery."""
        if not self.company_id.ar_credit_check_delivered and self._ar_goods_delivered():
            return []
        return super()._ar_credit_problems(partner)

    def _ar_goods_delivered(self):
        """Whether every product line of this invoice invoices what its sales order lines
        delivered (an invoice not from an order, or of more than was delivered: no)."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if not lines:
            return False
        for line in lines:
            order_lines = line.sale_line_ids
            if not order_lines:
                return False
            delivered = sum(order_lines.mapped("qty_delivered"))
            precision = order_lines[:1].product_uom.rounding
            if float_compare(line.quantity, delivered, precision_rounding=precision) > 0:
                return False
        return True
