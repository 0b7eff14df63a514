# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The statement of account sent by hand (``mail_template_statement``, outside the ladder)
renders on the customer's account in its company: the statement of today, its statement link
and QR code, whom it goes to. The reminders of the ladder render on their own record,
``ar.followup.reminder``, which reads the same names."""

from odoo import api, fields, models


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"  # pylint: disable=consider-merging-classes-inherited

    # what the templates and the letter read of their customer, as on a reminder
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    lang = fields.Selection(related="partner_id.lang")
    ar_followup_partner_to = fields.Char(
        string="Reminder recipients",
        compute="_compute_ar_followup_partner_to",
        help="The contacts the reminders and the statement go to (ids): the customer's "
        "invoice-address contacts with an e-mail address, else the customer itself.",
    )

    @api.depends("partner_id")
    def _compute_ar_followup_partner_to(self):
        to = self._ar_partner_to(self.partner_id)
        for account in self:
            account.ar_followup_partner_to = to.get(account.partner_id.id, "")

    @api.model
    def _ar_partner_to(self, partners):
        """``{commercial partner id: its contacts' ids, comma-separated}``: the ``partner_to``
        of the templates that write to a customer as its reminders do."""
        contacts = self._ar_contacts_of(partners)
        return {pid: ",".join(str(i) for i in to.ids) for pid, to in contacts.items()}

    def _ar_followup_statement(self):
        """The statement of open items of this customer today, in the account's company."""
        self.ensure_one()
        Statement = self.env["ar.followup.statement"].with_company(self.company_id)
        today = fields.Date.context_today(self)
        return Statement._ar_statement(self.partner_id, today, self.company_id)

    def _ar_statement_link(self):
        """The customer's statement link in the account's company, valid from today
        (renewed)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        Link = self.env["ar.statement.link"]
        return Link._ar_links(self.partner_id, self.company_id, today)[self.partner_id.id]

    def _ar_portal_url(self):
        """Where the customer sees its statement and pays its invoices, without a login."""
        return self._ar_statement_link()._ar_url()

    def _ar_qr_image_url(self):
        """The address of the SEPA QR image of the statement (of its statement link, without
        the link's token): it asks what is to pay today."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        company = self.company_id
        Statement = self.env["ar.followup.statement"].sudo().with_company(company)
        invoices = Statement._ar_to_pay(self.partner_id, company, today).get(
            self.env.ref("base.EUR")
        )
        return self._ar_statement_link()._ar_qr_url(invoices.ids if invoices else [0])
