# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Merging contacts moves every reference of the merged ones to the one kept: merging a
collection agency would move its cases, the companies' default agency and where dossiers go.
Only a credit-control manager merges an agency, bailiff or lawyer."""

from odoo import models
from odoo.exceptions import AccessError

from ..models.ar_collection_case import MANAGER


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].sudo().browse(partner_ids).exists()
        if dst_partner:
            partners |= dst_partner.sudo()
        agencies = partners.filtered("ar_agency_kind")
        if agencies and not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "%(agencies)s collect claims for the company: only a credit-control manager "
                    "merges them.",
                    agencies=", ".join(agencies.mapped("display_name")),
                )
            )
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
