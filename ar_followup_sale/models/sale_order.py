# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision at the sales order: confirming an order of a customer on credit hold,
or one that takes its exposure above its credit limit under the *Block* policy, stops with
the figures, unless a credit-control manager confirms it (logged on the order). *Warn* keeps
Odoo's banner. A customer who pays in advance (``res.partner.ar_prepayment_required``) gets
quotations that ask for that share online before confirmation (Odoo's ``require_payment`` and
``prepayment_percent``); an order paid so is never stopped by the hold it gets around."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, formatLang


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

    ar_prepayment_percent = fields.Float(
        string="Customer's prepayment",
        compute="_compute_ar_partner_credit_hold",
        help="The customer pays this share of its orders in advance (its credit setting): "
        "the order is confirmed once it is paid online, or by a credit-control manager.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_ar_partner_credit_hold(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id).sudo()
            order.ar_partner_credit_hold = partner.ar_credit_hold
            order.ar_partner_credit_hold_reason = partner.ar_credit_hold and (
                partner.ar_credit_hold_reason
            )
            order.ar_prepayment_percent = order._ar_customer_prepayment()

    def _ar_customer(self):
        """The customer whose credit decides the order (commercial partner, in the order's
        company, sudo)."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()

    def _ar_customer_prepayment(self):
        """The share its customer pays in advance (0.0: none)."""
        partner = self._ar_customer()
        return partner.ar_prepayment_required and partner.ar_prepayment_percent or 0.0

    # Odoo's dependencies are kept (a quotation created for the customer is computed with
    # it; a customer chosen in the form is the onchange's), so that Odoo's behaviour is
    # unchanged for the customers who do not pay in advance
    def _compute_require_payment(self):
        res = super()._compute_require_payment()
        for order in self:
            if order.state in ("draft", "sent") and order._ar_customer_prepayment():
                order.require_payment = True
        return res

    def _compute_prepayment_percent(self):
        res = super()._compute_prepayment_percent()
        for order in self:
            share = order.state in ("draft", "sent") and order._ar_customer_prepayment()
            if share:
                order.prepayment_percent = share
        return res

    @api.onchange("partner_id")
    def _onchange_partner_id_ar_prepayment(self):
        share = self.state in ("draft", "sent") and self._ar_customer_prepayment()
        if share:
            self.require_payment = True
            self.prepayment_percent = share

    @api.model_create_multi
    def create(self, vals_list):
        """A customer's first quotation: the company's rule for new customers may ask for
        prepayment first (so that the quotation asks for it)."""
        by_company = defaultdict(set)
        for vals in vals_list:
            if vals.get("partner_id"):
                by_company[vals.get("company_id") or self.env.company.id].add(vals["partner_id"])
        for company_id, partner_ids in by_company.items():
            company = self.env["res.company"].browse(company_id)
            if company.ar_prepayment_new_customers:
                partners = self.env["res.partner"].browse(partner_ids).commercial_partner_id
                partners.with_company(company).sudo()._ar_require_new_customer_prepayment(
                    fields.Date.context_today(self)
                )
        orders = super().create(vals_list)
        orders._ar_check_prepayment_asked()
        return orders

    def write(self, vals):
        if vals.get("state") == "sale":
            # the one way an order is confirmed (Odoo's action_confirm writes it too, and so
            # may a caller over RPC): the credit decision first
            self._ar_check_credit()
        res = super().write(vals)
        if "partner_id" in vals:
            # another customer: its prepayment, as the form's onchange asks it
            for order in self.filtered(lambda o: o.state in ("draft", "sent")):
                share = order._ar_customer_prepayment()
                if share and "prepayment_percent" not in vals:
                    order.sudo().write({"require_payment": True, "prepayment_percent": share})
        if {"require_payment", "prepayment_percent", "partner_id"} & set(vals):
            self._ar_check_prepayment_asked()
        return res

    def _ar_check_prepayment_asked(self):
        """A quotation asks at least the share its customer pays in advance: asking less is
        a credit decision, the credit-control manager's."""
        if self.env.su or self.env.user.has_group("ar_followup.group_ar_manager"):
            return
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            share = order._ar_customer_prepayment()
            if share and not (
                order.require_payment
                and float_compare(order.prepayment_percent, share, precision_digits=4) >= 0
            ):
                partner = order._ar_customer()
                raise UserError(
                    self.env._(
                        "%(partner)s pays %(percent)s of its orders in advance: only a "
                        "credit-control manager can ask less on %(order)s.",
                        partner=partner.display_name,
                        percent=partner._ar_percent_text(share),
                        order=order.name,
                    )
                )

    @api.model
    def _ar_apply_prepayment(self, partners, share):
        """Ask the open quotations of ``partners`` (current company) for prepayment of
        ``share``, or, ``None``, give them the company's settings back."""
        orders = (
            self.sudo()
            .with_company(self.env.company)
            .search(
                [
                    ("partner_id", "child_of", partners.ids),
                    ("company_id", "=", self.env.company.id),
                    ("state", "in", ("draft", "sent")),
                ]
            )
        )
        if not orders:
            return
        if share:
            orders.write({"require_payment": True, "prepayment_percent": share})
        else:
            company = self.env.company
            orders.write(
                {
                    "require_payment": company.portal_confirmation_pay,
                    "prepayment_percent": company.prepayment_percent,
                }
            )

    def _ar_paid_in_advance(self):
        """Whether the order was paid online as far as it must be to go ahead whatever the
        customer's credit: the customer's prepayment share, else the share the order asks
        (never less than the company's), else all of it."""
        self.ensure_one()
        if not self.amount_paid:
            return False
        share = self._ar_customer_prepayment()
        if not share:
            share = 1.0
            if self.require_payment:
                share = max(self.prepayment_percent, self.company_id.prepayment_percent)
        required = self.currency_id.round(self.amount_total * min(share, 1.0))
        return self.currency_id.compare_amounts(self.amount_paid, required) >= 0

    def _ar_check_credit(self):
        """Stop the confirmation of orders whose customer is on credit hold or would go above
        its credit limit ('block' policy), unless the user is a credit-control manager: then
        the confirmation is logged on the order. An order paid online as it asked to be
        confirmed (the portal's pay-to-confirm, a prepayment: read off its transactions,
        never off the context a caller sends) is not stopped. The real user decides, not
        the superuser a portal flow runs as."""
        orders = self.filtered(
            lambda order: order.state in ("draft", "sent") and not order._ar_paid_in_advance()
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
        'block' policy; the prepayment it has to get first. A constant number of queries per
        company and customer, whatever the number of orders and their lines."""
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
                share = partner.ar_prepayment_required and partner.ar_prepayment_percent
                if share:
                    lines.append(
                        self.env._(
                            "%(partner)s pays %(percent)s of its orders in advance: "
                            "%(amount)s of %(order)s, paid online so far: %(paid)s.",
                            partner=partner.display_name,
                            percent=partner._ar_percent_text(share),
                            amount=formatLang(
                                self.env,
                                order.currency_id.round(order.amount_total * share),
                                currency_obj=order.currency_id,
                            ),
                            order=order.name,
                            paid=formatLang(
                                self.env, order.amount_paid, currency_obj=order.currency_id
                            ),
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
