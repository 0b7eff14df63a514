# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision at the sales order: confirming an order of a customer on credit hold,
or one that takes its exposure above its credit limit under the *Block* policy, stops with
the figures, unless a credit-control manager confirms it (logged on the order). *Warn* keeps
Odoo's banner."""

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ar_partner_credit_hold = fields.Boolean(
        string="Customer on credit hold",
        compute="_compute_ar_partner_credit_hold",
        help="The customer is on credit hold in the order's company: the order cannot be "
        "confirmed but by a credit-control manager.",
    )
    ar_partner_credit_hold_reason = fields.Char(
        string="Credit hold reason", compute="_compute_ar_partner_credit_hold"
    )

    @api.depends("partner_id", "company_id")
    def _compute_ar_partner_credit_hold(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id).sudo()
            order.ar_partner_credit_hold = partner.ar_credit_hold
            order.ar_partner_credit_hold_reason = partner.ar_credit_hold and (
                partner.ar_credit_hold_reason
            )

    def action_confirm(self):
        self._ar_check_credit()
        return super().action_confirm()

    def _ar_check_credit(self):
        """Stop the confirmation of orders whose customer is on credit hold or would go above
        its credit limit ('block' policy), unless the user is a credit-control manager: then
        the confirmation is logged on the order. An order paid online as it asked to be
        confirmed (the portal's pay-to-confirm, a prepayment: read off its transactions,
        never off the context a caller sends) is not stopped. The real user decides, not
        the superuser a portal flow runs as."""
        orders = self.filtered(
            lambda order: (
                order.state in ("draft", "sent")
                and not (order.amount_paid and order._is_confirmation_amount_reached())
            )
        )
        self.env["res.partner"]._ar_credit_decide(
            orders._ar_credit_problems(),
            self.env._("Only a credit-control manager can confirm this order."),
            self.env._("Confirmed by %(user)s despite:", user=self.env.user.name),
        )

    def _ar_credit_problems(self):
        """``{order: [why it may not be confirmed]}``: its customer's credit hold in the
        order's company, and an exposure (open receivables, draft invoices, orders to
        invoice, and this order, in company currency) above its credit limit under the
        'block' policy. A constant number of queries per company and customer, whatever the
        number of orders and their lines."""
        problems = {}
        for (company, partner), orders in self.grouped(
            lambda order: (order.company_id, order.partner_id.commercial_partner_id)
        ).items():
            partner = partner.with_company(company).sudo()
            # Odoo's credit figures are computed, not stored: read them anew
            partner.invalidate_recordset(["credit", "credit_to_invoice", "ar_exposure"])
            for order in orders:
                lines = [partner._ar_credit_hold_problem()]
                amount = order.currency_id._convert(
                    order.amount_total, company.currency_id, company, order.date_order.date()
                )
                excess = partner._ar_credit_excess_figures(company, amount)
                if excess:
                    lines.append(
                        self.env._(
                            "Confirming %(order)s takes the exposure of %(partner)s to "
                            "%(exposure)s, above its credit limit of %(limit)s by %(excess)s.",
                            order=order.name,
                            **excess,
                        )
                    )
                problems[order] = [line for line in lines if line]
        return problems

    def _has_to_be_signed(self):
        """A quotation of a customer on credit hold is not accepted online (unless it is paid
        online to be confirmed): the portal says why."""
        return super()._has_to_be_signed() and not (
            self.ar_partner_credit_hold and not self.require_payment
        )
