# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_dd_return_days_core = fields.Integer(
        string="Return window, CORE (working days)",
        default=8,
        help="Working days after a SEPA CORE direct debit's collection date in which the "
        "customer's bank may still return it: the invoice is not chased until then.",
    )
    ar_dd_return_days_b2b = fields.Integer(
        string="Return window, B2B (working days)",
        default=2,
        help="Working days after a SEPA B2B direct debit's collection date in which the "
        "customer's bank may still return it.",
    )
    ar_dd_prenotice_days = fields.Integer(
        string="Pre-notification (days)",
        default=14,
        help="Calendar days between the invoice, which announces the direct debit, and its "
        "collection (the SEPA rulebook's 14 days, unless agreed otherwise with the customer): "
        "an invoice due sooner is collected that many days after its date.",
    )
    ar_dd_returns_policy_id = fields.Many2one(
        "ar.followup.policy",
        string="After two returned debits",
        domain="[('company_id', '=', id)]",
        help="A customer whose direct debits are returned twice in 12 months goes back to "
        "paying by transfer (its direct debit payment mode is taken off) and to this "
        "follow-up policy (e.g. a shorter ladder). Empty: the credit-control manager decides.",
    )

    @api.constrains("ar_dd_return_days_core", "ar_dd_return_days_b2b", "ar_dd_prenotice_days")
    def _check_ar_dd_return_days(self):
        for company in self:
            if not (0 <= company.ar_dd_prenotice_days <= 60):
                raise ValidationError(
                    self.env._("A direct debit's pre-notification is between 0 and 60 days.")
                )
            if not (0 <= company.ar_dd_return_days_core <= 60) or not (
                0 <= company.ar_dd_return_days_b2b <= 60
            ):
                raise ValidationError(
                    self.env._("A direct debit's return window is between 0 and 60 working days.")
                )
