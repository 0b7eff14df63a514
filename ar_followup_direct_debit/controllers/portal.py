# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The statement page offers the SEPA direct debit mandate (``account_banking_mandate.py``):
signed by the customer of the statement link (its token is the key) or by a portal user for
its own company, with Odoo's CSRF token on the POST."""

from datetime import date, timedelta

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import request

from odoo.addons.account_payment.controllers import portal
from odoo.addons.ar_followup.controllers.portal import ArFollowupPortal, _ar_printable
from odoo.addons.ar_followup.controllers.statement_payment import (
    _ar_id,
    _ar_link_gone,
    _ar_private,
)

from ..models.account_move import RECOLLECT_MAX_DAYS, RECOLLECT_MIN_DAYS


class DirectDebitPortal(ArFollowupPortal):
    def _ar_statement_values(self, partner, base, *args, **kwargs):
        values = super()._ar_statement_values(partner, base, *args, **kwargs)
        company = partner.env.company
        Mandate = request.env["account.banking.mandate"].sudo()
        today = fields.Date.context_today(Mandate.with_company(company))
        values.update(
            {
                "dd_offer": Mandate._ar_offer(partner, company),
                "dd_form": values.get("dd_form", {}),
                "dd_errors": values.get("dd_errors", {}),
                "dd_returned": self._ar_dd_returned(partner, company),
                "dd_recollect_first": today + timedelta(RECOLLECT_MIN_DAYS),
                "dd_recollect_last": today + timedelta(RECOLLECT_MAX_DAYS),
                "dd_recollect_error": "",
            }
        )
        return values

    def _ar_dd_recollect_asked(self, partner, move_id):
        """The invoice of ``partner`` whose new debit was just asked (``move_id`` from the
        page's address), with its date as stored: the thank-you names what was recorded,
        and nothing for an id that is not this customer's or asked nothing (sudo)."""
        move_id = _ar_id(move_id)
        if move_id is None:
            return request.env["account.move"]
        return (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("id", "=", move_id),
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", partner.env.company.id),
                    ("ar_dd_recollect_date", "!=", False),
                ]
            )
        )

    def _ar_dd_returned(self, partner, company):
        """The customer's returned invoices it may have debited again (sudo)."""
        moves = (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("returned_payment", "=", True),
                    ("ar_dd_recollect_date", "=", False),
                    ("amount_residual", ">", 0),
                ]
            )
        )
        return moves._ar_dd_recollectable()

    def _ar_recollect(self, partner, base, post, channel):
        company = partner.env.company
        try:
            move_id = int(post.get("invoice_id") or 0)
        except ValueError:
            move_id = 0
        move = self._ar_dd_returned(partner, company).filtered(lambda m: m.id == move_id)
        try:
            day = date.fromisoformat(post.get("date") or "")
        except ValueError:
            day = None
        if not move:
            error = request.env._("This invoice cannot be collected again by direct debit.")
        else:
            error = move._ar_dd_ask_recollect(day, channel)
        if error:
            values = self._ar_statement_values(partner, base)
            values["dd_recollect_error"] = error
            return request.render("ar_followup.portal_statement", values)
        return request.redirect(f"{base}?recollect={move.id}#o_ar_dd_feedback")

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
        return request.redirect(f"{base}?mandate_signed=1#o_ar_dd_feedback")

    def _ar_statement_page(self, partner, base, query):
        page = super()._ar_statement_page(partner, base, query)
        if hasattr(page, "qcontext"):
            page.qcontext["dd_signed"] = bool(query.get("mandate_signed"))
            page.qcontext["dd_recollect_asked"] = self._ar_dd_recollect_asked(
                partner, query.get("recollect")
            )
        return page

    @http.route(
        ["/my/statement/recollect"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_recollect(self, **post):
        return _ar_private(
            self._ar_recollect(self._ar_statement_partner(), "/my/statement", post, "portal")
        )

    @http.route(
        ["/statement/<string:token>/recollect"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_statement_link_recollect(self, token, **post):
        partner = request.env["ar.statement.link"]._ar_customer(token)
        if not partner:
            return _ar_link_gone()
        return _ar_private(
            self._ar_recollect(partner, f"/statement/{token}", post, "statement link")
        )

    def _ar_mandate_b2b_pdf(self, partner):
        """The business (B2B) mandate form of ``partner`` (sudo), to print and sign."""
        company = partner.env.company
        if not request.env["account.banking.mandate"].sudo()._ar_offer(partner, company):
            raise NotFound()
        report = request.env["ir.actions.report"].sudo().with_company(company)
        content, _kind = report.with_context(lang=partner.lang)._render_qweb_pdf(
            "ar_followup_direct_debit.action_report_mandate_b2b", partner.ids
        )
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(content)),
            ("Content-Disposition", 'attachment; filename="sepa-b2b-mandate.pdf"'),
        ]
        return request.make_response(content, headers)

    @http.route(["/my/statement/mandate_b2b"], type="http", auth="user", website=True)
    def portal_mandate_b2b(self, **kw):
        return _ar_private(self._ar_mandate_b2b_pdf(self._ar_statement_partner()))

    @http.route(
        ["/statement/<string:token>/mandate_b2b"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def portal_statement_link_mandate_b2b(self, token, **kw):
        partner = request.env["ar.statement.link"]._ar_customer(token)
        if not partner:
            return _ar_link_gone()
        return _ar_private(self._ar_mandate_b2b_pdf(partner))

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


class PortalAccount(portal.PortalAccount):
    def _get_overdue_invoices_domain(self, partner_id=None):
        """Pay overdue leaves out the invoices being debited (paid twice otherwise)."""
        domain = super()._get_overdue_invoices_domain(partner_id=partner_id)
        Move = request.env["account.move"].sudo()
        today = fields.Date.context_today(Move)
        collected = Move._ar_dd_collections(today, Move.search(domain).ids)
        return [*domain, ("id", "not in", list(collected))] if collected else domain
