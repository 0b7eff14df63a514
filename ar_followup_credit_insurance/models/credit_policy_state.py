# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The states of a credit policy (OCA's ``credit.policy.state``: granted, refused, ...), whose
*insure invoices* decides what is insured: the credit-control manager's."""

from odoo import api, models

from .credit_policy_company import check_credit_manager


class CreditPolicyState(models.Model):
    _inherit = "credit.policy.state"

    @api.model_create_multi
    def create(self, vals_list):
        check_credit_manager(self.env, self._name)
        return super().create(vals_list)

    def write(self, vals):
        check_credit_manager(self.env, self._name)
        return super().write(vals)

    def unlink(self):
        check_credit_manager(self.env, self._name)
        return super().unlink()
