# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Collection agencies, bailiffs and lawyers: the contacts claims are handed to
(``ar.collection.case``), with their address for new cases and their commission terms."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .res_partner import ACCOUNT_GROUPS

AGENCY_KINDS = [
    ("agency", "Collection agency"),
    ("bailiff", "Bailiff"),
    ("lawyer", "Lawyer"),
]
AGENCY_FIELDS = {
    "ar_agency_kind",
    "ar_agency_email",
    "ar_agency_commission",
    "ar_agency_keeps_costs",
    "ar_agency_email_payments",
}


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    ar_agency_kind = fields.Selection(
        AGENCY_KINDS,
        string="Collects claims as",
        help="Mark a contact as a collection agency, bailiff or lawyer to hand claims to it.",
        groups=ACCOUNT_GROUPS,
    )
    ar_agency_email = fields.Char(
        string="E-mail for new cases",
        help="Where the dossiers of new cases go; empty: the contact's e-mail.",
        groups=ACCOUNT_GROUPS,
    )
    ar_agency_commission = fields.Float(
        string="Commission (%)",
        digits=(5, 2),
        help="The agency's commission, a percentage of the principal it collects.",
        groups=ACCOUNT_GROUPS,
    )
    ar_agency_keeps_costs = fields.Boolean(
        string="Keeps the collection costs",
        default=True,
        help="The agency keeps the collection costs it collects (as Dutch agencies usually "
        "do): they are cleared against the fee invoice instead of paid out.",
        groups=ACCOUNT_GROUPS,
    )

    ar_agency_email_payments = fields.Boolean(
        string="E-mail direct payments",
        help="When the customer pays the company directly for an invoice handed over, the "
        "agency gets an e-mail (the case's responsible always gets an activity).",
        groups=ACCOUNT_GROUPS,
    )

    @api.constrains("ar_agency_commission")
    def _check_ar_agency_commission(self):
        for partner in self:
            if not 0 <= partner.ar_agency_commission <= 100:
                raise ValidationError(
                    self.env._(
                        "The commission of %(agency)s is a percentage between 0 and 100.",
                        agency=partner.display_name,
                    )
                )

    def _ar_agency_address(self):
        self.ensure_one()
        return self.ar_agency_email or self.email

    def write(self, vals):
        """The agencies and their terms are the credit-control manager's, and so is an
        agency's e-mail (its dossiers go there when it has no address for new cases)."""
        if (
            "email" in vals
            and not self.env.su
            and not self.env.user.has_group("ar_followup.group_ar_manager")
            and any(
                partner.ar_agency_kind and partner.email != vals["email"] for partner in self.sudo()
            )
        ):
            raise AccessError(
                self.env._(
                    "Only a credit-control manager changes the e-mail of a collection agency: "
                    "its dossiers go there."
                )
            )
        if (
            AGENCY_FIELDS & set(vals)
            and not self.env.su
            and not self.env.user.has_group("ar_followup.group_ar_manager")
        ):
            changed = [
                fname
                for fname in AGENCY_FIELDS & set(vals)
                for partner in self
                if self._fields[fname].convert_to_cache(vals[fname], partner) != partner[fname]
            ]
            if changed:
                raise AccessError(
                    self.env._(
                        "Only a credit-control manager can mark a collection agency or change "
                        "its terms."
                    )
                )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("ar_followup.group_ar_manager"):
            for vals in vals_list:
                if vals.get("ar_agency_kind") or vals.get("ar_agency_commission"):
                    raise AccessError(
                        self.env._(
                            "Only a credit-control manager can mark a collection agency or "
                            "change its terms."
                        )
                    )
        return super().create(vals_list)
