# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL, float_compare

from ..models.ar_followup_statement import ReceivableFigures


class ArWorklistLine(models.TransientModel):
    _name = "ar.worklist.line"
    _description = "Collector Worklist Line"
    _order = "replied desc, priority desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_overdue = fields.Monetary(
        readonly=True,
        help="Open amount of the customer's overdue items that the follow-up chases (disputed, "
        "planned and excluded invoices left out).",
    )
    open_credits = fields.Monetary(
        readonly=True,
        help="Credit notes, payments and other credits of the customer not matched yet.",
    )
    net_overdue = fields.Monetary(
        string="Net overdue",
        readonly=True,
        help="Overdue amount minus the open credits: what the customer has to pay now.",
    )
    oldest_days = fields.Integer(string="Oldest overdue (days)", readonly=True)
    priority = fields.Float(
        readonly=True,
        help="Net overdue amount (company currency) x days of the oldest overdue item.",
    )
    level_id = fields.Many2one("ar.followup.level", readonly=True)
    reply_id = fields.Many2one(
        "ar.followup.reply",
        string="Reply waiting",
        readonly=True,
        help="The customer answered its reminders: it waits for an answer, first.",
    )
    replied = fields.Boolean(string="Waits for an answer", readonly=True)
    next_date = fields.Date(string="Next follow-up", readonly=True)

    @api.model
    def _worklist_figures(self, date):
        """``{partner_id: (overdue, credits, oldest_days)}`` of the customers with a positive
        net overdue amount at ``date``: the overdue open items of
        ``ar.followup.statement._ar_open_items_query`` that the follow-up run would chase (its
        exclusions, :meth:`ar.followup.run._ar_candidate_exclusions`), and the customers'
        open credits of the same figures as their list. One query, plus one for the credits."""
        company = self.env.company
        Statement = self.env["ar.followup.statement"]
        run = self.env["ar.followup.run"].new({"date": date, "company_id": company.id})
        conditions = [SQL("o.due < %s AND o.residual > 0", date), *run._ar_candidate_exclusions()]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%(items)s)
                SELECT o.partner_id, SUM(o.residual * %(undisputed)s), MAX(%(date)s - o.due)
                  FROM o
                  JOIN account_move m ON m.id = o.move_id
                 WHERE %(conditions)s
                 GROUP BY o.partner_id
                """,
                items=Statement._ar_open_items_query(company),
                date=date,
                conditions=SQL(" AND ").join(conditions),
                undisputed=self.env["account.move"]._ar_undisputed_ratio_sql(),
            )
        )
        overdue = {pid: (amount, days) for pid, amount, days in self.env.cr.fetchall()}
        if not overdue:
            return {}
        figures = Statement._ar_receivable_figures(date, company, list(overdue))
        rounding = company.currency_id.rounding
        result = {}
        for pid, (amount, days) in overdue.items():
            credits = figures.get(pid, ReceivableFigures()).credits
            if float_compare(amount + credits, 0.0, precision_rounding=rounding) > 0:
                result[pid] = (amount, credits, days)
        return result

    @api.model
    def action_worklist(self):
        """Customers needing an action today, by priority, per collector: those with an
        overdue amount that the run chases and that their credits do not cover."""
        company = self.env.company
        today = fields.Date.context_today(self)
        figures = self._worklist_figures(today)
        # the customers who replied come first, whatever they owe, paused or not
        replies = {
            reply.partner_id.id: reply
            for reply in self.env["ar.followup.reply"].search(
                [("company_id", "=", company.id), ("state", "=", "waiting")]
            )
        }
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
        ) | self.env["res.partner"].with_company(company).browse(list(replies))
        collectors = partners._ar_collectors(company)
        values = []
        for partner in partners:
            overdue, credits, days = figures.get(partner.id, (0.0, 0.0, 0))
            reply = replies.get(partner.id)
            values.append(
                {
                    "partner_id": partner.id,
                    "collector_id": collectors[partner.id].id,
                    "amount_overdue": overdue,
                    "open_credits": credits,
                    "net_overdue": overdue + credits,
                    "oldest_days": days,
                    "priority": (overdue + credits) * days,
                    "level_id": partner.ar_followup_level_id.id,
                    "next_date": partner.ar_next_followup_date,
                    "reply_id": reply.id if reply else False,
                    "replied": bool(reply),
                }
            )
        lines = self.create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collector worklist"),
            "res_model": "ar.worklist.line",
            "view_mode": "list",
            "domain": [("id", "in", lines.ids)],
            "context": {"search_default_group_collector": 1},
        }

    def action_open_reply(self):
        self.ensure_one()
        return self.reply_id.get_formview_action()

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
