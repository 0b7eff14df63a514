# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The uninsured part of a customer's exposure in the credit decision. A customer with a
credit insurer is covered up to its insured limit (when its policy state insures invoices);
an open invoice flagged uninsured (a deadline of the policy missed) is not covered at all.
Under the company's *Uninsured exposure* policy 'block', a document that leaves part of the
exposure uninsured stops as one above a blocking credit limit does (the invoice, the order
and the delivery ask the same methods); under 'warn', the invoice shows a banner."""

from collections import namedtuple

from odoo import api, models
from odoo.tools import formatLang

from odoo.addons.ar_followup.models.ar_customer_account_credit import CreditExcess

# per customer with an insurer, in company currency
Cover = namedtuple("Cover", "insurer exposure covered missed uninsured")


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_uninsured(self, customers, extra=None):
        """``{commercial partner id: Cover}`` of the customers of ``customers`` that have a
        credit insurer, in the current company; ``extra``: ``{partner id: amount}`` more
        exposure (an order about to be confirmed). A constant number of queries."""
        commercial = customers.commercial_partner_id.sudo()
        insured = commercial.filtered("credit_policy_company_id")
        if not insured:
            return {}
        company = self.env.company
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", insured.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("ar_insurer_uninsured", "!=", False),
                    ("amount_residual", ">", 0),
                ],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        missed = {partner.id: amount for partner, amount in groups}
        # Odoo's credit figures are computed, not stored: read anew (an order confirmed since)
        insured.invalidate_recordset(["credit", "credit_to_invoice"])
        exposures = self._ar_exposures(insured)
        result = {}
        for partner in insured:
            exposure = exposures[partner.id][0] + (extra or {}).get(partner.id, 0.0)
            covered = partner.insurance_credit_limit if partner.credit_policy_insure_invoices else 0
            lost = missed.get(partner.id, 0.0)
            uninsured = max(0.0, exposure - lost - covered) + lost
            result[partner.id] = Cover(
                partner.credit_policy_company_id,
                exposure,
                covered,
                lost,
                company.currency_id.round(uninsured),
            )
        return result

    @api.model
    def _ar_uninsured_blocking(self, customer, company):
        """Whether the uninsured part of ``customer``'s exposure stops its documents in
        ``company``: it has an insurer and the company's policy is 'block'."""
        return bool(
            company.ar_uninsured_policy == "block"
            and customer.commercial_partner_id.sudo().credit_policy_company_id
        )

    @api.model
    def _ar_credit_may_stop(self, customer, company):
        return super()._ar_credit_may_stop(customer, company) or self._ar_uninsured_blocking(
            customer, company
        )

    @api.model
    def _ar_uninsured_excess(self, customer, company, extra=0.0):
        """The uninsured part of ``customer``'s exposure with ``extra`` more, as a
        :class:`CreditExcess` whose limit is what stays insured, when it stops documents."""
        if not self._ar_uninsured_blocking(customer, company):
            return None
        partner = customer.commercial_partner_id
        cover = self.with_company(company)._ar_uninsured(partner, {partner.id: extra})[partner.id]
        if company.currency_id.compare_amounts(cover.uninsured, 0.0) <= 0:
            return None
        return CreditExcess(cover.exposure, cover.exposure - cover.uninsured, cover.uninsured)

    @api.model
    def _ar_credit_excess(self, customer, company, extra=0.0):
        """The larger of the excess over a blocking credit limit and the uninsured part."""
        excess = super()._ar_credit_excess(customer, company, extra)
        uninsured = self._ar_uninsured_excess(customer, company, extra)
        if uninsured and (not excess or uninsured.excess > excess.excess):
            return uninsured
        return excess

    @api.model
    def _ar_credit_excess_figures(self, customer, company, extra=0.0):
        """The limit of an uninsured excess is said to be the insured part."""
        figures = super()._ar_credit_excess_figures(customer, company, extra)
        if not figures:
            return figures
        uninsured = self._ar_uninsured_excess(customer, company, extra)
        if uninsured and uninsured == self._ar_credit_excess(customer, company, extra):
            figures["limit"] = self.env._(
                "%(amount)s (the part insured by %(insurer)s)",
                amount=formatLang(self.env, uninsured.limit, currency_obj=company.currency_id),
                insurer=customer.commercial_partner_id.sudo().credit_policy_company_id.name,
            )
        return figures

    @api.model
    def _ar_credit_warnings(self, customer, company, extra=0.0):
        """Under the policy 'warn', the uninsured part of the exposure of ``customer`` in
        ``company`` with ``extra`` more, said on the banner of its draft invoice or
        quotation."""
        lines = super()._ar_credit_warnings(customer, company, extra)
        if company.ar_uninsured_policy != "warn":
            return lines
        partner = customer.commercial_partner_id
        if not partner.sudo().credit_policy_company_id:
            return lines
        cover = self.with_company(company)._ar_uninsured(partner, {partner.id: extra})[partner.id]
        if company.currency_id.compare_amounts(cover.uninsured, 0.0) <= 0:
            return lines

        def fmt(amount):
            return formatLang(self.env, amount, currency_obj=company.currency_id)

        text = self.env._(
            "%(uninsured)s of the exposure of %(partner)s (%(exposure)s) is not insured by "
            "%(insurer)s (insured limit %(covered)s).",
            uninsured=fmt(cover.uninsured),
            partner=partner.name,
            exposure=fmt(cover.exposure),
            insurer=cover.insurer.name,
            covered=fmt(cover.covered),
        )
        if company.currency_id.compare_amounts(cover.missed, 0.0) > 0:
            text += " " + self._ar_lost_cover_text(partner, company, fmt(cover.missed))
        return [*lines, text]

    @api.model
    def _ar_lost_cover_text(self, partner, company, amount):
        """Which open invoices of ``partner`` lost their cover (a deadline of the policy
        missed), for the banner: their numbers (the first five) and what is open of them."""
        flagged = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("ar_insurer_uninsured", "!=", False),
                    ("amount_residual", ">", 0),
                ],
                order="invoice_date_due, name",
            )
        )
        names = ", ".join(flagged[:5].mapped("name")) + (", ..." if len(flagged) > 5 else "")
        return self.env._(
            "Of it, %(amount)s is open on invoices that lost their cover because a deadline "
            "of the policy was missed: %(invoices)s.",
            amount=amount,
            invoices=names,
        )
