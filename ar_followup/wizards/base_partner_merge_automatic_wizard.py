# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Merging contacts moves every reference of the merged ones to the one kept: merging a
collection agency would move its cases, the companies' default agency and where dossiers go.
Only a credit-control manager merges an agency, bailiff or lawyer, or customers with credit
data (a limit, a hold, a credit policy, an insured limit, a prepayment); the accounts of the
customers merged become the one kept's, and two with credit data in one company are not
merged (the manager settles one of them first)."""

from odoo import models
from odoo.exceptions import AccessError, UserError

from ..models.ar_collection_case import MANAGER


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].sudo().browse(partner_ids).exists()
        if dst_partner:
            partners |= dst_partner.sudo()
        terms = self.env["ar.collection.agency"]._ar_of(partners)
        agencies = terms.partner_id
        managed = self.env.user.has_group(MANAGER) and terms.company_id <= self.env.user.company_ids
        if agencies and not self.env.su and not managed:
            raise AccessError(
                self.env._(
                    "%(agencies)s collect claims for the company: only a credit-control manager "
                    "of each company they collect for merges them.",
                    agencies=", ".join(agencies.mapped("display_name")),
                )
            )
        Account = self.env["ar.customer.account"]
        manager = self.env.user.has_group(MANAGER)
        outside = self.env.user.company_ids if manager else None
        if not self.env.su and Account._ar_with_credit_data(partners, outside):
            raise AccessError(
                self.env._(
                    "Only a credit-control manager of the companies concerned merges customers "
                    "with a credit limit, hold, credit policy or prepayment."
                )
            )
        self._ar_merge_accounts(partners)
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

    def _ar_merge_accounts(self, partners):
        """One account per company is left among ``partners`` before Odoo moves their
        references to the one kept: the one with credit data, else the kept partner's (the
        level and next date follow at the next run); two with credit data in one company
        are refused."""
        Account = self.env["ar.customer.account"].sudo()
        accounts = Account.search([("partner_id", "in", partners.ids)])
        with_data = accounts.filtered_domain(Account._ar_credit_data_domain())
        for company, group in accounts.grouped("company_id").items():
            if len(group) < 2:
                continue
            holding = group & with_data
            if len(holding) > 1:
                raise UserError(
                    self.env._(
                        "%(partners)s each have credit data in %(company)s: lift or clear "
                        "those of all but one before merging them.",
                        partners=", ".join(holding.partner_id.mapped("display_name")),
                        company=company.name,
                    )
                )
            (group - (holding or group.sorted("id")[-1:])).unlink()
