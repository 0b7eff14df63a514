# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Pay from the statement: all overdue invoices, or those chosen, in one online payment, with
Odoo's own payment form and transactions (``account_payment``): one transaction for several
invoices, reconciled with exactly them by Odoo when the provider confirms it."""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.account_payment.controllers.portal import PortalAccount


def _ar_ids(values):
    """Invoice ids from a query string or a JSON list, ``None`` when none were chosen."""
    if values in (None, "", []):
        return None
    if isinstance(values, str):
        values = values.split(",")
    try:
        return {int(value) for value in values}
    except (TypeError, ValueError) as error:
        raise NotFound() from error


def _ar_customer(token):
    """The customer of a statement link or of the logged-in portal user (``token`` None)."""
    if token is None:
        if request.env.user._is_public():
            raise NotFound()
        partner = request.env.user.partner_id.commercial_partner_id.sudo()
        return partner.with_company(request.env.company)
    partner = request.env["ar.statement.link"]._ar_customer(token)
    if not partner:
        raise NotFound()
    return partner


def _ar_invoices(partner, invoice_ids, currency_id=None):
    """The invoices of one payment: the chosen ones (each of them the customer's, open and
    payable, else 404: nothing shows), else the overdue ones, of one currency."""
    company = partner.env.company
    Statement = request.env["ar.followup.statement"].sudo().with_company(company)
    by_currency = Statement._ar_payable(
        partner, company, fields.Date.context_today(Statement), invoice_ids
    )
    invoices = request.env["account.move"].sudo().union(*by_currency.values())
    if invoice_ids is not None and set(invoices.ids) != invoice_ids:
        raise NotFound()
    if currency_id:
        invoices = invoices.filtered(lambda move: move.currency_id.id == currency_id)
    elif len(by_currency) > 1:
        raise NotFound()  # one payment is in one currency: the page offers one per currency
    if not invoices:
        raise NotFound()
    return invoices


class ArStatementPayment(PortalAccount):
    def _ar_pay_page(self, token, base, invoice_ids=None, currency_id=None, **kw):
        partner = _ar_customer(token)
        currency_id = int(currency_id) if str(currency_id or "").isdigit() else None
        # the statement's form sends one invoice_ids per invoice ticked
        chosen = request.httprequest.args.getlist("invoice_ids") or invoice_ids
        invoices = _ar_invoices(partner, _ar_ids(chosen), currency_id)
        company, currency = partner.env.company, invoices.currency_id
        amount = sum(invoices.mapped("amount_residual"))
        reference = (
            company.get_next_batch_payment_communication() if len(invoices) > 1 else invoices.name
        )
        values = {
            "page_name": "overdue_invoices",
            "payment": {"date": fields.Date.today(), "reference": reference, "amount": amount},
            "amount": amount,
            "currency": currency,
        }
        values |= self._get_common_page_view_values(
            invoices_data={
                "partner": partner,
                "company": company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": reference,
                "landing_route": f"{base}?paid=1",
                # the invoices are part of the route: the payment form posts only its own values
                "transaction_route": f"{base}/transaction/" + ",".join(map(str, invoices.ids)),
            },
            **kw,
        )
        return request.render("account_payment.portal_overdue_invoices_page", values)

    @http.route(["/my/statement/pay"], type="http", auth="user", website=True, sitemap=False)
    def portal_statement_pay(self, invoice_ids=None, currency_id=None, **kw):
        return self._ar_pay_page(None, "/my/statement", invoice_ids, currency_id)

    @http.route(
        ["/statement/<string:token>/pay"], type="http", auth="public", website=True, sitemap=False
    )
    def portal_statement_link_pay(self, token, invoice_ids=None, currency_id=None, **kw):
        return self._ar_pay_page(token, f"/statement/{token}", invoice_ids, currency_id)


class ArStatementTransaction(PaymentPortal):
    def _ar_transaction(self, token, invoice_ids, payment_reference, kwargs):
        """One transaction for the invoices the page offered, for their open amount (whatever
        amount the browser sends)."""
        partner = _ar_customer(token)
        ids = _ar_ids(invoice_ids)
        if ids is None:
            raise ValidationError(request.env._("Choose the invoices to pay."))
        try:
            invoices = _ar_invoices(partner, ids)
        except NotFound as error:
            raise ValidationError(
                request.env._("These invoices cannot be paid here any more.")
            ) from error
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = sum(invoices.mapped("amount_residual"))
        return self._process_transaction(
            partner.id, invoices.currency_id.id, invoices.ids, payment_reference, **kwargs
        )

    @http.route(["/my/statement/transaction/<string:invoice_ids>"], type="json", auth="user")
    def portal_statement_transaction(self, invoice_ids, payment_reference=None, **kwargs):
        return self._ar_transaction(None, invoice_ids, payment_reference, kwargs)

    @http.route(
        ["/statement/<string:token>/transaction/<string:invoice_ids>"], type="json", auth="public"
    )
    def portal_statement_link_transaction(
        self, token, invoice_ids, payment_reference=None, **kwargs
    ):
        return self._ar_transaction(token, invoice_ids, payment_reference, kwargs)
