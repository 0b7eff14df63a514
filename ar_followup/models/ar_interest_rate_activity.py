# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The statutory interest rates tell the credit-control manager what to enter: an activity 30
days before the last known figure of a kind in use runs out, one when a run met no rate
(listing the invoices that wait), both marked done when the figure is entered."""

import html
import re
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from .ar_interest_rate import RATE_KINDS, REGIME_KINDS, WARN_DAYS


class ArInterestRate(models.Model):
    _inherit = "ar.interest.rate"  # pylint: disable=consider-merging-classes-inherited

    def _ar_close_rate_activities(self):
        """The figures asked for are entered: the open activities asking for the next rate
        of these kinds, on the rows before them (or the company), are done."""
        activity_type = self.env.ref(
            "ar_followup.mail_activity_type_interest_rate", raise_if_not_found=False
        )
        if not activity_type or not self:
            return
        Activity = self.env["mail.activity"].sudo()
        for row in self.filtered(lambda r: not r.base_rate_id):
            earlier = self.sudo().search(
                [("kind", "=", row.kind), ("date_from", "<", row.date_from)]
            )
            activities = Activity.search(
                [
                    ("activity_type_id", "=", activity_type.id),
                    "|",
                    "&",
                    ("res_model", "=", self._name),
                    ("res_id", "in", earlier.ids),
                    "&",
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.env.companies.partner_id.ids),
                ]
            )
            activities.filtered(
                lambda a, r=row: (
                    a.res_model == r._name
                    or r.with_context(lang=a.user_id.lang or "en_US")._ar_kind_label(r.kind)
                    in (a.summary or "")
                )
            ).action_feedback(
                feedback=self.env._(
                    "Entered: %(rate)s%% from %(date)s.",
                    rate=row.rate,
                    date=format_date(self.env, row.date_from),
                )
            )

    # ------------------------------------------------------------------
    # Telling the credit-control manager what to enter
    # ------------------------------------------------------------------

    @api.model
    def _ar_kinds_in_use(self):
        """``{kind: res.company}``: the kinds a company's follow-up charges interest at (its
        regime's, when one of its levels charges interest)."""
        groups = (
            self.env["ar.followup.level"]
            .sudo()
            ._read_group([("charge_interest", "=", True)], ["company_id"])
        )
        in_use = defaultdict(lambda: self.env["res.company"])
        for (company,) in groups:
            for kind in REGIME_KINDS.get(company.ar_interest_regime, ()):
                in_use[kind] |= company
        return dict(in_use)

    @api.model
    def _cron_expiry_warning(self, today=None):
        """Daily: 30 days before the last known rate of a kind in use runs out, one activity
        for the credit-control manager to enter the next figure (once per figure: the rate row
        is marked). Derived kinds ask for their ECB reference rate (one activity for both)."""
        today = today or fields.Date.context_today(self)
        wanted = defaultdict(list)  # entered kind -> [(kind in use, companies)]
        for kind, companies in self._ar_kinds_in_use().items():
            wanted[RATE_KINDS[kind].base or kind].append((kind, companies))
        Rate = self.sudo()
        for entered, uses in wanted.items():
            periods = Rate._ar_periods(entered)
            if not periods:
                continue  # nothing to expire: the run reports the missing rate
            last = Rate.search([("kind", "=", entered)], order="date_from desc", limit=1)
            end = periods[-1][1]
            if last.expiry_warned or today < end - timedelta(days=WARN_DAYS):
                continue
            companies = self.env["res.company"].union(*(c for _k, c in uses)).sorted("id")
            manager = companies[0]._ar_credit_manager()
            Rate._ar_rate_activity(last, manager, entered, end, [k for k, _c in uses])
            last.expiry_warned = True

    @api.model
    def _ar_missing_rate_activity(self, kind, day, move_names):
        """The follow-up met no rate of ``kind`` for ``day``: one activity for the
        credit-control manager saying which figure to enter and where, listing the invoices
        ``move_names`` it could not charge interest on. Called once per run and kind; an open
        activity about the same figure is updated instead of another one created.

        :returns: the mail.activity
        """
        entered = RATE_KINDS[kind].base or kind
        Rate = self.sudo()
        periods = Rate._ar_periods(entered)
        # the first day of the gap ``day`` is in: the end of a period that nothing follows
        gap_starts = [
            end
            for _f, end, _r in periods
            if end <= day and not any(f <= end < t for f, t, _r in periods)
        ]
        start = max(gap_starts) if gap_starts else self._ar_period_start(entered, day)
        target = Rate.search(
            [("kind", "=", entered), ("date_from", "<=", day)], order="date_from desc", limit=1
        ) or Rate.search([("kind", "=", entered)], order="date_from", limit=1)
        company = self.env.company
        return Rate._ar_rate_activity(
            target or company.partner_id.sudo(),
            company._ar_credit_manager(),
            entered,
            start,
            [kind],
            day=day,
            move_names=move_names,
        )

    @api.model
    def _ar_rate_activity(self, target, manager, entered, start, kinds, day=None, move_names=()):
        """Schedule on ``target`` (or update there) the one activity asking ``manager`` to
        enter the ``entered`` rate from ``start``, in the manager's language; ``day`` and
        ``move_names``: what the run could not charge."""
        env = self.with_context(lang=manager.lang or "en_US").env
        summary = env._(
            "Enter the %(kind)s from %(date)s",
            kind=env["ar.interest.rate"]._ar_kind_label(entered),
            date=format_date(env, start),
        )
        note = env["ar.interest.rate"]._ar_rate_activity_note(entered, start, kinds, day)
        activity_type = self.env.ref("ar_followup.mail_activity_type_interest_rate")
        activity = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", target._name),
                    ("res_id", "=", target.id),
                    ("activity_type_id", "=", activity_type.id),
                ],
                limit=1,
            )
        )
        if activity and move_names:
            # the invoices of earlier runs that wait for the same figure stay listed
            listed = [
                html.unescape(name)
                for name in re.findall(r"<li>(.*?)</li>", str(activity.note or ""))
            ]
            move_names = list(dict.fromkeys([*listed, *move_names]))
        if move_names:
            note += Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s</li>") % name for name in move_names
            )
        if activity:
            activity.write({"summary": summary, "note": note, "user_id": manager.id})
            return activity
        return target.with_context(mail_activity_quick_update=True).activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=fields.Date.context_today(self) if day else start,
            summary=summary,
            note=note,
            user_id=manager.id,
            automated=True,
        )

    @api.model
    def _ar_rate_activity_note(self, entered, start, kinds, day=None):
        """What the activity asking for the ``entered`` rate from ``start`` says, in the
        language of ``self.env``: why (a charge missed on ``day``, or the last figure runs
        out), the kinds derived from it, where to enter it."""
        env = self.env
        label = self._ar_kind_label(entered)
        used = ", ".join(self._ar_kind_label(k) for k in kinds if k != entered)
        if day:
            why = env._(
                "No statutory interest was charged on these invoices: no rate of %(kind)s "
                "is known for %(date)s.",
                kind=self._ar_kind_label(kinds[0]),
                date=format_date(env, day),
            )
        else:
            why = env._(
                "The last known %(kind)s applies until %(date)s; from then on no interest "
                "can be charged at it until the next figure is entered.",
                kind=label,
                date=format_date(env, start - timedelta(days=1)),
            )
        parts = [why]
        if used:
            parts.append(
                env._(
                    "%(kinds)s is derived from it: enter only the ECB rate in force on %(date)s.",
                    kinds=used,
                    date=format_date(env, start),
                )
            )
        parts.append(
            env._(
                "Enter the published figure from %(date)s with its publication as source "
                "under %(menu)s.",
                date=format_date(env, start),
                menu=self._ar_menu_path(),
            )
        )
        return Markup("").join(Markup("<p>%s</p>") % part for part in parts)
