# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the statement of account sent by hand (``mail_template_statement``, outside the
ladder) asks of its customer: the statement of today, its statement link and QR code. The
reminders of the ladder render on their own record, ``ar.followup.reminder``."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _ar_followup_statement(self):
        """The statement of open items of this customer today, in the current company."""
        self.ensure_one()
        partner = self.commercial_partner_id
        Statement = self.env["ar.followup.statement"]
        return Statement._ar_statement(partner, fields.Date.context_today(self), self.env.company)

    def _ar_statement_link(self):
        """The customer's statement link, valid from today (renewed)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        today = fields.Date.context_today(self)
        return self.env["ar.statement.link"]._ar_links(partner, self.env.company, today)[partner.id]

    def _ar_portal_url(self):
        """Where the customer sees its statement and pays its invoices, without a login."""
        return self._ar_statement_link()._ar_url()

    def _ar_qr_image_url(self):
        """The address of the SEPA QR image of the statement (of its statement link, without
        the link's token): it asks what is to pay today."""
        self.ensure_one()
        partner = self.commercial_partner_id
        today = fields.Date.context_today(self)
        company = self.env.company
        Statement = self.env["ar.followup.statement"].sudo().with_company(company)
        invoices = Statement._ar_to_pay(partner, company, today).get(self.env.ref("base.EUR"))
        return self._ar_statement_link()._ar_qr_url(invoices.ids if invoices else [0])
