# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The statement page offers the SEPA direct debit mandate (``account_banking_mandate.py``):
signed by the customer of the statement link (its token is the key) or by a portal user for
its own company, with Odoo's CSRF token on the POST."""

from odoo import http
from odoo.http import request

from odoo.addons.ar_followup.controllers.portal import ArFollowupPortal, _ar_printable
from odoo.addons.ar_followup.controllers.statement_payment import _ar_link_gone, _ar_private


class DirectDebitPortal(ArFollowupPortal):
    def _ar_statement_values(self, partner, base, *args, **kwargs):
        values = super()._ar_statement_values(partner, base, *args, **kwargs)
        company = partner.env.company
        Mandate = request.env["account.banking.mandate"].sudo()
        values.update(
            {
                "dd_offer": Mandate._ar_offer(partner, company),
                "dd_form": values.get("dd_form", {}),
                "dd_errors": values.get("dd_errors", {}),
            }
        )
        return values

    def _ar_sign_mandate(self, partner, base, post, channel):
        Mandate = request.env["account.banking.mandate"].sudo()
        company = partner.env.company
        if not Mandate._ar_offer(partner, company):
            return request.redirect(base)
        origin = {"channel": channel, "ip": request.httprequest.remote_addr}
        _mandate, errors = Mandate._ar_sign_online(partner, company, post, origin)
        if errors:
            values = self._ar_statement_values(partner, base)
            values["dd_form"] = {
                key: _ar_printable(post.get(key) or "") for key in ("holder", "iban", "place")
            }
            values["dd_errors"] = errors
            return request.render("ar_followup.portal_statement", values)
        return request.redirect(f"{base}?mandate_signed=1")

    def _ar_statement_page(self, partner, base, query):
        page = super()._ar_statement_page(partner, base, query)
        if query.get("mandate_signed") and hasattr(page, "qcontext"):
            page.qcontext["dd_signed"] = True
        return page

    @http.route(["/my/statement/mandate"], type="http", auth="user", website=True, methods=["POST"])
    def portal_sign_mandate(self, **post):
        return _ar_private(
            self._ar_sign_mandate(self._ar_statement_partner(), "/my/statement", post, "portal")
        )

    @http.route(
        ["/statement/<string:token>/mandate"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_statement_link_mandate(self, token, **post):
        partner = request.env["ar.statement.link"]._ar_customer(token)
        if not partner:
            return _ar_link_gone()
        return _ar_private(
            self._ar_sign_mandate(partner, f"/statement/{token}", post, "statement link")
        )
