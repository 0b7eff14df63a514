# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from werkzeug.exceptions import Forbidden, NotFound

from odoo import SUPERUSER_ID, fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import format_date, formatLang

from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .statement_payment import _ar_link_gone, _ar_private

MAX_PAY_CHOICES = 50  # invoices offered to tick on the statement page


def _ar_printable(value):
    """What the customer typed, to show it again in the form: without NUL bytes (which
    neither PostgreSQL nor a browser take)."""
    return value.replace("\x00", "")


class ArFollowupPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dispute_count" in counters:
            Dispute = request.env["ar.dispute"]
            values["dispute_count"] = Dispute.search_count([]) if Dispute.has_access("read") else 0
        return values

    def _ar_check_document(self, model, record_id, access_token):
        """The record, sudoed, if the user may read it or has its token; 404 or 403 else."""
        try:
            return self._document_check_access(model, record_id, access_token)
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error

    # ------------------------------------------------------------------
    # My disputes
    # ------------------------------------------------------------------

    @http.route(
        ["/my/disputes", "/my/disputes/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_disputes(self, page=1, **kw):
        Dispute = request.env["ar.dispute"]
        if not Dispute.has_access("read"):
            raise Forbidden()
        total = Dispute.search_count([])
        pager = portal_pager(url="/my/disputes", total=total, page=page, step=self._items_per_page)
        disputes = Dispute.search([], limit=self._items_per_page, offset=pager["offset"])
        request.session["my_disputes_history"] = disputes.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "disputes": disputes,
                # the dates in the customer's language, as its e-mails write them
                "ar_lang": request.env.user.partner_id.commercial_partner_id.lang,
                "page_name": "dispute",
                "pager": pager,
                "default_url": "/my/disputes",
            }
        )
        return request.render("ar_followup.portal_my_disputes", values)

    @http.route(["/my/disputes/<int:dispute_id>"], type="http", auth="public", website=True)
    def portal_my_dispute(self, dispute_id, access_token=None, **kw):
        dispute_sudo = self._ar_check_document("ar.dispute", dispute_id, access_token)
        values = self._get_page_view_values(
            dispute_sudo,
            access_token,
            {
                "page_name": "dispute",
                "dispute": dispute_sudo,
                # the dates in the customer's language, as its e-mails write them
                "ar_lang": dispute_sudo.partner_id.lang,
            },
            "my_disputes_history",
            False,
            **kw,
        )
        return request.render("ar_followup.portal_dispute_page", values)

    # ------------------------------------------------------------------
    # Statement and payment plans
    # ------------------------------------------------------------------

    def _ar_statement_partner(self):
        return request.env.user.partner_id.commercial_partner_id.sudo().with_company(
            request.env.company
        )

    def _ar_statement_values(
        self, partner, base, form=None, errors=None, plan_requested=False, paid=False, choose=False
    ):
        """The statement page of ``partner`` (sudo, in its company), whose own URLs start
        with ``base`` (``/my/statement``, or its statement link)."""
        company = partner.env.company
        Statement = request.env["ar.followup.statement"].sudo().with_company(company)
        statement = Statement._ar_statement(partner, fields.Date.context_today(Statement), company)
        Plan = request.env["ar.payment.plan"].sudo().with_company(company)
        invoices = Plan._ar_portal_invoices(partner)
        plans = Plan.search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        open_plans = Plan._ar_portal_open_plans(partner)
        today = fields.Date.context_today(Plan)
        latest = today + timedelta(days=company.ar_plan_start_days)
        # one search: the open payable invoices; the overdue ones of each currency among them
        # (when none is overdue, as after a courtesy reminder, the open ones: what the
        # reminders and their QR code ask)
        open_payable = Statement._ar_payable(partner, company, today, overdue=False)
        overdue = {
            currency: due
            for currency, moves in open_payable.items()
            if (due := moves.filtered(lambda move: move.invoice_date_due < today))
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "statement",
                "statement_base": base,
                "partner": partner,
                # the dates in the customer's language, as its e-mails write them
                "ar_lang": partner.lang,
                "statement": statement,
                "plans": plans,
                "open_plan": open_plans[:1],
                "company": company,
                "can_request_plan": bool(invoices) and not open_plans,
                "min_date": fields.Date.to_string(today),
                "max_date": fields.Date.to_string(latest),
                "max_date_text": format_date(request.env, latest, lang_code=partner.lang),
                "plan_amount": sum(invoices.mapped("amount_residual")),
                "plan_currency": company.currency_id,
                "form": form or {},
                "errors": errors or {},
                "plan_requested": plan_requested,
                # pay online: all overdue (one payment a currency), or the invoices ticked
                "payable": [
                    (currency, moves, Statement._ar_amount_to_pay(moves, today)[0])
                    for currency, moves in (overdue or open_payable).items()
                ],
                "pay_overdue": bool(overdue),
                "paid": paid,
                "choose": choose,  # "Pay the invoices chosen" with none ticked
                # by bank transfer: the SEPA QR code of what the reminders ask
                "sepa_qr": Statement._ar_sepa_qr(partner, company, today),
            }
        )
        values.update(self._ar_pay_choices(Statement, open_payable, today))
        return values

    def _ar_pay_choices(self, Statement, open_payable, today):
        """The invoices to tick: the oldest ones (a customer with a thousand open invoices
        pays all overdue; a list of a thousand boxes made the page twice as large), with
        their early-payment discounts still valid."""
        choices = (
            request.env["account.move"]
            .sudo()
            .union(*open_payable.values())
            .sorted(lambda move: (move.invoice_date_due, move.id))[:MAX_PAY_CHOICES]
        )
        return {"open_payable": choices, "discounts": Statement._ar_discounts(choices, today)}

    def _ar_statement_page(self, partner, base, query):
        """The statement page; of the query string only its two flags are read (a page
        given ``?partner=`` or ``?base=`` is the same page)."""
        return request.render(
            "ar_followup.portal_statement",
            self._ar_statement_values(
                partner,
                base,
                plan_requested=bool(query.get("plan_requested")),
                # back from paying: this browser's transaction, whatever became of it
                paid=bool(query.get("paid"))
                and PaymentPostProcessing()._get_monitored_transaction(),
                choose=bool(query.get("choose")),
            ),
        )

    def _ar_statement_pdf(self, partner):
        content, _kind = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(partner.env.company)
            ._render_qweb_pdf("ar_followup.action_report_statement", partner.ids)
        )
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(content)),
            ("Content-Disposition", 'attachment; filename="statement.pdf"'),
        ]
        return request.make_response(content, headers)

    def _ar_request_plan(self, partner, base, post):
        try:
            instalments = int(post.get("instalments") or 0)
        except ValueError:
            instalments = 0
        try:
            # strict ISO date (an <input type="date"> sends YYYY-MM-DD), no trailing bytes
            first_date = date.fromisoformat(post.get("first_date") or "")
        except ValueError:
            first_date = None
        Plan = request.env["ar.payment.plan"].sudo().with_company(partner.env.company)
        if request.env.user._is_public():
            # through a statement link: the notifications of the request are the system's
            # (the public user has no address to send them from)
            Plan = Plan.with_user(SUPERUSER_ID)
        _plan, errors = Plan._ar_request_from_portal(partner, instalments, first_date)
        if errors:
            form = {
                key: _ar_printable(post.get(key) or "") for key in ("instalments", "first_date")
            }
            return request.render(
                "ar_followup.portal_statement",
                self._ar_statement_values(partner, base, form, errors),
            )
        return request.redirect(f"{base}?plan_requested=1")

    @http.route(["/my/statement"], type="http", auth="user", website=True)
    def portal_my_statement(self, **kw):
        if request.env.user._is_public():
            raise Forbidden()
        page = self._ar_statement_page(self._ar_statement_partner(), "/my/statement", kw)
        return _ar_private(page)

    @http.route(["/my/statement/pdf"], type="http", auth="user", website=True)
    def portal_my_statement_pdf(self, **kw):
        return _ar_private(self._ar_statement_pdf(self._ar_statement_partner()))

    @http.route(["/my/statement/plan"], type="http", auth="user", website=True, methods=["POST"])
    def portal_request_plan(self, **post):
        return self._ar_request_plan(self._ar_statement_partner(), "/my/statement", post)

    # the statement link of the reminders: no login, the token is the key

    @http.route(
        ["/statement/<string:token>"], type="http", auth="public", website=True, sitemap=False
    )
    def portal_statement_link(self, token, **kw):
        partner = request.env["ar.statement.link"]._ar_customer(token)
        if not partner:
            return _ar_link_gone()
        return _ar_private(self._ar_statement_page(partner, f"/statement/{token}", kw))

    @http.route(
        ["/statement/<string:token>/pdf"], type="http", auth="public", website=True, sitemap=False
    )
    def portal_statement_link_pdf(self, token, **kw):
        partner = request.env["ar.statement.link"]._ar_customer(token)
        if not partner:
            return _ar_link_gone()
        return _ar_private(self._ar_statement_pdf(partner))

    @http.route(
        ["/statement/<string:token>/plan"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_statement_link_plan(self, token, **post):
        partner = request.env["ar.statement.link"]._ar_customer(token)
        if not partner:
            return _ar_link_gone()
        return _ar_private(self._ar_request_plan(partner, f"/statement/{token}", post))

    # ------------------------------------------------------------------
    # Dispute an invoice
    # ------------------------------------------------------------------

    def _ar_dispute_form_values(self, invoice_sudo, access_token, form=None, errors=None):
        values = self._prepare_portal_layout_values()
        # the reasons and the amount in the page's language (2.000,00 where Dutch is read)
        page_env = request.env(context=dict(request.env.context, lang=request.lang.code))
        reasons = page_env["ar.dispute"]._fields["reason"]._description_selection(page_env)
        values.update(
            {
                "page_name": "invoice",
                "invoice": invoice_sudo,
                "access_token": access_token,
                "reasons": reasons,
                "form": form
                or {"amount": formatLang(page_env, invoice_sudo.amount_residual, digits=2)},
                "errors": errors or {},
            }
        )
        return values

    @http.route(
        ["/my/invoices/<int:invoice_id>/dispute"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_invoice_dispute(self, invoice_id, access_token=None, **post):
        invoice_sudo = self._ar_check_document("account.move", invoice_id, access_token)
        if (
            invoice_sudo.move_type != "out_invoice"
            or invoice_sudo.state != "posted"
            or invoice_sudo.currency_id.is_zero(invoice_sudo.amount_residual)
            # handed over: disputed with the agency, which collects it
            or invoice_sudo.ar_in_collection
        ):
            return request.redirect(invoice_sudo.get_portal_url())
        open_dispute = invoice_sudo.ar_dispute_ids.filtered("is_open")
        if open_dispute:
            return request.redirect(open_dispute[:1].get_portal_url())
        if request.httprequest.method == "GET":
            return request.render(
                "ar_followup.portal_dispute_form",
                self._ar_dispute_form_values(invoice_sudo, access_token),
            )
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        errors, clean = request.env["ar.dispute"]._ar_portal_check(invoice_sudo, post, files)
        if errors:
            form = {
                key: _ar_printable(post.get(key) or "")
                for key in ("reason", "description", "amount")
            }
            return request.render(
                "ar_followup.portal_dispute_form",
                self._ar_dispute_form_values(invoice_sudo, access_token, form, errors),
            )
        user = request.env.user
        # the customer's own contact writes it; anyone else holding the invoice's link (a
        # visitor, another customer's user) writes as the invoice's customer, never as
        # themselves (they would follow another customer's dispute)
        own = user.partner_id.commercial_partner_id == invoice_sudo.commercial_partner_id
        author = user.partner_id if own and not user._is_public() else invoice_sudo.partner_id
        dispute = (
            request.env["ar.dispute"]
            .sudo()
            .with_company(invoice_sudo.company_id)
            ._ar_create_from_portal(invoice_sudo, clean, files, author)
        )
        return request.redirect(dispute.get_portal_url())
