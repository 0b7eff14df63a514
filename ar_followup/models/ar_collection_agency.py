# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Collection agencies, bailiffs and lawyers: the contacts claims are handed to
(``ar.collection.case``), with the address their dossiers go to and their commission terms.
One record per contact and company, the credit-control manager's of that company (the access
rights and a record rule per company): changing the contact's own e-mail does not redirect the
dossiers."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.mail import single_email_re

AGENCY_KINDS = [
    ("agency", "Collection agency"),
    ("bailiff", "Bailiff"),
    ("lawyer", "Lawyer"),
]


class ArCollectionAgency(models.Model):
    _name = "ar.collection.agency"
    _description = "Collection agency"
    _rec_name = "partner_id"
    _order = "company_id, partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The agency, bailiff or lawyer as a contact: cases are handed to it.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company whose cases it takes (its credit-control managers set its terms).",
    )
    kind = fields.Selection(
        AGENCY_KINDS,
        string="Collects claims as",
        required=True,
        default="agency",
        help="Whether the contact collects as a collection agency, a bailiff or a lawyer.",
    )
    email = fields.Char(
        string="E-mail for new cases",
        compute="_compute_email",
        store=True,
        readonly=False,
        help="Where the dossiers of new cases go (required); the contact's e-mail when it is "
        "marked.",
    )
    commission = fields.Float(
        string="Commission (%)",
        digits=(5, 2),
        help="The agency's commission, a percentage of the principal it collects.",
    )
    keeps_costs = fields.Boolean(
        string="Keeps the collection costs",
        default=True,
        help="The agency keeps the collection costs it collects (as Dutch agencies usually "
        "do): they are cleared against the fee invoice instead of paid out.",
    )
    email_payments = fields.Boolean(
        string="E-mail direct payments",
        help="When the customer pays the company directly for an invoice handed over, the "
        "agency gets an e-mail (the case's responsible always gets an activity).",
    )

    _sql_constraints = [
        (
            "partner_unique",
            "unique(partner_id, company_id)",
            "This contact is marked already in this company: it is in the list.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_email(self):
        for agency in self:
            agency.email = agency.email or agency.partner_id.email

    @api.constrains("email")
    def _check_email(self):
        for agency in self:
            if not agency.email or not single_email_re.match(agency.email):
                raise ValidationError(
                    self.env._(
                        "%(agency)s needs one valid e-mail address for new cases: its dossiers go "
                        "there.",
                        agency=agency.display_name,
                    )
                )

    @api.constrains("commission")
    def _check_commission(self):
        for agency in self:
            if not 0 <= agency.commission <= 100:
                raise ValidationError(
                    self.env._(
                        "The commission of %(agency)s is a percentage between 0 and 100.",
                        agency=agency.display_name,
                    )
                )

    @api.model
    def _ar_of(self, partners, companies=None):
        """The agencies (sudo) of ``partners`` in ``companies`` (default: any): what a case
        of theirs reads of its terms."""
        domain = [("partner_id", "in", partners.ids)]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        return self.sudo().search(domain)

    @api.model
    def _ar_partner_domain(self):
        """The contacts that collect claims for the user's companies: for the agency of a
        case or a company (a handful: the domain goes to the client as ids)."""
        agencies = self.sudo().search([("company_id", "in", self.env.companies.ids)])
        return [("id", "in", agencies.partner_id.ids)]
