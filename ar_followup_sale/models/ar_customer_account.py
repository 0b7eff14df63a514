# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The prepayment on the customer's account: a customer measure like the credit hold, set and
lifted by the partner's logged methods only (res_partner.py)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

PREPAYMENT_ORIGINS = [
    ("manual", "By hand"),
    ("followup", "Follow-up level"),
    ("new_customer", "New customer"),
]

# the partner's company-dependent columns of 18.0.1.2.1 (migrations/18.0.1.3.0)
PREPAYMENT_COLUMNS = {
    "ar_prepayment_required": ("prepayment_required", "boolean", None),
    "ar_prepayment_percent": ("prepayment_percent", "numeric", None),
    "ar_prepayment_origin": ("prepayment_origin", "varchar", None),
    "ar_prepayment_date": ("prepayment_date", "date", None),
}


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"

    prepayment_required = fields.Boolean(
        string="Prepayment required",
        readonly=True,
        index="btree_not_null",
        help="The customer's quotations ask for online payment of this share before they "
        "are confirmed (the portal's pay-to-confirm).",
    )
    prepayment_percent = fields.Float(
        string="Prepayment",
        digits=(16, 4),
        readonly=True,
        help="The share of the order to pay in advance (100 %: all of it).",
    )
    prepayment_origin = fields.Selection(
        PREPAYMENT_ORIGINS,
        string="Prepayment set by",
        readonly=True,
        help="A prepayment of a new customer lifts itself once the customer has paid the "
        "number of invoices on time the company asks; the others are lifted by hand.",
    )
    prepayment_date = fields.Date(string="Prepayment since", readonly=True)

    @api.constrains("prepayment_required", "prepayment_percent")
    def _check_prepayment_percent(self):
        for account in self:
            if account.prepayment_required and not 0 < account.prepayment_percent <= 1:
                raise ValidationError(
                    self.env._(
                        "The prepayment of %(partner)s must be more than 0 %% and at most "
                        "100 %% of the order.",
                        partner=account.partner_id.display_name,
                    )
                )

    def _ar_credit_data_domain(self):
        """A prepayment is credit data too (moving such a partner is the manager's)."""
        return expression.OR(
            [super()._ar_credit_data_domain(), [("prepayment_required", "=", True)]]
        )

    def _ar_measures(self):
        measures = super()._ar_measures()
        measures["prepayment_required"] = (
            lambda partners, vals, reason, date: partners._ar_set_prepayment(
                vals.get("prepayment_percent"), reason, date
            ),
            lambda partners, reason, date: partners._ar_lift_prepayment(reason, date),
        )
        return measures

    def _ar_measure_fields(self):
        return super()._ar_measure_fields() | {
            "prepayment_required",
            "prepayment_percent",
            "prepayment_origin",
            "prepayment_date",
        }
