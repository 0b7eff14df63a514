# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

"""Statutory interest rates: one table of published figures, the commercial rates derived.

The ECB main refinancing rate is entered once per half-year (kind ``ecb_refi``); the Dutch
handelsrente and the Belgian late-payment rate are derived from it by statute and stored as
read-only rows linked to it. The decree-set rates (Dutch wettelijke rente, Belgian legal
interest) are entered as published. Nothing is assumed: a period without a figure is missing.
"""

import logging
import math
from datetime import date, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round, format_date

_logger = logging.getLogger(__name__)

ECB = "ecb_refi"
RATE_DIGITS = 4
WARN_DAYS = 30  # the manager is told this many days before the last known rate runs out


def _nl_commercial(ecb):
    """Art. 6:120 lid 2 BW: the ECB rate of the half-year's first day plus 8 points."""
    return ecb + 8.0


def _half_point_up(ecb):
    """The ECB rate rounded up to the next half point (2.15 -> 2.50, 2.00 -> 2.00)."""
    return math.ceil(float_round(ecb * 2.0, precision_digits=6)) / 2.0


def _be_commercial(ecb):
    """Belgian act of 2 August 2002, art. 5: the ECB rate rounded up to the next half
    point, plus 8 points."""
    return _half_point_up(ecb) + 8.0


class RateKind(NamedTuple):
    label: str
    months: int  # how long a figure stays valid when no newer one follows
    start_months: tuple  # the months a figure may start in (on their first day)
    base: str | None = None  # the kind it is derived from
    derive: object = None  # base rate -> rate
    formula: str = ""  # how it is derived, with the base rate and its rounding


# The one table of rate kinds: selection, validity, calendar, bounds and derivation.
RATE_KINDS = {
    ECB: RateKind("ECB reference rate (main refinancing operations)", 6, (1, 7)),
    "nl_commercial": RateKind(
        "NL commercial interest (handelsrente)",
        6,
        (1, 7),
        base=ECB,
        derive=_nl_commercial,
        formula="ECB {base:.2f}% + 8",
    ),
    "nl_consumer": RateKind("NL statutory interest (wettelijke rente)", 6, (1, 7)),
    "be_commercial": RateKind(
        "BE commercial interest (late payment act)",
        6,
        (1, 7),
        base=ECB,
        derive=_be_commercial,
        formula="ECB {base:.2f}% → {rounded:.2f}% + 8",
    ),
    "be_legal": RateKind("BE legal interest (wettelijke interest)", 12, (1,)),
}
DERIVED_KINDS = tuple(kind for kind, spec in RATE_KINDS.items() if spec.base)
# kept for code that imported it: the kinds interest is charged at, with their validity
INTEREST_KINDS = {
    kind: (spec.label, spec.months) for kind, spec in RATE_KINDS.items() if kind != ECB
}
# res.company.ar_interest_regime -> the kinds its follow-up charges (ar.followup.run)
REGIME_KINDS = {
    "nl": ("nl_commercial", "nl_consumer"),
    "be": ("be_commercial", "be_legal"),
}
# the fields a derived row takes from its ECB row, never from a user
DERIVED_FIELDS = {"kind", "date_from", "rate", "source", "base_rate_id"}


ECB_MIN_RATE, ECB_MAX_RATE = -5.0, 90.0


class ArInterestRate(models.Model):
    _name = "ar.interest.rate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Statutory Interest Rate"
    _order = "kind, date_from desc"

    kind = fields.Selection(
        [(key, spec.label) for key, spec in RATE_KINDS.items()],
        required=True,
        index=True,
        tracking=True,
    )
    date_from = fields.Date(
        string="Valid from",
        required=True,
        tracking=True,
        compute="_compute_derived",
        store=True,
        readonly=False,
        recursive=True,  # a derived row follows its ECB row, of the same model
    )
    date_to = fields.Date(
        string="Valid until",
        compute="_compute_date_to",
        help="Last day the rate applies: the day before the next rate of its kind, and at "
        "most the end of its half-year (its year for the Belgian legal interest).",
    )
    rate = fields.Float(
        string="Rate (%)",
        required=True,
        digits=(16, RATE_DIGITS),
        aggregator=None,  # rates do not add up
        tracking=True,
        compute="_compute_derived",
        store=True,
        readonly=False,
        recursive=True,  # a derived row follows its ECB row, of the same model
    )
    source = fields.Char(
        string="Source / derivation",
        help="Where the rate was published; for a derived rate, how it follows from the ECB "
        "reference rate.",
        tracking=True,
        compute="_compute_derived",
        store=True,
        readonly=False,
        recursive=True,  # a derived row follows its ECB row, of the same model
    )
    base_rate_id = fields.Many2one(
        "ar.interest.rate",
        string="Derived from",
        domain=[("kind", "=", ECB)],
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
        help="The ECB reference rate this rate is derived from by statute (read-only: "
        "change the ECB rate).",
    )
    derived_rate_ids = fields.One2many("ar.interest.rate", "base_rate_id", string="Derived rates")
    expiry_warned = fields.Boolean(
        string="Expiry announced",
        copy=False,
        readonly=True,
        help="The credit-control manager was asked to enter the rate that follows this one.",
    )

    _sql_constraints = [
        (
            "kind_date_uniq",
            "UNIQUE (kind, date_from)",
            "There is already a rate of this kind from that date.",
        ),
    ]

    @api.depends("kind", "date_from")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._(
                "%(kind)s from %(date)s",
                kind=row._ar_kind_label(row.kind),
                date=format_date(self.env, row.date_from),
            )

    # ------------------------------------------------------------------
    # Derivation
    # ------------------------------------------------------------------

    @api.model
    def _ar_derived_values(self, kind, base):
        """``{date_from, rate, source}`` of the ``kind`` row derived from the ECB row
        ``base``."""
        spec = RATE_KINDS[kind]
        return {
            "date_from": base.date_from,
            "rate": float_round(spec.derive(base.rate), precision_digits=RATE_DIGITS),
            "source": spec.formula.format(base=base.rate, rounded=_half_point_up(base.rate)),
        }

    @api.depends("base_rate_id.rate", "base_rate_id.date_from", "kind")
    def _compute_derived(self):
        # entered rows keep what was entered: only derived rows are computed
        for row in self.filtered("base_rate_id"):
            if row.kind in DERIVED_KINDS:
                row.update(self._ar_derived_values(row.kind, row.base_rate_id))

    def _ar_sync_derived(self):
        """Give every ECB row of ``self`` its derived rows, adopting a row of a derived kind
        that already has its date (rows entered before the rates were derived)."""
        ecb_rows = self.filtered(lambda r: r.kind == ECB)
        if not ecb_rows:
            return
        Derive = self.sudo().with_context(ar_derive=True)
        existing = Derive.search(
            [("kind", "in", DERIVED_KINDS), ("date_from", "in", ecb_rows.mapped("date_from"))]
        )
        by_key = {(row.kind, row.date_from): row for row in existing}
        to_create = []
        for ecb_row in ecb_rows:
            for kind in DERIVED_KINDS:
                row = by_key.get((kind, ecb_row.date_from))
                values = self._ar_derived_values(kind, ecb_row)
                if not row:
                    to_create.append({"kind": kind, "base_rate_id": ecb_row.id, **values})
                    continue
                if row.base_rate_id == ecb_row:
                    continue
                expected = values["rate"]
                if float_round(row.rate, precision_digits=RATE_DIGITS) != expected:
                    _logger.warning(
                        "%s from %s: the entered %s%% (%s) is replaced by %s%%, derived from "
                        "the ECB reference rate %s%%",
                        kind,
                        row.date_from,
                        row.rate,
                        row.source or "no source",
                        expected,
                        ecb_row.rate,
                    )
                row.write({"base_rate_id": ecb_row.id, **values})
        if to_create:
            Derive.create(to_create)

    @api.model
    def _ar_name_derived_rows(self):
        """Name the derived rows of the shipped ECB rates (``rate_ecb_refi_2025_01`` derives
        ``rate_nl_commercial_2025_01`` and ``rate_be_commercial_2025_01``), as the rows
        entered in data/ar_fee_data.xml are named: stable references in every database."""
        shipped = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=", "ar_followup"),
                    ("model", "=", self._name),
                    ("name", "=like", "rate_ecb_refi_%"),
                ]
            )
        )
        ecb_rows = self.sudo().browse(shipped.mapped("res_id")).exists()
        external_ids = ecb_rows.derived_rate_ids._get_external_ids()
        named = {rid for rid, xmlids in external_ids.items() if xmlids}
        data = [
            {
                "xml_id": f"ar_followup.rate_{row.kind}_{ecb.date_from.strftime('%Y_%m')}",
                "record": row,
                "noupdate": True,
            }
            for ecb in ecb_rows
            for row in ecb.derived_rate_ids
            if row.id not in named
        ]
        self.env["ir.model.data"].sudo()._update_xmlids(data)

    # ------------------------------------------------------------------
    # Constraints and protection of derived rows
    # ------------------------------------------------------------------

    @api.constrains("rate", "kind")
    def _check_rate(self):
        for row in self:
            row._ar_check_rate_value(row.kind, row.rate)

    @api.model
    def _ar_check_rate_value(self, kind, rate):
        """A rate is a number between 0 and 100%; the ECB's between -5 and 90% (its derived
        rates add 8 points and must stay under 100%)."""
        if not math.isfinite(rate):
            raise ValidationError(self.env._("An interest rate must be a number."))
        if kind == ECB and not ECB_MIN_RATE <= rate <= ECB_MAX_RATE:
            raise ValidationError(
                self.env._(
                    "The ECB reference rate must be between -5 and 90%% (you entered %(rate)s%%).",
                    rate=rate,
                )
            )
        if kind != ECB and not 0.0 <= rate <= 100.0:
            raise ValidationError(
                self.env._(
                    "An interest rate must be between 0 and 100%% (you entered %(rate)s%%).",
                    rate=rate,
                )
            )

    @api.constrains("date_from", "kind")
    def _check_date_from(self):
        for row in self:
            months = RATE_KINDS[row.kind].start_months
            if row.date_from.day == 1 and row.date_from.month in months:
                continue
            if months == (1,):
                message = self.env._(
                    "The Belgian legal interest is set per calendar year: it starts on "
                    "1 January (not on %(date)s).",
                    date=format_date(self.env, row.date_from),
                )
            else:
                message = self.env._(
                    "%(kind)s is set per half-year: it starts on 1 January or 1 July (not on "
                    "%(date)s).",
                    kind=row._ar_kind_label(row.kind),
                    date=format_date(self.env, row.date_from),
                )
            raise ValidationError(message)

    def _ar_derived_error(self, kind):
        return ValidationError(
            self.env._(
                "%(kind)s is derived from the ECB reference rate by statute: enter or correct "
                "the ECB reference rate of the half-year instead.",
                kind=self._ar_kind_label(kind),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")  # who may not create at all is told that first
        for vals in vals_list:
            self._ar_check_input(vals)
        if not self._ar_deriving():
            for vals in vals_list:
                if vals.get("kind") in DERIVED_KINDS or vals.get("base_rate_id"):
                    raise self._ar_derived_error(vals.get("kind"))
        rows = super().create(vals_list)
        rows._ar_sync_derived()
        rows._ar_close_rate_activities()
        return rows

    def _ar_deriving(self):
        """Whether the rows are written by the derivation itself (as the system: a context
        key alone, which any RPC call can pass, does not open the derived rows)."""
        return self.env.su and self.env.context.get("ar_derive")

    @api.model
    def _ar_check_input(self, vals, rows=None):
        """Refuse, before anything is computed from them, a rate that is not a number in
        range, a date outside 1990-2199, and a second row of a kind for the same date."""
        if "rate" in vals:
            try:
                rate = float(vals["rate"])
            except (TypeError, ValueError):
                rate = math.nan
            for kind in {vals["kind"]} if vals.get("kind") else set((rows or self).mapped("kind")):
                self._ar_check_rate_value(kind, rate)
        if vals.get("date_from"):
            try:
                day = fields.Date.to_date(vals["date_from"])
            except (TypeError, ValueError):
                day = None
            if not day or not date(1990, 1, 1) <= day <= date(2199, 12, 31):
                raise ValidationError(
                    self.env._("A rate applies from a date between 1990 and 2199.")
                )
            kinds = {vals["kind"]} if vals.get("kind") else set((rows or self).mapped("kind"))
            clash = self.sudo().search_count(
                [
                    ("kind", "in", list(kinds)),
                    ("date_from", "=", day),
                    ("id", "not in", (rows or self).ids),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._("There is already a rate of this kind from that date.")
                )

    def write(self, vals):
        self.check_access("write")
        self._ar_check_input(vals, self)
        if not self._ar_deriving() and DERIVED_FIELDS & set(vals):
            derived = self.filtered("base_rate_id")
            changed = derived.filtered(lambda row: row._ar_changed_by(vals))
            if changed:
                raise self._ar_derived_error(changed[0].kind)
            entered = self - derived
            if entered and (vals.get("kind") in DERIVED_KINDS or vals.get("base_rate_id")):
                raise self._ar_derived_error(vals.get("kind"))
            if "kind" in vals and any(
                (row.kind == ECB) != (vals["kind"] == ECB) for row in entered
            ):
                raise ValidationError(
                    self.env._(
                        "An ECB reference rate cannot become another kind of rate, nor another "
                        "rate an ECB reference rate: delete it and enter a new one."
                    )
                )
        if "date_from" in vals:
            vals = dict(vals, expiry_warned=False)  # another period: announce its end again
        result = super().write(vals)
        if "date_from" in vals:
            self._ar_sync_derived()
        return result

    def _ar_changed_by(self, vals):
        """Whether writing ``vals`` would change one of the fields this row derives."""
        self.ensure_one()
        written = self.new({k: v for k, v in vals.items() if k in DERIVED_FIELDS})
        return any(
            written[name] != self[name]
            if self._fields[name].type != "float"
            else float_round(written[name] - self[name], precision_digits=RATE_DIGITS)
            for name in DERIVED_FIELDS & set(vals)
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_derived(self):
        for row in self.filtered("base_rate_id"):
            if row.base_rate_id not in self:
                raise self._ar_derived_error(row.kind)

    # ------------------------------------------------------------------
    # Periods (the contract with ar.fee.interest)
    # ------------------------------------------------------------------

    @api.model
    def _ar_rate_on(self, kind, day, periods=None):
        """The rate of ``kind`` in force on ``day`` (``None``: none is known)."""
        periods = self._ar_periods(kind) if periods is None else periods
        return next((rate for first, end, rate in periods if first <= day < end), None)

    @api.model
    def _ar_periods(self, kind):
        """``[(date_from, date_to_exclusive, rate)]`` of ``kind``: each rate until the next one,
        and at most for the months its kind publishes for (a newer rate not entered yet is
        missing, not assumed)."""
        months = RATE_KINDS[kind].months
        rates = self.sudo().search_fetch(
            [("kind", "=", kind)], ["date_from", "rate"], order="date_from"
        )
        periods = []
        for index, rate in enumerate(rates):
            end = rate.date_from + relativedelta(months=months)
            if index + 1 < len(rates):
                end = min(end, rates[index + 1].date_from)
            periods.append((rate.date_from, end, rate.rate))
        return periods

    @api.depends("kind", "date_from")
    def _compute_date_to(self):
        ends = {}
        for kind in set(self.mapped("kind")) - {False}:
            ends.update({(kind, f): t for f, t, _r in self._ar_periods(kind)})
        for row in self:
            end = ends.get((row.kind, row.date_from))
            row.date_to = end and end - timedelta(days=1)

    @api.model
    def _ar_kind_label(self, kind):
        return dict(self._fields["kind"]._description_selection(self.env)).get(kind, kind)

    @api.model
    def _ar_menu_path(self):
        """Where the rates are entered, as the user's menus say it (Invoicing > ...)."""
        menu = self.env.ref("ar_followup.menu_ar_interest_rates", raise_if_not_found=False)
        return menu.sudo().complete_name.replace("/", " > ") if menu else ""

    @api.model
    def _ar_period_start(self, kind, day):
        """First day of the period (half-year, or year) of ``kind`` that contains ``day``."""
        month = max(m for m in RATE_KINDS[kind].start_months if m <= day.month)
        return date(day.year, month, 1)
