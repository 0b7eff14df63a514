# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision of a customer in a company, in one place: the credit limit policy in
force, the exposure, and whether (and why) a document of the customer is stopped: a credit
hold, or an exposure above a credit limit under the 'block' policy (the sale bridge adds the
prepayment and what confirmed orders will invoice). The invoice's check
(``account_move_credit.py``) and the bridges' (the order, the delivery) call these methods
with the customer (its commercial partner) and the document's company; the account's page
shows the same figures (``exposure``, ``effective_credit_policy``)."""

from collections import namedtuple

from odoo import api, models
from odoo.tools import formatLang

from .ar_customer_account_hold import reason_clause

# an exposure above the credit limit, in company currency
CreditExcess = namedtuple("CreditExcess", "exposure limit excess")


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_policy_in_force(self, customer, company):
        """The credit limit policy in force for ``customer`` in ``company``: its account's,
        else the company's."""
        partner = customer.commercial_partner_id.with_company(company).sudo()
        return partner.ar_account_id.credit_policy or company.ar_credit_policy

    @api.model
    def _ar_draft_invoice_amounts(self, customers):
        """Per commercial partner of ``customers``, the draft customer invoices and sales
        receipts, in company currency, for the current company and its branches (one query).
        A draft credit note counts nothing: a draft lowers no exposure (it can be deleted once
        the invoice it made room for is posted)."""
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", customers.commercial_partner_id.ids),
                    ("company_id", "child_of", self.env.company.root_id.id),
                    ("state", "=", "draft"),
                    ("move_type", "in", ("out_invoice", "out_receipt")),
                ],
                ["commercial_partner_id"],
                ["amount_total_signed:sum"],
            )
        )
        return {partner.id: amount for partner, amount in groups}

    @api.model
    def _ar_exposure_extra(self, customers):
        """Per commercial partner of ``customers``, what else its exposure counts in the
        current company, in company currency (the sale bridge: what confirmed orders will
        invoice beyond Odoo's ``credit_to_invoice``)."""
        return {}

    @api.model
    def _ar_exposures(self, customers):
        """``{commercial partner id: (exposure, draft invoices)}`` in the current company:
        Odoo's ``credit`` (open posted receivables) + draft customer invoices + Odoo's
        ``credit_to_invoice`` + :meth:`_ar_exposure_extra`; a constant number of queries for
        any number of customers."""
        commercial = customers.commercial_partner_id.sudo()
        drafts = self._ar_draft_invoice_amounts(commercial)
        extra = self._ar_exposure_extra(commercial)
        return {
            main.id: (
                main.credit
                + drafts.get(main.id, 0.0)
                + main.credit_to_invoice
                + extra.get(main.id, 0.0),
                drafts.get(main.id, 0.0),
            )
            for main in commercial
        }

    @api.model
    def _ar_credit_blocking(self, customer, company):
        """Whether ``customer`` (commercial partner) has a credit limit under the 'block'
        policy in ``company`` (which uses credit limits)."""
        partner = customer.with_company(company).sudo()
        return bool(
            partner.credit_limit
            and company.account_use_credit_limit
            and self._ar_policy_in_force(partner, company) == "block"
        )

    @api.model
    def _ar_credit_may_stop(self, customer, company):
        """Whether the credit decision can stop a document of ``customer`` (commercial
        partner) in ``company`` at all: a credit hold, or a credit limit under the 'block'
        policy (the sale bridge adds the prepayment). Read first, so that the documents of
        the other customers cost nothing more."""
        return bool(
            customer.with_company(company).sudo().ar_credit_hold
            or self._ar_credit_blocking(customer, company)
        )

    @api.model
    def _ar_credit_warnings(self, customer, company, extra=0.0):
        """Sentences added to Odoo's credit banner of a draft document of ``customer``
        (commercial partner) in ``company``, with ``extra`` more exposure (in company
        currency: a quotation's amount); none here, a bridge adds its own (the credit
        insurer's uninsured part)."""
        return []

    @api.model
    def _ar_credit_hold_problem(self, customer, company):
        """The sentence a document of ``customer`` on credit hold in ``company`` stops with
        (``None`` when it is not on hold), the same at the invoice, the order and the
        delivery."""
        partner = customer.with_company(company).sudo()
        if not partner.ar_credit_hold:
            return None
        return self.env._(
            "%(partner)s is on credit hold (%(reason)s).",
            partner=partner.display_name,
            reason=reason_clause(partner.ar_account_id.credit_hold_reason),
        )

    @api.model
    def _ar_credit_excess(self, customer, company, extra=0.0):
        """How far the exposure of ``customer`` (commercial partner) in ``company``, with
        ``extra`` more (in company currency: an order about to be confirmed), goes above its
        credit limit under the 'block' policy: a :class:`CreditExcess`, else ``None`` (no
        limit, another policy, the company uses no credit limits, or within it). Odoo's credit
        figures are read as the caller left them (it invalidates those it changed)."""
        if not self._ar_credit_blocking(customer, company):
            return None
        partner = customer.with_company(company).sudo()
        limit = partner.credit_limit
        exposure = self.with_company(company)._ar_exposures(partner)[partner.id][0] + extra
        if company.currency_id.compare_amounts(exposure - limit, 0.0) <= 0:
            return None
        return CreditExcess(exposure, limit, exposure - limit)

    @api.model
    def _ar_credit_excess_figures(self, customer, company, extra=0.0):
        """:meth:`_ar_credit_excess` as the words of a message: ``{'partner', 'exposure',
        'limit', 'excess'}`` formatted in company currency, or ``None``."""
        excess = self._ar_credit_excess(customer, company, extra)
        if not excess:
            return None

        def fmt(amount):
            return formatLang(self.env, amount, currency_obj=company.currency_id)

        return {
            "partner": customer.display_name,
            "exposure": fmt(excess.exposure),
            "limit": fmt(excess.limit),
            "excess": fmt(excess.excess),
        }
