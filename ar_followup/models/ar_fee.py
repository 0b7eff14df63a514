# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Collection costs and statutory interest, by Dutch, Belgian and EU rules.

The law is a set of tables here: the scales, the rule that applies to each kind of customer
(:data:`LEGAL_RULES`) and the waiting periods (:data:`WAITING_PERIODS`). The amounts are in
euro and rounded to the cent. The follow-up run's charging step
(``models/ar_followup_run_fees.py``) decides with them what a run charges.
"""

import itertools
import math
from collections import namedtuple
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from odoo import _lt, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round, format_date, formatLang

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
# the general Dutch VAT rate (Wet OB 1968, art. 9): a creditor who cannot deduct VAT may
# add it to the WIK amount (Besluit, art. 2 lid 3)
NL_VAT_RATE = 21.0

# Belgian consumer debts (Code of Economic Law, Book XIX, art. XIX.4): maximum damages per
# balance slice: (up to this balance, fixed part, percentage of the part above the previous
# bound); never more than 2,000.
BE_CONSUMER_SCALE = [
    (150.0, 20.0, 0.0),
    (500.0, 30.0, 10.0),
    (None, 65.0, 5.0),
]
BE_CONSUMER_MAX = 2000.0

# EU Late Payment Directive 2011/7/EU, art. 6 (art. 6:96 lid 4 BW; Belgian law of
# 2 August 2002, art. 6): a fixed sum per invoice between businesses, at least.
EU_B2B_FLAT = 40.0

DAYS_PER_YEAR = 365.0

# Which rule applies, by the law of the claim and the kind of customer.
#   costs:    how the collection costs of a claim are computed (see ArFee._claim_costs)
#   wait:     the waiting period (WAITING_PERIODS) before costs and interest may be charged
#   interest: the rate kind (ar.interest.rate) and whether it compounds yearly
#   interest_from: "due" (the day after the due date) or "wait" (the day after the waiting
#             period ended; for Dutch consumers "due" when the terms make the payment term a
#             fatal term)
LegalRule = namedtuple("LegalRule", "law consumer costs wait interest compound interest_from")
LEGAL_RULES = {
    # art. 6:96 lid 2 sub c, lid 5 and 6 BW; art. 6:119 BW (wettelijke rente, compounded)
    ("nl", True): LegalRule("nl", True, "nl_wik", "nl_fourteen_day", "nl_consumer", True, "wait"),
    # art. 6:96 BW (WIK unless the terms say otherwise); art. 6:119a BW (handelsrente)
    ("nl", False): LegalRule("nl", False, "b2b", None, "nl_commercial", True, "due"),
    # Book XIX CEL, art. XIX.2 and XIX.4; legal interest (Law of 5 May 1865)
    ("be", True): LegalRule(
        "be", True, "be_consumer", "be_first_reminder", "be_legal", False, "wait"
    ),
    # Law of 2 August 2002, art. 5 and 6
    ("be", False): LegalRule("be", False, "b2b", None, "be_commercial", False, "due"),
}

# The legal basis a fee line states, by (law, consumer) for the costs and by rate kind for the
# interest.
COSTS_BASIS = {
    ("nl", True): _lt("art. 6:96 BW; Besluit vergoeding voor buitengerechtelijke incassokosten"),
    ("nl", False): _lt("art. 6:96 BW; Directive 2011/7/EU, art. 6"),
    ("be", True): _lt("Code of Economic Law, art. XIX.2 and XIX.4"),
    ("be", False): _lt("Belgian law of 2 August 2002, art. 6"),
}
INTEREST_BASIS = {
    "nl_consumer": _lt("art. 6:119 BW (wettelijke rente)"),
    "nl_commercial": _lt("art. 6:119a BW (handelsrente)"),
    "be_legal": _lt("Law of 5 May 1865 (legal interest)"),
    "be_commercial": _lt("Belgian law of 2 August 2002, art. 5"),
}

# How a waiting period is counted from the day a reminder was sent.
#   start:     {channel: (days, working days)} from sending to the first day of the period
#   days:      the length of the period
# NL (art. 6:96 lid 6 BW, HR 25-11-2016, ECLI:NL:HR:2016:2688): the 14 days start the day
# after receipt; an e-mail is received the day it is sent, a letter two days after posting.
# BE (art. XIX.2 CEL): the period starts the day after an e-mail was sent, on the third
# working day after a paper reminder was sent.
WAITING_PERIODS = {
    "nl_fourteen_day": {
        "start": {"email": (1, 0), "letter": (3, 0)},
        "days": 14,
    },
    "be_first_reminder": {
        "start": {"email": (1, 0), "letter": (0, 3)},
        "days": 14,
    },
}


class MissingInterestRate(UserError):
    """No published rate covers part of the period."""

    def __init__(self, message, kind=None, day=None):
        super().__init__(message)
        self.kind = kind
        self.day = day


def missing_rate_text(env, kind, day):
    """Why no interest is charged: the rate of ``kind`` of ``day`` is not known (in the
    language of ``env``)."""
    kinds = dict(env["ar.interest.rate"]._fields["kind"]._description_selection(env))
    return env._(
        "No rate of %(kind)s is known for %(date)s: enter it under "
        "Configuration > Follow-up > Statutory Interest Rates.",
        kind=kinds.get(kind, kind),
        date=format_date(env, day),
    )


def be_public_holidays(year):
    """The Belgian public holidays of ``year`` (Law of 4 January 1974)."""
    easter_day = easter(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    days = {easter_day.replace(month=m, day=d) for m, d in fixed}
    days |= {easter_day + timedelta(days=n) for n in (1, 39, 50)}
    return days


def add_working_days(day, count):
    """The ``count``-th working day after ``day`` (Monday to Friday, no Belgian holiday)."""
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in be_public_holidays(day.year):
            count -= 1
    return day


class ArFee(models.AbstractModel):
    _name = "ar.fee"
    _description = "Collection Costs and Statutory Interest"

    # ------------------------------------------------------------------
    # Scales
    # ------------------------------------------------------------------

    def _check_call(self, *amounts, dates=()):
        """The public methods compute for the follow-up and the internal users: not for the
        portal or the public, and only on numbers and dates."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("Only internal users compute collection costs."))
        if not all(
            isinstance(a, int | float) and not isinstance(a, bool) and math.isfinite(a)
            for a in amounts
        ) or not all(isinstance(d, date) and 1900 < d.year < 2200 for d in dates):
            raise UserError(self.env._("Give an amount and dates to compute them on."))

    @api.model
    def nl_wik(self, principal):
        """Dutch WIK collection costs on ``principal`` (EUR)."""
        self._check_call(principal)
        return self._nl_wik_slices(principal)[0]

    @api.model
    def _nl_wik_slices(self, principal):
        """``(amount, [(slice, percent, part)])``: the WIK of ``principal`` and how it adds up."""
        fee, lower, slices = 0.0, 0.0, []
        for upper, percent in NL_WIK_SCALE:
            part = (min(principal, upper) if upper is not None else principal) - lower
            if part <= 0:
                break
            slices.append((part, percent, part * percent / 100.0))
            fee += part * percent / 100.0
            if upper is None:
                break
            lower = upper
        return float_round(min(max(fee, NL_WIK_MIN), NL_WIK_MAX), precision_digits=2), slices

    @api.model
    def be_consumer(self, balance):
        """Most that may be charged to a Belgian consumer for ``balance`` (EUR)."""
        self._check_call(balance)
        lower = 0.0
        for upper, fixed, percent in BE_CONSUMER_SCALE:
            if upper is None or balance <= upper:
                fee = fixed + max(balance - lower, 0.0) * percent / 100.0
                return float_round(min(fee, BE_CONSUMER_MAX), precision_digits=2)
            lower = upper
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------
    # Which rule applies
    # ------------------------------------------------------------------

    @api.model
    def _rule(self, partner, company):
        """The :data:`LEGAL_RULES` row for the commercial partner ``partner`` of ``company``:
        a consumer by the law of the country it lives in (the Netherlands or Belgium; Rome I,
        art. 6), else and for businesses by the company's law."""
        consumer = not partner.is_company
        law = company.ar_interest_regime or "nl"
        if consumer and partner.country_id.code in ("NL", "BE"):
            law = partner.country_id.code.lower()
        return LEGAL_RULES[law, consumer]

    @api.model
    def _wait_end(self, wait, channel, sent):
        """The last day of the waiting period ``wait`` started by a reminder sent on ``sent``
        by ``channel`` ('email' or 'letter'): costs and interest from the day after."""
        period = WAITING_PERIODS[wait]
        days, working_days = period["start"][channel]
        start = add_working_days(sent, working_days) if working_days else sent
        start += timedelta(days=days)
        return start + timedelta(days=period["days"] - 1)

    # ------------------------------------------------------------------
    # Costs of a claim
    # ------------------------------------------------------------------

    @api.model
    def _claim_costs(self, rule, company, principals, date):
        """The collection costs of one claim: the invoices demanded together, whose open
        principals (EUR) are ``principals``: ``(amount in EUR, computation)``, the
        computation a list of ``(label, amount)`` steps that a person can check by hand."""
        principal = sum(principals)
        count = len(principals)
        if rule.costs == "be_consumer":
            fee = self.be_consumer(principal)
            label = self.env._(
                "Belgian consumer scale (art. XIX.4 CEL) on %s", self._eur(principal)
            )
            return fee, [(label, fee)]
        if rule.costs == "nl_wik" or (rule.law == "nl" and company.ar_costs_b2b == "wik"):
            return self._wik_claim_costs(rule, company, principal, count)
        if rule.consumer or company.ar_costs_b2b == "none":
            return 0.0, []
        if company.ar_costs_b2b == "fixed":
            eur = self.env.ref("base.EUR")
            fixed = company.currency_id._convert(company.ar_costs_b2b_fixed, eur, company, date)
            fee = float_round(fixed * count, precision_digits=2)
            label = self.env._(
                "%(count)s invoices at %(amount)s (the company's terms)",
                count=count,
                amount=self._eur(fixed),
            )
            return fee, [(label, fee)]
        fee = EU_B2B_FLAT * count
        label = self.env._(
            "%(count)s invoices at %(flat)s (Directive 2011/7/EU, art. 6)",
            count=count,
            flat=self._eur(EU_B2B_FLAT),
        )
        return fee, [(label, fee)]

    @api.model
    def _wik_claim_costs(self, rule, company, principal, count):
        """The Dutch scale on the claim's principal, its minimum and maximum, the VAT the
        company cannot deduct, and for a business at least the EU flat sum per invoice."""
        fee, slices = self._nl_wik_slices(principal)
        steps = [
            (
                self.env._(
                    "%(percent)s%% of %(part)s",
                    percent=formatLang(self.env, percent, digits=0 if percent % 1 == 0 else 1),
                    part=self._eur(part),
                ),
                amount,
            )
            for part, percent, amount in slices
        ]
        scale = float_round(sum(amount for _p, _r, amount in slices), precision_digits=2)
        if fee != scale:
            label = self.env._(
                "WIK scale: at least %(min)s, at most %(max)s",
                min=self._eur(NL_WIK_MIN),
                max=self._eur(NL_WIK_MAX),
            )
            steps.append((label, fee))
        if company.ar_costs_add_vat:
            vat = float_round(fee * NL_VAT_RATE / 100.0, precision_digits=2)
            steps.append((self.env._("VAT the company cannot deduct (%s%%)", NL_VAT_RATE), vat))
            fee += vat
        if not rule.consumer and fee < EU_B2B_FLAT * count:
            fee = EU_B2B_FLAT * count
            label = self.env._(
                "At least %(flat)s for each of the %(count)s invoices (Directive "
                "2011/7/EU, art. 6; CJEU C-585/20)",
                flat=self._eur(EU_B2B_FLAT),
                count=count,
            )
            steps.append((label, fee))
        return float_round(fee, precision_digits=2), steps

    @api.model
    def _eur(self, amount):
        return formatLang(self.env, amount)

    # ------------------------------------------------------------------
    # Interest
    # ------------------------------------------------------------------

    @api.model
    def interest(self, principal, due_date, date_to, kind, compound=False):
        """Statutory interest on ``principal`` from the day after ``due_date`` up to and
        including ``date_to``, with the rate of each period (days / 365); with ``compound``
        (Dutch law, art. 6:119 lid 2 BW) the interest of each full year is added to the
        principal.

        :raises MissingInterestRate: when no rate covers a day of the period
        """
        self._check_call(principal, dates=(due_date, date_to))
        segments = self._interest_segments(principal, due_date, date_to, kind, compound)
        return float_round(sum(s[4] for s in segments), precision_digits=2)

    @api.model
    def _interest_segments(self, principal, due_date, date_to, kind, compound=False, periods=None):
        """The periods of :meth:`interest`: ``[(first day, last day, base, rate, amount)]``;
        ``periods``: those of ``kind`` read once by a caller that computes many."""
        start = due_date + timedelta(days=1)
        end = date_to + timedelta(days=1)  # exclusive
        if end <= start or principal <= 0:
            return []
        Rate = self.env["ar.interest.rate"]
        periods = Rate._ar_periods(kind) if periods is None else periods
        bounds = {start, end}
        bounds.update(p[0] for p in periods if start < p[0] < end)
        bounds.update(p[1] for p in periods if start < p[1] < end)
        year = 1
        while start + relativedelta(years=year) < end:
            bounds.add(start + relativedelta(years=year))
            year += 1
        bounds = sorted(bounds)
        base, accrued, segments = principal, 0.0, []
        anniversary = start + relativedelta(years=1)
        for seg_start, seg_end in itertools.pairwise(bounds):
            if compound and seg_start >= anniversary:
                base += accrued
                accrued = 0.0
                anniversary += relativedelta(years=1)
            rate = Rate._ar_rate_on(kind, seg_start, periods)
            if rate is None:
                raise MissingInterestRate(
                    missing_rate_text(self.env, kind, seg_start), kind=kind, day=seg_start
                )
            amount = base * rate / 100.0 * (seg_end - seg_start).days / DAYS_PER_YEAR
            accrued += amount
            segments.append((seg_start, seg_end - timedelta(days=1), base, rate, amount))
        return segments
