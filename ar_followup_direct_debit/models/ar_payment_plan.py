# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ArPaymentPlan(models.Model):
    _inherit = "ar.payment.plan"

    @api.model
    def _ar_portal_invoices(self, partner):
        """Not the invoices being collected by direct debit: the bank takes them in full,
        they are no part of a plan the customer asks for (as they are no part of Pay all)."""
        invoices = super()._ar_portal_invoices(partner)
        company = self.env.company
        today = fields.Date.context_today(self.with_company(company))
        collecting = invoices._ar_dd_collections(today, invoices.ids, company)
        return invoices.filtered(lambda move: move.id not in collecting)
