# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision at the sales order: an order of a customer on credit hold, or one that
takes its exposure above its credit limit under the *Block* policy, is not confirmed but on a
credit-control manager's override (with its reason, logged on the order). It is decided where
the order becomes confirmed, whatever got it there (``write`` of the state, which Odoo's
confirmation uses, ``create`` in that state, a cancelled order set back), and again when a
confirmed order changes in what the decision was about: another customer, lines added or
raised (``sale_order_line.py``). *Warn* keeps Odoo's banner. A customer who pays in advance
(``res.partner.ar_prepayment_required``) gets quotations that ask for that share online
before confirmation (Odoo's ``require_payment`` and ``prepayment_percent``); an order paid so
is never stopped by the hold it gets around; nothing less than that share (or, without one,
the whole order) is."""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, formatLang

from .ar_customer_account import percent_text


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ar_partner_credit_hold = fields.Boolean(
        string="Customer on credit hold",
        compute="_compute_ar_partner_credit_hold",
        help="The customer is on credit hold in the order's company: the order cannot be "
        "confirmed but by a credit-control manager.",
    )
    ar_partner_credit_hold_reason = fields.Char(
        string="Credit hold reason",
        compute="_compute_ar_partner_credit_hold",
        groups="base.group_user",
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
                partner.ar_account_id.credit_hold_reason
            )
            order.ar_prepayment_percent = order._ar_customer_prepayment()

    def _compute_partner_credit_warning(self):  # pylint: disable=missing-return
        # Odoo's banner of a quotation, and what the bridges add
        # (:meth:`ArCustomerAccount._ar_credit_warnings`, with the quotation's amount)
        super()._compute_partner_credit_warning()
        Decision = self.env["ar.customer.account"]
        for order in self.filtered(lambda o: o.state in ("draft", "sent") and o.partner_id):
            company = order.company_id
            amount = order.currency_id._convert(
                order.amount_total, company.currency_id, company, fields.Date.context_today(order)
            )
            payer = order.partner_invoice_id.commercial_partner_id or order._ar_customer()
            lines = Decision._ar_credit_warnings(payer, company, amount)
            if lines:
                order.partner_credit_warning = " ".join(
                    filter(None, [order.partner_credit_warning, *lines])
                )

    def _ar_customer(self):
        """The customer whose credit decides the order (commercial partner, in the order's
        company, sudo)."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()

    def _ar_customer_prepayment(self):
        """The share its customer pays in advance (0.0: none)."""
        account = self._ar_customer().ar_account_id
        return account.prepayment_required and account.prepayment_percent or 0.0

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
                Account = self.env["ar.customer.account"].with_company(company).sudo()
                Account._ar_require_new_customer_prepayment(
                    partners.with_company(company).sudo(), fields.Date.context_today(self)
                )
        if not self.env.su and any("transaction_ids" in vals for vals in vals_list):
            raise AccessError(
                self.env._("The online payments of an order are linked by the payment itself.")
            )
        orders = super().create(vals_list)
        orders._ar_check_prepayment_asked()
        # created confirmed (over RPC, or by another module): decided as a confirmation
        orders.filtered(lambda o: o.state == "sale")._ar_check_credit()
        return orders

    def write(self, vals):
        if "transaction_ids" in vals and not self.env.su:
            # what the credit decision reads of a payment: the payment flow's links only
            raise AccessError(
                self.env._("The online payments of an order are linked by the payment itself.")
            )
        # the one way an order is confirmed (Odoo's action_confirm writes it too, and so may
        # a caller over RPC, from any state, with another customer in the same write)
        confirming = (
            self.filtered(lambda o: o.state != "sale") if vals.get("state") == "sale" else None
        )
        confirmed = self.filtered(lambda o: o.state == "sale")
        customers = (
            {order: order._ar_credit_customers() for order in confirmed}
            if {"partner_id", "partner_invoice_id"} & set(vals)
            else {}
        )
        res = super().write(vals)
        if confirming:
            # decided as the write leaves them
            confirming.filtered(lambda o: o.state == "sale")._ar_check_credit()
        if customers:
            # a confirmed order moved to another customer: that customer's decision
            confirmed.filtered(
                lambda o: o.state == "sale" and o._ar_credit_customers() != customers[o]
            )._ar_check_credit(
                self.env._("Only a credit-control manager can move this order to that customer."),
                self.env._("Moved to this customer by %(user)s despite:"),
            )
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
                        percent=percent_text(share),
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
        """Whether the order was paid online, by its own customers, as far as it must be to go
        ahead whatever the customer's credit: the customer's own prepayment share (set by a
        credit-control manager, the ladder or the new-customer rule), else all of it. What
        the quotation asks (``prepayment_percent``, which a salesperson writes) is no
        exemption; the transactions and their links are the payment flow's
        (``ar_followup/models/payment_transaction_trust.py``)."""
        self.ensure_one()
        customers = self._ar_credit_customers()
        paid = sum(
            tx.amount
            for tx in self.sudo().transaction_ids
            if tx.state in ("authorized", "done")
            and tx.currency_id == self.currency_id
            and tx.partner_id.commercial_partner_id in customers
            and tx.sale_order_ids == self  # made for this order, not another one's
        )
        if not paid:
            return False
        share = self._ar_customer_prepayment() or 1.0
        required = self.currency_id.round(self.amount_total * min(share, 1.0))
        return self.currency_id.compare_amounts(paid, required) >= 0

    def action_confirm(self):
        """The button: a credit-control manager is asked for the override and its reason
        first; anybody else is refused at once (the decision itself is the confirmation's)."""
        action = self.env["ar.credit.override"]._ar_button(
            self.filtered(lambda o: o.state != "sale"),
            self.env._("Only a credit-control manager can confirm this order."),
        )
        return action or super().action_confirm()

    def action_ar_credit_override(self):
        """*Credit override* (a credit-control manager): the override of the order's next
        step (its confirmation, lines added to it), with its reason, without taking it yet."""
        return self.env["ar.credit.override.wizard"]._ar_action(self, proceed=False)

    def _ar_check_credit(self, refusal=None, override=None):
        """The credit decision of these orders: each goes ahead only without a problem, or
        paid in advance, or on a credit-control manager's override (logged on the order)."""
        if not self:
            return
        self.env["ar.credit.override"]._ar_decide(
            self._ar_credit_document_problems(),
            refusal or self.env._("Only a credit-control manager can confirm this order."),
            override or self.env._("Confirmed by %(user)s despite:"),
        )

    def _ar_goods(self):
        """``{product: quantity}`` of the order's lines, in the products' units."""
        self.ensure_one()
        goods = {}
        for line in self.order_line.filtered("product_id"):
            quantity = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
            goods[line.product_id] = goods.get(line.product_id, 0.0) + quantity
        return goods

    def _ar_check_raised(self):
        """Confirmed orders whose amount went up (``sale_order_line.py``): the credit
        decision of what was added."""
        self._ar_check_credit(
            self.env._("Only a credit-control manager can add to this order."),
            self.env._("Raised by %(user)s despite:"),
        )

    def _ar_credit_document_problems(self):
        """``{order: [why not]}`` of the orders not paid in advance (the protocol of
        ``ar.credit.override``)."""
        Decision = self.env["ar.customer.account"]
        return self.filtered(
            lambda order: (
                any(
                    Decision._ar_credit_may_stop(customer, order.company_id)
                    for customer in order._ar_credit_customers()
                )
                and not order._ar_paid_in_advance()
            )
        )._ar_credit_problems()

    def _ar_credit_document_customer(self):
        return self.partner_id.commercial_partner_id

    def _ar_credit_document_snapshot(self):
        return {"amount": self.amount_total}

    def _ar_credit_document_action(self):
        return "action_confirm"

    def _ar_credit_customers(self):
        """The customers whose credit decides the order (commercial partners): its customer
        and, when another, the one it is invoiced to."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id | self.partner_invoice_id.commercial_partner_id

    def _ar_credit_problems(self):
        """``{order: [why it may not be confirmed]}``: the credit hold of its customers in
        the order's company, and an exposure (open receivables, draft invoices, orders to
        invoice, and this order when not yet confirmed, in company currency) of the customer
        it is invoiced to above its credit limit under the 'block' policy; the prepayment it
        has to get first. A constant number of queries per company and customer, whatever
        the number of orders and their lines."""
        Decision = self.env["ar.customer.account"]
        problems = {}
        for (company, customers), orders in self.grouped(
            lambda order: (order.company_id, order._ar_credit_customers())
        ).items():
            customers = customers.with_company(company).sudo()
            # Odoo's credit figures are computed, not stored: read them anew
            customers.invalidate_recordset(["credit", "credit_to_invoice"])
            for order in orders:
                lines = [
                    Decision._ar_credit_hold_problem(customer, company) for customer in customers
                ]
                payer = order.partner_invoice_id.commercial_partner_id.with_company(company).sudo()
                lines.append(order._ar_credit_excess_problem(payer))
                lines.append(order._ar_prepayment_problem(order._ar_customer()))
                problems[order] = [line for line in lines if line]
        return problems

    def _ar_credit_excess_problem(self, partner):
        """The excess of ``partner``'s exposure with this order over its blocking limit (a
        quotation adds its amount; a confirmed order is in the exposure already)."""
        company = self.company_id
        amount = 0.0
        if self.state != "sale":
            amount = self.currency_id._convert(
                self.amount_total, company.currency_id, company, self.date_order.date()
            )
        excess = self.env["ar.customer.account"]._ar_credit_excess_figures(partner, company, amount)
        if not excess:
            return None
        if self.state != "sale":
            return self.env._(
                "Confirming %(order)s takes the exposure of %(partner)s to "
                "%(exposure)s, above its credit limit of %(limit)s by %(excess)s.",
                order=self.name,
                **excess,
            )
        return self.env._(
            "With %(order)s as it is now, the exposure of %(partner)s is %(exposure)s, above "
            "its credit limit of %(limit)s by %(excess)s.",
            order=self.name,
            **excess,
        )

    def _ar_prepayment_problem(self, partner):
        account = partner.ar_account_id
        share = account.prepayment_required and account.prepayment_percent
        if not share:
            return None
        return self.env._(
            "%(partner)s pays %(percent)s of its orders in advance: "
            "%(amount)s of %(order)s, paid online so far: %(paid)s.",
            partner=partner.display_name,
            percent=percent_text(share),
            amount=formatLang(
                self.env,
                self.currency_id.round(self.amount_total * share),
                currency_obj=self.currency_id,
            ),
            order=self.name,
            paid=formatLang(self.env, self.amount_paid, currency_obj=self.currency_id),
        )

    def _ar_paid_but_stopped(self, tx, problems):
        """Say on the quotation that it was paid online and why it waits, and ask the
        credit-control manager to decide."""
        self.ensure_one()
        note = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
            self.env._(
                "%(amount)s paid online (%(reference)s); the order is not confirmed:",
                amount=formatLang(self.env, tx.amount, currency_obj=tx.currency_id),
                reference=tx.reference,
            ),
            Markup().join(Markup("<li>%s</li>") % line for line in problems),
            self.env._("A credit-control manager confirms it (Credit override) or refunds it."),
        )
        order = self.sudo()
        order._message_log(body=note)
        manager = order.company_id._ar_credit_manager()
        order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Paid online, stopped by the credit decision"),
            note=note,
            user_id=manager.id,
        )

    def _has_to_be_signed(self):
        """A quotation of a customer on credit hold is not accepted online (unless it is paid
        online to be confirmed): the portal says why."""
        return super()._has_to_be_signed() and not (
            self.ar_partner_credit_hold and not self.require_payment
        )
