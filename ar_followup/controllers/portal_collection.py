# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's invoices handed over to a collection agency, in Odoo's own portal pages:
Pay overdue leaves them out (the agency collects them; each invoice's Pay Now is gone too,
``account.move._has_to_be_paid``), and the payment of one invoice is refused for an invoice
that is not to be paid online (the agency's; a bridge's: being debited), whoever calls the
route: the button is gone, the route is not."""

from odoo.exceptions import ValidationError
from odoo.http import request, route

from odoo.addons.account_payment.controllers import payment, portal


class PortalAccount(portal.PortalAccount):
    def _get_overdue_invoices_domain(self, partner_id=None):
        domain = super()._get_overdue_invoices_domain(partner_id=partner_id)
        handed_over = (
            request.env["account.move"].sudo().search([*domain, ("ar_in_collection", "=", True)])
        )
        return [*domain, ("id", "not in", handed_over.ids)] if handed_over else domain


class PaymentPortal(payment.PaymentPortal):
    @route()
    def invoice_transaction(self, invoice_id, access_token, **kwargs):
        invoice_sudo = request.env["account.move"].sudo().browse(invoice_id).exists()
        if invoice_sudo and invoice_sudo._ar_paid_otherwise():
            raise ValidationError(request.env._("This invoice cannot be paid online."))
        return super().invoice_transaction(invoice_id, access_token, **kwargs)
