# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ArFollowupLevel(models.Model):
    _inherit = "ar.followup.level"

    ar_prepayment = fields.Boolean(
        string="Require prepayment",
        help="Reaching this level makes the customer pay its new orders in advance (its "
        "quotations ask for online payment before confirmation) until a credit-control "
        "manager lifts it.",
    )
    ar_prepayment_percent = fields.Float(
        string="Prepayment share",
        default=1.0,
        help="The share of each order to pay in advance (100 %: all of it).",
    )

    @api.constrains("ar_prepayment", "ar_prepayment_percent")
    def _check_ar_prepayment_percent(self):
        for level in self:
            if level.ar_prepayment and not 0 < level.ar_prepayment_percent <= 1:
                raise ValidationError(
                    self.env._(
                        "The prepayment of level %(level)s must be more than 0 %% and at most "
                        "100 %% of the order.",
                        level=level.display_name,
                    )
                )
