# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The partner's credit: whether the customer is on credit hold in the current company (for
its form, list and search; the hold, its reason and origin, the credit policy, rating,
insured limit and review are its account's, ``ar_customer_account*.py``), and Odoo's own
credit limit, which only a credit-control manager changes (``res_partner_credit_rights.py``)
and which is never negative."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .ar_customer_account import account_field
from .res_partner import ACCOUNT_GROUPS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    ar_credit_hold = account_field(
        fields.Boolean,
        "credit_hold",
        string="On credit hold",
        readonly=True,
        help="Set when the customer reaches a follow-up level that puts it on hold.",
        groups=ACCOUNT_GROUPS,
    )

    @api.constrains("credit_limit")
    def _check_ar_credit_amounts(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The credit limit of %(partner)s cannot be negative.",
                        partner=partner.display_name,
                    )
                )
