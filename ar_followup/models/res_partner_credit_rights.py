# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who may change a customer's credit data through the partner: every ``create``, ``write``
and ``unlink`` of a partner asks its account (``ar_customer_account_partners.py``), which
decides; a hold written on the partner goes to the account's logged methods."""

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        Account = self.env["ar.customer.account"]
        Account._ar_check_partner_create(self, vals_list)
        if self.env.su:
            return super().create(vals_list)
        # a hold asked at creation: set through write (its rights, its log) once created
        vals_list = [dict(vals) for vals in vals_list]
        holds = [vals.pop("ar_credit_hold", False) for vals in vals_list]
        partners = super().create(vals_list)
        for partner, hold in zip(partners, holds, strict=True):
            if hold:
                partner.write({"ar_credit_hold": True})
        return partners

    def write(self, vals):
        Account = self.env["ar.customer.account"]
        Account._ar_check_partner_write(self, vals)
        if "ar_credit_hold" in vals and not self.env.su:
            vals = dict(vals)
            Account._ar_hold_from_partners(self, bool(vals.pop("ar_credit_hold")), vals)
            if not vals:
                return True
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_ar_credit_data(self):
        self.env["ar.customer.account"]._ar_check_partner_unlink(self)
