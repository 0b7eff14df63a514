# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# kind: (label, months a published rate stays valid when no newer one follows)
INTEREST_KINDS = {
    "nl_commercial": ("NL commercial interest (handelsrente)", 6),
    "nl_consumer": ("NL statutory interest (wettelijke rente)", 6),
    "be_commercial": ("BE commercial interest (late payment act)", 6),
    "be_legal": ("BE legal interest (wettelijke interest)", 12),
}


class ArInterestRate(models.Model):
    _name = "ar.interest.rate"
    _description = "Statutory Interest Rate"
    _order = "kind, date_from desc"

    kind = fields.Selection(
        [(key, label) for key, (label, _months) in INTEREST_KINDS.items()],
        required=True,
        index=True,
    )
    date_from = fields.Date(string="Valid from", required=True)
    rate = fields.Float(string="Rate (%)", required=True, digits=(16, 4))
    source = fields.Char(help="Where the rate was published.")

    _sql_constraints = [
        (
            "kind_date_uniq",
            "UNIQUE (kind, date_from)",
            "There is already a rate of this kind from that date.",
        ),
    ]

    @api.constrains("rate")
    def _check_rate(self):
        if any(rate.rate < 0 or rate.rate > 100 for rate in self):
            raise ValidationError(self.env._("An interest rate must be between 0 and 100%."))

    @api.model
    def _ar_periods(self, kind):
        """``[(date_from, date_to_exclusive, rate)]`` of ``kind``: each rate until the next one,
        and at most for the months its kind publishes for (a newer rate not entered yet is
        missing, not assumed)."""
        months = INTEREST_KINDS[kind][1]
        rates = self.search([("kind", "=", kind)], order="date_from")
        periods = []
        for index, rate in enumerate(rates):
            end = rate.date_from + relativedelta(months=months)
            if index + 1 < len(rates):
                end = min(end, rates[index + 1].date_from)
            periods.append((rate.date_from, end, rate.rate))
        return periods
