# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        results = super().reconcile()
        self._ar_release_settled_holds()
        return results

    def _ar_release_settled_holds(self):
        """A payment or credit note matched with a customer's invoices lifts its follow-up
        hold when nothing is overdue any more."""
        receivable = self.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and line.partner_id
        )
        Partner = self.env["res.partner"]
        for company in receivable.company_id:
            partners = receivable.filtered(lambda line, c=company: line.company_id == c).partner_id
            Partner.with_company(company)._ar_release_settled_holds(
                partners.commercial_partner_id.ids
            )
