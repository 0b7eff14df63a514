# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Pay from the statement: all overdue invoices, or those chosen, in one online payment, with
Odoo's own payment form and transactions (``account_payment``): one transaction for several
invoices, reconciled with exactly them by Odoo when the provider confirms it."""

import base64
import re

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

# where the customer came from to pay (its statement, with the link's token): in the session
STATEMENT_KEY = "ar_followup_statement"
# what an e-mail shows for a QR code with nothing to pay any more: one transparent pixel
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)


# the largest id PostgreSQL's integer holds: a larger one in an address is no record's
MAX_ID = 2**31 - 1


def _ar_id(value):
    """A record id from an address (text or a number), ``None`` when it is none: digits
    only (``int()`` takes other digits and signs) and within PostgreSQL's integer, which
    refuses a larger one with a 500 (a new user's trial)."""
    text = str(value if value is not None else "")
    if not re.fullmatch(r"[0-9]{1,10}", text) or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


def _ar_ids(values):
    """Invoice ids from a query string or a JSON list, ``None`` when none were chosen."""
    if values in (None, "", []):
        return None
    if isinstance(values, str):
        values = values.split(",")
    ids = {_ar_id(value) for value in values}
    if None in ids:
        raise NotFound()
    return ids


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


def _ar_private(response):
    """A page opened by a statement link: never cached, its address never sent on."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _ar_link_gone():
    """The page of a wrong, expired or revoked statement link: a 404 that says what to do
    (served here: Odoo's fallback for unknown paths fails on a NUL byte in them)."""
    return _ar_private(request.render("ar_followup.portal_statement_link_gone", {}, status=404))


def _ar_nothing_to_pay(base):
    """A pay page of invoices that cannot be paid (paid since, another customer's, none
    chosen): a 404 that leads back to the statement, private as the link's other pages."""
    page = request.render("ar_followup.portal_statement_nothing_to_pay", {"base": base}, status=404)
    return _ar_private(page)


def _ar_invoices(partner, invoice_ids, currency_id=None):
    """The invoices of one payment: the chosen ones (each of them the customer's, open and
    payable, else 404: nothing shows), else what the reminders ask (the overdue ones; when
    none is overdue, the open ones), of one currency."""
    company = partner.env.company
    Statement = request.env["ar.followup.statement"].sudo().with_company(company)
    today = fields.Date.context_today(Statement)
    if invoice_ids is None:
        by_currency = Statement._ar_to_pay(partner, company, today)
    else:
        by_currency = Statement._ar_payable(partner, company, today, invoice_ids)
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
    def _ar_pay_page(self, partner, token, base, invoice_ids=None, currency_id=None, choose=None):
        currency_id = _ar_id(currency_id)
        # the statement's form sends one invoice_ids per invoice ticked
        chosen = request.httprequest.args.getlist("invoice_ids") or invoice_ids
        if choose and not chosen:
            # "Pay the invoices chosen" with none ticked (a new user paid all overdue so)
            return request.redirect(f"{base}?choose=1#ar_pay")
        invoices = _ar_invoices(partner, _ar_ids(chosen), currency_id)
        request.session[STATEMENT_KEY] = base
        company, currency = partner.env.company, invoices.currency_id
        amount, discount = _ar_amount(invoices)
        # what the page shows; the transaction takes its own (a batch number for several
        # invoices: not one used up by every look at the page)
        reference = (
            ", ".join(invoices.mapped("name"))
            if len(invoices) <= 3
            else (request.env._("%(count)s invoices", count=len(invoices)))
        )
        values = {
            "page_name": "statement",
            "ar_invoices": invoices,
            "ar_lang": partner.lang,  # its due dates in the customer's language
            "ar_back": base,
            "payment": {"date": fields.Date.today(), "reference": reference, "amount": amount},
            "amount": amount,
            "currency": currency,
            "ar_discount": discount,
        }
        values |= self._get_common_page_view_values(
            invoices_data={
                "partner": partner,
                "company": company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": reference,
                "landing_route": _ar_landing(token),
                # the invoices are part of the route: the payment form posts only its own values
                "transaction_route": f"{base}/transaction/" + ",".join(map(str, invoices.ids)),
            },
        )
        if token is not None:
            # whoever holds the link pays; it saves no card and uses none on the customer
            values.update(
                tokens_sudo=request.env["payment.token"],
                show_tokenize_input_mapping=dict.fromkeys(values["providers_sudo"].ids, False),
            )
        return _ar_private(request.render("account_payment.portal_overdue_invoices_page", values))

    @http.route(["/my/statement/qr.png"], type="http", auth="user", sitemap=False)
    def portal_statement_qr(self, **kw):
        return _ar_qr_image(_ar_customer(None))

    @http.route(
        ["/statement/qr/<int:link_id>/<string:signature>.png"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def portal_statement_link_qr(self, link_id, signature, **kw):
        """The QR code of a reminder e-mail: an image e-mail clients (and their image
        proxies) fetch, for what the customer owes when the e-mail is read. Its address
        carries a signature of the link, not the link's token: it opens no statement and
        pays nothing."""
        link = request.env["ar.statement.link"]._ar_find_qr(link_id, signature)
        if link is None:
            raise NotFound()  # not an address we made
        if not link:
            return _ar_png(BLANK_PNG)  # revoked or expired: an e-mail shows no broken image
        partner = link.partner_id.commercial_partner_id.sudo().with_company(link.company_id)
        return _ar_qr_image(partner, blank=True)

    @http.route(
        ["/statement/qr/<int:link_id>/<string:moves>/<string:signature>.png"],
        type="http",
        auth="public",
        sitemap=False,
    )
    def portal_statement_link_reminder_qr(self, link_id, moves, signature, **kw):
        """The QR code of a reminder e-mail: what is still open of the invoices that reminder
        asked (its address names them, signed), never other invoices; a blank pixel when
        they are paid."""
        if not re.fullmatch(r"\d+(-\d+)*", moves or ""):
            raise NotFound()
        link = request.env["ar.statement.link"]._ar_find_qr(link_id, signature, moves)
        if link is None:
            raise NotFound()
        if not link:
            return _ar_png(BLANK_PNG)
        partner = link.partner_id.commercial_partner_id.sudo().with_company(link.company_id)
        return _ar_qr_image(partner, blank=True, invoice_ids=[int(i) for i in moves.split("-")])

    @http.route(["/my/statement/pay"], type="http", auth="user", website=True, sitemap=False)
    def portal_statement_pay(self, invoice_ids=None, currency_id=None, **kw):
        partner = _ar_customer(None)
        try:
            return self._ar_pay_page(
                partner, None, "/my/statement", invoice_ids, currency_id, kw.get("choose")
            )
        except NotFound:
            return _ar_nothing_to_pay("/my/statement")

    @http.route(
        ["/statement/<string:token>/pay"], type="http", auth="public", website=True, sitemap=False
    )
    def portal_statement_link_pay(self, token, invoice_ids=None, currency_id=None, **kw):
        partner = request.env["ar.statement.link"]._ar_customer(token)
        if not partner:
            return _ar_link_gone()
        base = f"/statement/{token}"
        try:
            return self._ar_pay_page(
                partner, token, base, invoice_ids, currency_id, kw.get("choose")
            )
        except NotFound:
            return _ar_nothing_to_pay(base)


def _ar_today():
    return fields.Date.context_today(request.env["ar.followup.statement"])


def _ar_amount(invoices):
    """``(amount, discount)``: what paying ``invoices`` costs today, the early-payment
    discounts still valid deducted."""
    Statement = request.env["ar.followup.statement"].sudo().with_company(invoices.company_id)
    return Statement._ar_amount_to_pay(invoices, _ar_today())


def _ar_qr_image(partner, blank=False, invoice_ids=None):
    """The SEPA QR code of the statement of ``partner`` (``invoice_ids``: of these of its
    invoices only), as a PNG; when there is nothing to pay by transfer any more, 404, or
    (``blank``: the image of an e-mail) a blank pixel."""
    company = partner.env.company
    Statement = request.env["ar.followup.statement"].sudo().with_company(company)
    qr = Statement._ar_sepa_qr(
        partner, company, fields.Date.context_today(Statement), invoice_ids=invoice_ids
    )
    if not qr:
        if not blank:
            raise NotFound()
        return _ar_png(BLANK_PNG)
    return _ar_png(qr["png"])


def _ar_png(png):
    response = request.make_response(
        png, [("Content-Type", "image/png"), ("Content-Length", len(png))]
    )
    return _ar_private(response)


def _ar_reference(invoices):
    """The payment reference: the invoice's, or the company's next batch communication."""
    if len(invoices) > 1:
        return invoices.company_id.get_next_batch_payment_communication()
    return invoices.name


def _ar_landing(token):
    """Where the customer lands after paying: the statement for a portal user; for a link,
    a page without the token (the transaction, which internal users read, keeps it not)."""
    return "/my/statement?paid=1" if token is None else "/statement/paid"


class ArStatementTransaction(PaymentPortal):
    def _ar_transaction(self, token, invoice_ids, kwargs):
        """One transaction for the invoices the page offered, for their open amount, with a
        provider and payment method the page offered; the amount, the reference and the
        landing route are the server's, whatever the browser sends."""
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
        kwargs.pop("payment_reference", None)
        self._validate_transaction_kwargs(kwargs)
        currency = invoices.currency_id
        amount, discount = _ar_amount(invoices)
        self._ar_check_method(partner, currency, amount, kwargs, link=token is not None)
        kwargs.update(amount=amount, landing_route=_ar_landing(token), is_validation=False)
        if token is not None:
            kwargs.update(tokenization_requested=False)
        processing = self._process_transaction(
            partner.id, currency.id, invoices.ids, _ar_reference(invoices), **kwargs
        )
        if discount:
            # the discounts this amount deducts, for the payment to write them off
            request.env["payment.transaction"].sudo().search(
                [("reference", "=", processing["reference"])], limit=1
            ).write(
                {
                    "ar_discount_date": _ar_today(),
                    "ar_discount_amount": discount,
                }
            )
        return processing

    def _ar_check_method(self, partner, currency, amount, kwargs, link):
        """The provider and payment method must be ones the pay page offered (enabled for the
        company and the amount); a link pays with no saved payment method."""
        company = partner.env.company
        try:
            provider_id = int(kwargs.get("provider_id") or 0)
            method_id = int(kwargs.get("payment_method_id") or 0)
        except (TypeError, ValueError):
            provider_id = method_id = 0
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(company.id, partner.id, amount, currency_id=currency.id)
        )
        methods = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(providers.ids, partner.id, currency_id=currency.id)
        )
        flow = kwargs.get("flow")
        if (
            provider_id not in providers.ids
            or method_id not in methods.ids
            or flow not in ("direct", "redirect", "token")
            or (link and flow == "token")
        ):
            raise ValidationError(request.env._("This way of paying is not available here."))

    @http.route(["/my/statement/transaction/<string:invoice_ids>"], type="json", auth="user")
    def portal_statement_transaction(self, invoice_ids, **kwargs):
        return self._ar_transaction(None, invoice_ids, kwargs)

    @http.route(
        ["/statement/<string:token>/transaction/<string:invoice_ids>"], type="json", auth="public"
    )
    def portal_statement_link_transaction(self, token, invoice_ids, **kwargs):
        return self._ar_transaction(token, invoice_ids, kwargs)

    @http.route(["/statement/paid"], type="http", auth="public", website=True, sitemap=False)
    def portal_statement_paid(self, **kw):
        """After paying through a statement link (an address without the token): what became
        of this browser's payment (paid, being processed, or not paid: found by the test of
        a new user, who was thanked for a payment that had failed), and the way back to the
        statement, both kept in the session only."""
        tx = PaymentPostProcessing()._get_monitored_transaction()
        if tx and not tx.invoice_ids:
            tx = tx.browse()
        values = {"tx": tx, "back": request.session.get(STATEMENT_KEY)}
        return _ar_private(request.render("ar_followup.portal_statement_paid", values))
