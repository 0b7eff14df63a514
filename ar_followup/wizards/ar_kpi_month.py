# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import format_date


class ArKpiMonth(models.TransientModel):
    _name = "ar.kpi.month"
    _description = "Receivables KPIs of a Month"
    _order = "month"

    month = fields.Date(readonly=True)
    period = fields.Char(
        compute="_compute_period",
        help="The month, in words; for the month not over yet, the month's length up to today "
        "its figures count (e.g. 7 November to 6 December).",
    )
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    partial = fields.Boolean(
        string="Month not over",
        readonly=True,
        help="The current month: its figures are those of a month's length up to today.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    closing_ar = fields.Monetary(string="AR at month end", readonly=True, aggregator="avg")
    credit_sales = fields.Monetary(readonly=True)
    dso = fields.Float(string="DSO", readonly=True, aggregator="avg", digits=(16, 1))
    dso_countback = fields.Float(
        string="DSO (countback)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    best_possible_dso = fields.Float(
        string="Best possible DSO", readonly=True, aggregator="avg", digits=(16, 1)
    )
    add = fields.Float(string="ADD", readonly=True, aggregator="avg", digits=(16, 1))
    cei = fields.Float(string="CEI (%)", readonly=True, aggregator="avg")
    ar_turnover = fields.Float(string="AR turnover", readonly=True, aggregator="avg")
    overdue_pct = fields.Float(string="Overdue (%)", readonly=True, aggregator="avg")
    disputed_amount = fields.Monetary(
        readonly=True, aggregator="avg", help="Amount of the disputes open at the month's end."
    )
    promise_kept_rate = fields.Float(string="Promises kept (%)", readonly=True, aggregator="avg")
    # a rate with nothing to divide is stored as 0 and shown empty
    no_sales = fields.Boolean(string="No credit sales", readonly=True)
    no_cei = fields.Boolean(string="No CEI", readonly=True)
    no_ar = fields.Boolean(string="No receivables", readonly=True)
    no_turnover = fields.Boolean(string="No average receivables", readonly=True)
    no_promises = fields.Boolean(string="No promises", readonly=True)

    @api.depends("month", "partial", "date_from", "date_to")
    @api.depends_context("lang")
    def _compute_period(self):
        for record in self:
            period = format_date(self.env, record.month, date_format="MMMM y")
            if record.partial:
                period = self.env._(
                    "%(month)s (%(date_from)s to %(date_to)s)",
                    month=period,
                    date_from=format_date(self.env, record.date_from),
                    date_to=format_date(self.env, record.date_to),
                )
            record.period = period

    @api.model
    def _values(self, row):
        """The record of one month of :meth:`ar.kpi.monthly`."""
        values = {key: value for key, value in row.items() if key in self._fields}
        values.update(
            no_sales=row["dso"] is None,
            no_cei=row["cei"] is None,
            no_ar=row["overdue_pct"] is None,
            no_turnover=row["ar_turnover"] is None,
            no_promises=row["promise_kept_rate"] is None,
        )
        return {key: 0.0 if value is None else value for key, value in values.items()}

    @api.model
    def action_dashboard(self):
        """The KPIs of the last twelve months, as graphs and a list."""
        rows = self.env["ar.kpi"].monthly(12)
        records = self.create([self._values(row) for row in rows])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Receivables KPIs"),
            "res_model": "ar.kpi.month",
            "view_mode": "graph,list",
            "domain": [("id", "in", records.ids)],
            # the months that can be measured (over, with sales); the filter can be removed
            "context": {"search_default_measured": 1},
        }
