# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision at the delivery: validating a delivery to a customer on credit hold
(and, company option, to one above its credit limit under the Block policy) stops with the
reason, unless a credit-control manager validates it (logged on the transfer). Receipts,
internal transfers and returns are never stopped, nor the delivery of an order paid in
advance."""

from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    ar_partner_credit_hold = fields.Boolean(
        string="Customer on credit hold",
        compute="_compute_ar_partner_credit_hold",
        help="A delivery to a customer on credit hold in the transfer's company: only a "
        "credit-control manager can validate it.",
    )
    ar_partner_credit_hold_reason = fields.Char(
        string="Credit hold reason", compute="_compute_ar_partner_credit_hold"
    )

    @api.depends("partner_id", "company_id", "picking_type_code", "return_id")
    def _compute_ar_partner_credit_hold(self):
        for picking in self:
            partner = picking._ar_customer()
            hold = bool(partner) and partner.ar_credit_hold
            picking.ar_partner_credit_hold = hold
            picking.ar_partner_credit_hold_reason = hold and partner.ar_credit_hold_reason

    def _ar_customer(self):
        """The customer (commercial partner, in the transfer's company, sudo) whose credit
        decides this transfer: that of a delivery that is not a return; else none."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or self.return_id or not self.partner_id:
            return self.env["res.partner"]
        return self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()

    def _ar_paid_in_advance(self):
        """A delivery of a sales order paid online before it was confirmed (the portal's
        pay-to-confirm, a prepayment) goes: what was paid for is not stopped by the hold it
        got around. (``sale_id`` is sale_stock's; ``_ar_paid_in_advance`` ar_followup_sale's,
        installed with sale.)"""
        order = self["sale_id"] if "sale_id" in self._fields else None
        return (
            bool(order)
            and hasattr(order, "_ar_paid_in_advance")
            and (order.sudo()._ar_paid_in_advance())
        )

    def button_validate(self):
        self._ar_check_credit()
        return super().button_validate()

    def _ar_check_credit(self):
        pickings = self.filtered(lambda p: p.state not in ("done", "cancel"))
        self.env["res.partner"]._ar_credit_decide(
            {picking: picking._ar_credit_problems() for picking in pickings},
            self.env._("Only a credit-control manager can validate this delivery."),
            self.env._("Validated by %(user)s despite:", user=self.env.user.name),
        )

    def _ar_credit_problems(self):
        self.ensure_one()
        partner = self._ar_customer()
        if not partner or self._ar_paid_in_advance():
            return []
        problems = [partner._ar_credit_hold_problem()]
        company = self.company_id
        if company.ar_block_delivery_over_limit:
            partner.invalidate_recordset(["credit", "credit_to_invoice", "ar_exposure"])
            excess = partner._ar_credit_excess_figures(company)
            if excess:
                problems.append(
                    self.env._(
                        "The exposure of %(partner)s is %(exposure)s, above its credit limit "
                        "of %(limit)s by %(excess)s.",
                        **excess,
                    )
                )
        return [problem for problem in problems if problem]
