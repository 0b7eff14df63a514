# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Collection agencies, bailiffs and lawyers: the contacts claims are handed to
(``ar.collection.case``), with the address their dossiers go to and their commission terms.
One record per contact, the credit-control manager's (the access rights): changing the
contact's own e-mail does not redirect the dossiers."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

AGENCY_KINDS = [
    ("agency", "Collection agency"),
    ("bailiff", "Bailiff"),
    ("lawyer", "Lawyer"),
]


class ArCollectionAgency(models.Model):
    _name = "ar.collection.agency"
    _description = "Collection agency"
    _rec_name = "partner_id"
    _order = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="cascade",
        help="The agency, bailiff or lawyer as a contact: cases are handed to it.",
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
            "unique(partner_id)",
            "This contact is marked already: it is in the list of collection agencies.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_email(self):
        for agency in self:
            agency.email = agency.email or agency.partner_id.email

    @api.constrains("email")
    def _check_email(self):
        for agency in self:
            if not agency.email:
                raise ValidationError(
                    self.env._(
                        "%(agency)s needs an e-mail address for new cases: its dossiers go there.",
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
    def _ar_of(self, partners):
        """The agencies (sudo) of ``partners``: what a case of theirs reads of its terms."""
        return self.sudo().search([("partner_id", "in", partners.ids)])

    @api.model
    def _ar_partner_domain(self):
        """The contacts that collect claims: for the agency of a case or a company (a handful:
        the domain goes to the client as ids)."""
        agencies = self.sudo().search([])  # pylint: disable=no-search-all
        return [("id", "in", agencies.partner_id.ids)]
