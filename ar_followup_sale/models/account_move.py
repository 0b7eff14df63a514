# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
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
        """Whether every product line of this invoice invoices what its sales order lines
        delivered (an invoice not from an order, or of more than was delivered: no)."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if not lines:
            return False
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for line in lines:
            order_lines = line.sale_line_ids
            if not order_lines:
                return False
            if any(order_lines.mapped("is_downpayment")):
                return False  # a down payment delivers nothing
            delivered = sum(order_lines.mapped("qty_delivered"))
            if float_compare(line.quantity, delivered, precision_digits=digits) > 0:
                return False
        return True
