# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the reminder templates ask of a customer while they render: its statement (the one
the run computed for its batch), the costs its 14-day letter announces, the Belgian notice,
the basis of the costs, its statement link. A template renders in the context the run gives
it (``ar_followup_date``, ``ar_followup_statements``)."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _ar_followup_statement(self):
        """The statement of this customer, for the reminder templates: the one computed by the
        running follow-up for its whole batch, else computed now."""
        self.ensure_one()
        partner = self.commercial_partner_id
        statements = self.env.context.get("ar_followup_statements") or {}
        if partner.id in statements:
            return statements[partner.id]
        Statement = self.env["ar.followup.statement"]
        return Statement._ar_statement(partner, Statement._ar_rendering_date(), self.env.company)

    def _ar_collection_costs_preview(self, date=None):
        """The collection costs the 14-day letter announces, in company currency: those of
        the claim the letter makes (its overdue invoices not charged before, not the fee
        invoices), by the customer's rule, as the run charges them after its term."""
        self.ensure_one()
        return self._ar_rendering_run(date)._ar_claim_preview(self)[0]

    def _ar_be_consumer_notice(self):
        """For the first reminder of a Belgian consumer: the damages and the interest rate
        that follow its 14-day period (``False`` for other customers)."""
        self.ensure_one()
        return self._ar_rendering_run()._ar_be_consumer_notice(self)

    def _ar_costs_basis(self):
        """On which basis the 14-day letter announces costs to this customer: 'nl_wik' (the
        Dutch scale), 'be_consumer' (Book XIX CEL), 'flat' (a fixed sum per invoice for
        businesses) or ``False`` (the company charges businesses none)."""
        self.ensure_one()
        company = self.env.company
        rule = self.env["ar.fee"]._rule(self.commercial_partner_id, company)
        if rule.costs in ("nl_wik", "be_consumer"):
            return rule.costs
        if company.ar_costs_b2b == "none":
            return False
        return "nl_wik" if rule.law == "nl" and company.ar_costs_b2b == "wik" else "flat"

    def _ar_rendering_run(self, date=None):
        """The follow-up run (not stored) whose rules a template applies: the company's, at
        ``date``, else the date the reminder is rendered for."""
        date = date or self.env["ar.followup.statement"]._ar_rendering_date()
        return (
            self.env["ar.followup.run"]
            .sudo()
            .new({"company_id": self.env.company.id, "date": date})
        )

    def _ar_portal_url(self):
        """Where the customer sees its statement and pays its invoices, without a login: its
        statement link (``ar.statement.link``), the one of the reminder being rendered, else
        one valid from today."""
        return self._ar_statement_link_value("link", "_ar_url")

    def _ar_qr_image_url(self):
        """The address of the SEPA QR image of the reminder being rendered (of its statement
        link, without the link's token), for the invoices it asks, and only those, whenever
        it is read: a run's reminder gives them; any other e-mail (the statement sent by hand)
        asks what is to pay today."""
        self.ensure_one()
        partner = self.commercial_partner_id
        statements = self.env.context.get("ar_followup_statements") or {}
        if statements.get(partner.id, {}).get("qr_url"):
            return statements[partner.id]["qr_url"]
        today = fields.Date.context_today(self)
        company = self.env.company
        Statement = self.env["ar.followup.statement"].sudo().with_company(company)
        invoices = Statement._ar_to_pay(partner, company, today).get(self.env.ref("base.EUR"))
        link = self.env["ar.statement.link"]._ar_links(partner, company, today)[partner.id]
        return link._ar_qr_url(invoices.ids if invoices else [0])

    def _ar_statement_link_value(self, key, method):
        self.ensure_one()
        partner = self.commercial_partner_id
        statements = self.env.context.get("ar_followup_statements") or {}
        if statements.get(partner.id, {}).get(key):
            return statements[partner.id][key]
        today = fields.Date.context_today(self)
        links = self.env["ar.statement.link"]._ar_links(partner, self.env.company, today)
        return getattr(links[partner.id], method)()
