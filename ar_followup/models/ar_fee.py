# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Collection costs and statutory interest, by Dutch, Belgian and EU rules.

The scales are tables; the amounts are in euro and rounded to the cent.
"""

import itertools
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_round, format_date

# Dutch Wet incassokosten (Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2):
# (up to this principal, percentage of the slice); minimum 40, maximum 6,775.
NL_WIK_SCALE = [
    (2500.0, 15.0),
    (5000.0, 10.0),
    (10000.0, 5.0),
    (200000.0, 1.0),
    (None, 0.5),
]
NL_WIK_MIN = 40.0
NL_WIK_MAX = 6775.0

# Belgian consumer debts (Code of Economic Law, Book XIX, art. XIX.4): maximum damages per
# balance slice: (up to this balance, fixed part, percentage of the part above the previous
# bound); never more than 2,000.
BE_CONSUMER_SCALE = [
    (150.0, 20.0, 0.0),
    (500.0, 30.0, 10.0),
    (None, 65.0, 5.0),
]
BE_CONSUMER_MAX = 2000.0
BE_CONSUMER_WAIT_DAYS = 14  # after the first (free) reminder

# EU Late Payment Directive 2011/7/EU, art. 6: a fixed sum per invoice between businesses.
EU_B2B_FLAT = 40.0

NL_FOURTEEN_DAY_WAIT = 15  # days after the 14-day letter before costs may be charged

DAYS_PER_YEAR = 365.0


class MissingInterestRate(UserError):
    """No published rate covers part of the period."""


class ArFee(models.AbstractModel):
    _name = "ar.fee"
    _description = "Collection Costs and Statutory Interest"

    @api.model
    def nl_wik(self, principal):
        """Dutch WIK collection costs on ``principal`` (EUR)."""
        fee, lower = 0.0, 0.0
        for upper, percent in NL_WIK_SCALE:
            part = (min(principal, upper) if upper is not None else principal) - lower
            if part <= 0:
                break
            fee += part * percent / 100.0
            if upper is None:
                break
            lower = upper
        return float_round(min(max(fee, NL_WIK_MIN), NL_WIK_MAX), precision_digits=2)

    @api.model
    def be_consumer(self, balance):
        """Most that may be charged to a Belgian consumer for ``balance`` (EUR)."""
        lower = 0.0
        for upper, fixed, percent in BE_CONSUMER_SCALE:
            if upper is None or balance <= upper:
                fee = fixed + max(balance - lower, 0.0) * percent / 100.0
                return float_round(min(fee, BE_CONSUMER_MAX), precision_digits=2)
            lower = upper
        raise AssertionError("unreachable")

    @api.model
    def interest(self, principal, due_date, date_to, kind, compound=False):
        """Statutory interest on ``principal`` from the day after ``due_date`` up to and
        including ``date_to``, with the rate of each period (days / 365); with ``compound``
        (Dutch law, art. 6:119 BW) the interest of each full year is added to the principal.

        :raises MissingInterestRate: when no rate covers a day of the period
        """
        start = due_date + timedelta(days=1)
        end = date_to + timedelta(days=1)  # exclusive
        if end <= start or principal <= 0:
            return 0.0
        periods = self.env["ar.interest.rate"]._ar_periods(kind)
        bounds = {start, end}
        bounds.update(p[0] for p in periods if start < p[0] < end)
        bounds.update(p[1] for p in periods if start < p[1] < end)
        year = 1
        while start + relativedelta(years=year) < end:
            bounds.add(start + relativedelta(years=year))
            year += 1
        bounds = sorted(bounds)
        base, total, accrued = principal, 0.0, 0.0
        anniversary = start + relativedelta(years=1)
        for seg_start, seg_end in itertools.pairwise(bounds):
            if compound and seg_start >= anniversary:
                base += accrued
                accrued = 0.0
                anniversary += relativedelta(years=1)
            rate = next((r for f, t, r in periods if f <= seg_start < t), None)
            if rate is None:
                kinds = dict(
                    self.env["ar.interest.rate"]._fields["kind"]._description_selection(self.env)
                )
                raise MissingInterestRate(
                    self.env._(
                        "No rate of %(kind)s is known for %(date)s: enter it under "
                        "Configuration > Follow-up > Statutory Interest Rates.",
                        kind=kinds.get(kind, kind),
                        date=format_date(self.env, seg_start),
                    )
                )
            amount = base * rate / 100.0 * (seg_end - seg_start).days / DAYS_PER_YEAR
            accrued += amount
            total += amount
        return float_round(total, precision_digits=2)
