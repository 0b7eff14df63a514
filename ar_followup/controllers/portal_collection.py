# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's invoices handed over to a collection agency, in Odoo's own portal pages:
Pay overdue leaves them out (the agency collects them; each invoice's Pay Now is gone too,
``account.move._has_to_be_paid``)."""

from odoo.http import request

from odoo.addons.account_payment.controllers import portal


class PortalAccount(portal.PortalAccount):
    def _get_overdue_invoices_domain(self, partner_id=None):
        domain = super()._get_overdue_invoices_domain(partner_id=partner_id)
        handed_over = (
            request.env["account.move"].sudo().search([*domain, ("ar_in_collection", "=", True)])
        )
        return [*domain, ("id", "not in", handed_over.ids)] if handed_over else domain
