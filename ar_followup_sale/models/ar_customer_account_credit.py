# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The exposure counts confirmed orders in full: Odoo's ``credit_to_invoice`` counts only what
an order may invoice now (for products invoiced on delivery: what was delivered), so that an
order confirmed small and raised afterwards, not yet delivered, would not count; here the
rest of it does, until it is delivered (then Odoo counts it) or the line is lowered. A
customer who must prepay can be stopped too."""

from odoo import api, models


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_credit_may_stop(self, customer, company):
        partner = customer.with_company(company).sudo()
        return super()._ar_credit_may_stop(customer, company) or bool(
            partner.ar_account_id.prepayment_required
        )

    @api.model
    def _ar_exposure_extra(self, customers):
        extra = dict(super()._ar_exposure_extra(customers))
        company = self.env.company
        if not company.account_use_credit_limit or not customers.ids:
            return extra  # as Odoo's credit_to_invoice
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_invoice_id.commercial_partner_id", "in", customers.ids),
                    ("state", "=", "sale"),
                ]
            )
        )
        for order in orders:
            amount = sum(
                line.price_total / line.product_uom_qty * quantity
                for line in order.order_line
                if line.product_uom_qty
                and line.product_id.invoice_policy == "delivery"
                and (
                    quantity := line.product_uom_qty
                    - max(line.qty_delivered, line.qty_invoiced_posted)
                )
                > 0
            )
            if amount:
                partner = order.partner_invoice_id.commercial_partner_id.id
                extra[partner] = extra.get(partner, 0.0) + order.currency_id._convert(
                    amount, company.currency_id, company, order.date_order.date()
                )
        return extra
