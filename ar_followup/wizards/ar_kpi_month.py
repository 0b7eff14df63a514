# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ArKpiMonth(models.TransientModel):
    _name = "ar.kpi.month"
    _description = "Receivables KPIs of a Month"
    _order = "month"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    closing_ar = fields.Monetary(string="AR at month end", readonly=True, aggregator="avg")
    credit_sales = fields.Monetary(readonly=True)
    dso = fields.Float(string="DSO", readonly=True, aggregator="avg")
    dso_countback = fields.Float(string="DSO (countback)", readonly=True, aggregator="avg")
    best_possible_dso = fields.Float(string="Best possible DSO", readonly=True, aggregator="avg")
    add = fields.Float(string="ADD", readonly=True, aggregator="avg")
    cei = fields.Float(string="CEI (%)", readonly=True, aggregator="avg")
    ar_turnover = fields.Float(string="AR turnover", readonly=True, aggregator="avg")
    overdue_pct = fields.Float(string="Overdue (%)", readonly=True, aggregator="avg")
    disputed_amount = fields.Monetary(readonly=True, aggregator="avg")
    promise_kept_rate = fields.Float(string="Promises kept (%)", readonly=True, aggregator="avg")

    @api.model
    def action_dashboard(self):
        """The KPIs of the last twelve months, as graphs and a list."""
        rows = self.env["ar.kpi"].monthly(12)
        names = set(self._fields)
        records = self.create([{k: v for k, v in row.items() if k in names} for row in rows])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Receivables KPIs"),
            "res_model": "ar.kpi.month",
            "view_mode": "graph,list",
            "domain": [("id", "in", records.ids)],
        }
