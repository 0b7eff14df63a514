# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL


class ArWorklistLine(models.TransientModel):
    _name = "ar.worklist.line"
    _description = "Collector Worklist Line"
    _order = "priority desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_overdue = fields.Monetary(readonly=True)
    oldest_days = fields.Integer(string="Oldest overdue (days)", readonly=True)
    priority = fields.Float(
        readonly=True,
        help="Overdue amount (company currency, disputed and planned invoices left out) x days "
        "of the oldest overdue invoice.",
    )
    level_id = fields.Many2one("ar.followup.level", readonly=True)
    next_date = fields.Date(string="Next follow-up", readonly=True)

    @api.model
    def action_worklist(self):
        """Customers needing an action today, by priority, per collector (one query)."""
        company = self.env.company
        today = fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       SUM(m.amount_residual_signed),
                       MAX(%(today)s - m.invoice_date_due)
                  FROM account_move m
                 WHERE m.company_id = %(company)s AND m.move_type = 'out_invoice'
                   AND m.state = 'posted' AND m.amount_residual > 0
                   AND m.invoice_date_due < %(today)s
                   AND m.ar_is_disputed IS NOT TRUE AND m.ar_in_payment_plan IS NOT TRUE
                 GROUP BY m.commercial_partner_id
                """,
                today=today,
                company=company.id,
            )
        )
        figures = {pid: (amount, days) for pid, amount, days in self.env.cr.fetchall()}
        partners = (
            self.env["res.partner"]
            .with_company(company)
            .browse(list(figures))
            .filtered(
                lambda p: (
                    (not p.ar_next_followup_date or p.ar_next_followup_date <= today)
                    and not (p.ar_followup_paused_until and p.ar_followup_paused_until >= today)
                )
            )
        )
        lines = self.create(
            [
                {
                    "partner_id": partner.id,
                    "collector_id": (partner.ar_followup_responsible_id or partner.user_id).id,
                    "amount_overdue": figures[partner.id][0],
                    "oldest_days": figures[partner.id][1],
                    "priority": figures[partner.id][0] * figures[partner.id][1],
                    "level_id": partner.ar_followup_level_id.id,
                    "next_date": partner.ar_next_followup_date,
                }
                for partner in partners
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collector worklist"),
            "res_model": "ar.worklist.line",
            "view_mode": "list",
            "domain": [("id", "in", lines.ids)],
            "context": {"search_default_group_collector": 1},
        }

    def action_send_reminder(self):
        return self.partner_id.action_ar_send_reminder()

    def action_log_call(self):
        self.ensure_one()
        self.partner_id.activity_schedule(
            "mail.mail_activity_data_call",
            user_id=(self.collector_id or self.env.user).id,
            summary=self.env._("Call about the overdue invoices"),
        )
        return True

    def action_log_promise(self):
        return self.partner_id.action_ar_log_promise()

    def action_statement(self):
        self.ensure_one()
        return self.env.ref("ar_followup.action_report_statement").report_action(self.partner_id)
