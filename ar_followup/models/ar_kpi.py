# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Receivables insight: aging as of any date and the collection KPIs, in SQL.

Formulas (all amounts in company currency, ``env.company``):

* AR at a date: open amount of the posted receivable items at that date, reconciliations after
  it ignored.
* DSO (simple) = closing AR / credit sales of the period x days of the period.
* DSO (countback): the closing AR is covered by the credit sales of the most recent months,
  each month counting 30 days, the last one in proportion.
* Best possible DSO = closing AR not yet due / credit sales x days.
* ADD (average days delinquent) = DSO - best possible DSO.
* CEI = (opening AR + credit sales - closing AR) / (opening AR + credit sales - closing AR not
  yet due) x 100.
* AR turnover = credit sales / average AR ((opening + closing) / 2).
* Overdue % = closing AR past due / closing AR x 100.

A rate with nothing to divide (no credit sales, no AR, no promises due) is ``None``, shown empty.
The disputed amount is that of the disputes open at the end of the period.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .ar_dispute import OPEN_STATES

# (key, label, last day overdue; None = no limit)
AGING_BUCKETS = [
    ("not_due", "Not due", 0),
    ("d1_30", "1-30", 30),
    ("d31_60", "31-60", 60),
    ("d61_90", "61-90", 90),
    ("d91_120", "91-120", 120),
    ("over_120", "Over 120", None),
]
COUNTBACK_MONTH_DAYS = 30


class ArKpi(models.AbstractModel):
    _name = "ar.kpi"
    _description = "Receivables KPIs"

    @api.model
    def _check_kpi_access(self):
        """The figures are read with SQL: only accounting users may ask for them."""
        user = self.env.user
        if not self.env.su and not (
            user.has_group("account.group_account_invoice")
            or user.has_group("account.group_account_readonly")
        ):
            raise AccessError(self.env._("Only accounting users can see the receivables figures."))

    # ------------------------------------------------------------------
    # Open items at a date
    # ------------------------------------------------------------------

    @api.model
    def _open_items_query(self, as_of, partner=None):
        """Every posted receivable line of the company dated up to ``as_of`` with its open
        amount at ``as_of`` (company and line currency): the matchings of later dates are
        added back. The open items of ``ar.followup.statement._ar_open_items_query`` at an earlier
        date: the same lines, the same due date (the line's, else its date). One SQL query;
        the matchings are summed once per line (no correlated subquery, whose plan depends on
        fresh statistics)."""
        company = self.env.company
        partner_filter = SQL()
        if partner is not None:
            partner_filter = SQL(
                "AND p.commercial_partner_id IN %s",
                tuple(partner.commercial_partner_id.ids) or (0,),
            )
        return SQL(
            """
            WITH lines AS (
                SELECT l.id, p.commercial_partner_id AS partner_id, l.currency_id, l.move_id,
                       COALESCE(l.date_maturity, l.date) AS due, l.balance, l.amount_currency
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s
                   AND l.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable'
                   AND l.date <= %(as_of)s
                   %(partner_filter)s
            ), matched AS (
                SELECT pr.debit_move_id AS line_id, pr.amount,
                       pr.debit_amount_currency AS amount_cur
                  FROM account_partial_reconcile pr
                 WHERE pr.max_date <= %(as_of)s AND pr.debit_move_id IN (SELECT id FROM lines)
                 UNION ALL
                SELECT pr.credit_move_id, -pr.amount, -pr.credit_amount_currency
                  FROM account_partial_reconcile pr
                 WHERE pr.max_date <= %(as_of)s AND pr.credit_move_id IN (SELECT id FROM lines)
            ), matched_sum AS (
                SELECT line_id, SUM(amount) AS amount, SUM(amount_cur) AS amount_cur
                  FROM matched GROUP BY line_id
            )
            SELECT lines.id AS line_id, lines.partner_id, lines.currency_id, lines.move_id,
                   lines.due,
                   lines.balance - COALESCE(m.amount, 0) AS open_balance,
                   lines.amount_currency - COALESCE(m.amount_cur, 0) AS open_currency
              FROM lines
              LEFT JOIN matched_sum m ON m.line_id = lines.id
            """,
            as_of=as_of,
            company=company.id,
            partner_filter=partner_filter,
        )

    @api.model
    def aging(self, as_of, partner=None):
        """One dict per partner and currency: ``partner_id``, ``currency_id``, the buckets of
        :data:`AGING_BUCKETS` in the currency and ``total``; plus ``total_company`` (company
        currency). One query.

        An item is overdue as the partners' figures count it (``res.partner.ar_amount_overdue``):
        a debit item due before ``as_of``; credits (credit notes, payments, other credit items
        not matched yet) are never overdue and count in 'not due'."""
        self._check_kpi_access()
        self.env.flush_all()
        bucket_sql = []
        previous = None
        for key, _label, limit in AGING_BUCKETS:
            if previous is None:  # not due: due today or later, and every credit
                cond = SQL("(o.due >= %s OR o.open_balance < 0)", as_of)
            elif limit is None:
                cond = SQL("o.due < %s AND o.open_balance >= 0", as_of - timedelta(days=previous))
            else:
                cond = SQL(
                    "o.due < %s AND o.due >= %s AND o.open_balance >= 0",
                    as_of - timedelta(days=previous),
                    as_of - timedelta(days=limit),
                )
            bucket_sql.append(
                SQL(
                    "COALESCE(SUM(o.open_currency) FILTER (WHERE %s), 0) AS %s",
                    cond,
                    SQL.identifier(key),
                )
            )
            previous = limit
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%(items)s)
                SELECT o.partner_id, o.currency_id, %(buckets)s,
                       SUM(o.open_currency) AS total, SUM(o.open_balance) AS total_company
                  FROM o
                 WHERE o.open_balance != 0 OR o.open_currency != 0
                 GROUP BY o.partner_id, o.currency_id
                 ORDER BY o.partner_id, o.currency_id
                """,
                items=self._open_items_query(as_of, partner),
                buckets=SQL(", ").join(bucket_sql),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _ar_totals(self, as_of, partner=None):
        """(total AR, AR not yet due, AR past due) in company currency at ``as_of``; past due
        are the debit items due before ``as_of``, the credits count as not due (as in
        :meth:`aging`)."""
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%s)
                SELECT COALESCE(SUM(open_balance), 0),
                       COALESCE(SUM(open_balance)
                                FILTER (WHERE NOT (due < %s AND open_balance > 0)), 0),
                       COALESCE(SUM(open_balance) FILTER (WHERE due < %s AND open_balance > 0), 0)
                  FROM o
                """,
                self._open_items_query(as_of, partner),
                as_of,
                as_of,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _credit_sales(self, date_from, date_to, partner=None):
        """Customer invoices minus credit notes, posted, dated in the period (company
        currency, tax included: what becomes receivable)."""
        domain = [
            ("company_id", "=", self.env.company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", date_from),
            ("invoice_date", "<=", date_to),
        ]
        if partner is not None:
            domain.append(("commercial_partner_id", "in", partner.commercial_partner_id.ids))
        groups = self.env["account.move"]._read_group(domain, [], ["amount_total_signed:sum"])
        return groups[0][0] or 0.0

    @api.model
    def _monthly_sales(self, date_to, months, partner=None):
        """Credit sales of each of the ``months`` calendar months up to ``date_to``, most
        recent first."""
        result = []
        end = date_to
        for _index in range(months):
            start = end.replace(day=1)
            result.append(self._credit_sales(start, end, partner))
            end = start - timedelta(days=1)
        return result

    @api.model
    def countback_dso(self, closing_ar, monthly_sales, first_month_days=COUNTBACK_MONTH_DAYS):
        """Days of the most recent months' sales (most recent first) that cover
        ``closing_ar``, 30 days a month; the most recent month counts ``first_month_days``
        (the days elapsed of a month not over yet, whose sales are those of these days)."""
        days, left = 0.0, closing_ar
        for index, sales in enumerate(monthly_sales):
            month_days = first_month_days if index == 0 else COUNTBACK_MONTH_DAYS
            if left <= 0:
                break
            if sales <= 0:
                days += month_days
                continue
            if left >= sales:
                days += month_days
                left -= sales
            else:
                days += month_days * left / sales
                left = 0.0
        return round(days, 1)

    @api.model
    def _partners_of(self, user):
        """The customers an account manager follows: their follow-up responsible, else their
        salesperson."""
        Partner = self.env["res.partner"].with_company(self.env.company)
        assigned = self.env["ar.customer.account"]._ar_collector_domain(user)
        return Partner.search([("parent_id", "=", False), *assigned])

    @api.model
    def compute(self, date_from, date_to, partner=None, user=None):
        """The KPIs of ``env.company`` for the period: of the whole company, of one or more
        partners, or of the customers of an account manager (``user``)."""
        self._check_kpi_access()
        if user:
            partner = self._partners_of(user)
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        days = (date_to - date_from).days + 1
        self.env.flush_all()
        opening, _opening_current, _opening_overdue = self._ar_totals(
            date_from - timedelta(days=1), partner
        )
        closing, closing_current, closing_overdue = self._ar_totals(date_to, partner)
        sales = self._credit_sales(date_from, date_to, partner)
        months = max(1, (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1)
        month_end = date_to + relativedelta(day=31)
        # a month not over yet counts the days elapsed: its sales are those of these days
        first_month_days = COUNTBACK_MONTH_DAYS if date_to == month_end else date_to.day
        dso = closing / sales * days if sales else None
        best = closing_current / sales * days if sales else None
        cei_base = opening + sales - closing_current
        average = (opening + closing) / 2
        # a rate with nothing to divide is None (shown empty), not 0
        return {
            "opening_ar": opening,
            "closing_ar": closing,
            "closing_current": closing_current,
            "closing_overdue": closing_overdue,
            "credit_sales": sales,
            "dso": round(dso, 1) if dso is not None else None,
            "dso_countback": self.countback_dso(
                closing, self._monthly_sales(date_to, max(months, 12), partner), first_month_days
            ),
            "best_possible_dso": round(best, 1) if best is not None else None,
            "add": round(dso - best, 1) if dso is not None else None,
            "cei": round((opening + sales - closing) / cei_base * 100, 1) if cei_base else None,
            "ar_turnover": round(sales / average, 2) if average else None,
            "overdue_pct": round(closing_overdue / closing * 100, 1) if closing else None,
            "disputed_amount": self._disputed_amount(date_to, partner),
            "promise_kept_rate": self._promise_kept_rate(date_from, date_to, partner),
        }

    @api.model
    def _disputed_amount(self, as_of, partner=None):
        """The amount in dispute at the end of ``as_of``, in company currency: the disputes
        opened by then and not closed by then (closed: resolved, rejected or cancelled, on
        their ``date_resolved``)."""
        company = self.env.company
        domain = [
            ("company_id", "=", company.id),
            ("date", "<=", as_of),
            "|",
            "&",
            ("date_resolved", "=", False),
            ("state", "in", OPEN_STATES),
            ("date_resolved", ">", as_of),
        ]
        if partner is not None:
            domain.append(("partner_id", "in", partner.commercial_partner_id.ids))
        groups = self.env["ar.dispute"]._read_group(
            domain, ["currency_id"], ["amount_disputed:sum"]
        )
        return sum(
            currency._convert(amount or 0.0, company.currency_id, company, as_of)
            if currency
            else amount or 0.0
            for currency, amount in groups
        )

    @api.model
    def _promise_kept_rate(self, date_from, date_to, partner=None):
        """Share of the promises due in the period that were kept; None without any."""
        domain = [
            ("company_id", "=", self.env.company.id),
            ("channel", "=", "promise"),
            ("promise_state", "in", ("kept", "broken")),
            ("promise_date", ">=", date_from),
            ("promise_date", "<=", date_to),
        ]
        if partner is not None:
            domain.append(("partner_id", "in", partner.commercial_partner_id.ids))
        groups = dict(
            self.env["ar.followup.history"]._read_group(domain, ["promise_state"], ["__count"])
        )
        done = groups.get("kept", 0) + groups.get("broken", 0)
        return round(groups.get("kept", 0) / done * 100, 1) if done else None

    @api.model
    def level_conversion(self, date_from, date_to):
        """Per follow-up level, of the invoices reminded in the period: how many, and the share
        paid within 7 and within 14 days after the reminder; the hand-off to a collection
        agency counts as a level of its own (key ``"handover"``). One query."""
        self._check_kpi_access()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH chased AS (
                    SELECT DISTINCT CASE WHEN h.channel = 'handover' THEN 0
                                         ELSE h.level_id END AS level_id, r.move_id, h.date
                      FROM ar_followup_history h
                      JOIN ar_followup_history_move_rel r ON r.history_id = h.id
                     WHERE h.company_id = %(company)s
                       AND h.channel IN ('email', 'letter', 'handover')
                       AND h.date BETWEEN %(date_from)s AND %(date_to)s
                ), paid AS (
                    SELECT l.move_id, MAX(pr.max_date) AS paid_on
                      FROM account_move_line l
                      JOIN account_account a ON a.id = l.account_id
                      JOIN account_partial_reconcile pr ON pr.debit_move_id = l.id
                     WHERE l.move_id IN (SELECT move_id FROM chased)
                       AND a.account_type = 'asset_receivable'
                       AND l.reconciled
                     GROUP BY l.move_id
                )
                SELECT c.level_id, COUNT(*),
                       COUNT(*) FILTER (WHERE p.paid_on <= c.date + 7),
                       COUNT(*) FILTER (WHERE p.paid_on <= c.date + 14)
                  FROM chased c
                  LEFT JOIN paid p ON p.move_id = c.move_id
                 GROUP BY c.level_id
                """,
                company=self.env.company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return {
            level_id or "handover": {
                "count": count,
                "paid_7_pct": round(paid7 / count * 100, 1),
                "paid_14_pct": round(paid14 / count * 100, 1),
            }
            for level_id, count, paid7, paid14 in self.env.cr.fetchall()
        }

    @api.model
    def monthly(self, months=12, date_to=None):
        """The KPIs of each of the last ``months`` calendar months up to ``date_to``, oldest
        first, each with ``month``, ``date_from``, ``date_to`` and ``partial``.

        The month of ``date_to``, when not over yet, is ``partial``: its figures are those of
        the month's length up to ``date_to`` (e.g. 3 February to 2 March), so that its DSO and
        the other rates over a period compare with those of the full months; the balances
        (AR, overdue, disputed) are at ``date_to``."""
        date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
        result = []
        for index in range(months - 1, -1, -1):
            month_start = (date_to.replace(day=1)) - relativedelta(months=index)
            full_end = month_start + relativedelta(months=1, days=-1)
            period_from, period_to, partial = month_start, full_end, False
            if full_end > date_to:
                period_from = date_to - relativedelta(months=1) + timedelta(days=1)
                period_to, partial = date_to, True
            result.append(
                {
                    "month": month_start,
                    "date_from": period_from,
                    "date_to": period_to,
                    "partial": partial,
                    **self.compute(period_from, period_to),
                }
            )
        return result
