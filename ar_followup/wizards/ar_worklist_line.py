# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The collector's day: every customer that needs a person today, once, with why.

The worklist gathers, in one prioritised list, the customers that wait for an answer to their
reply, the follow-up activities due or late (the calls first), the promises to pay due today,
the disputes past their answer date, the customers on hold whose orders wait (the sale bridge)
and the customers due for their next reminder. Each source is a named method
(``_worklist_<source>``) returning ``{partner_id: Task}``; a bridge adds its own source by
overriding :meth:`_worklist_sources`."""

from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_compare, format_date

from ..models.ar_followup_statement import ReceivableFigures

# what a line asks of the collector, most urgent first: its rank orders the list
REASONS = [
    ("reply", "Reply waiting"),
    ("call", "Call due"),
    ("activity", "Follow-up task due"),
    ("promise", "Promise due"),
    ("dispute", "Dispute to answer"),
    ("held_orders", "Orders waiting on hold"),
    ("followup", "Reminder due"),
]
RANK = {code: len(REASONS) - index for index, (code, _label) in enumerate(REASONS)}

# one thing to do for a customer: its reason, since when it waits, and what it is about
Task = namedtuple("Task", "reason since record", defaults=(None,))


class ArWorklistLine(models.TransientModel):
    _name = "ar.worklist.line"
    _description = "Collector Worklist Line"
    _order = "rank desc, priority desc, id"

    reason = fields.Selection(
        REASONS,
        string="To do",
        readonly=True,
        help="The most urgent thing this customer asks of the collector today.",
    )
    rank = fields.Integer(readonly=True)
    tasks = fields.Char(
        string="Everything to do",
        readonly=True,
        help="All the reasons this customer is on the worklist today.",
    )
    since = fields.Date(
        string="Waiting since",
        readonly=True,
        help="Since when the most urgent task waits (an activity's deadline, a dispute's "
        "answer date, a reply's arrival, a promised date).",
    )
    late_days = fields.Integer(string="Days late", readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True)
    dispute_id = fields.Many2one("ar.dispute", readonly=True)
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

    # ------------------------------------------------------------------
    # The sources
    # ------------------------------------------------------------------

    @api.model
    def _worklist_sources(self):
        """The named sources of the worklist: methods ``(date, company) -> {partner_id: Task
        or [Task]}``.
        A bridge adds its own (the sale bridge: customers on hold with orders waiting)."""
        return [
            self._worklist_replies,
            self._worklist_activities,
            self._worklist_promises,
            self._worklist_disputes,
            self._worklist_followups,
        ]

    @api.model
    def _worklist_replies(self, date, company):
        replies = self.env["ar.followup.reply"].search(
            [("company_id", "=", company.id), ("state", "=", "waiting")], order="id"
        )
        return {
            reply.partner_id.commercial_partner_id.id: Task(
                "reply", fields.Date.to_date(reply.create_date), reply
            )
            for reply in replies
        }

    @api.model
    def _worklist_activities(self, date, company):
        """Activities on customers due today or late, of the types the follow-up schedules
        (its levels', the call, the to-do of a broken promise): the calls come first."""
        # the collector sees every collector's follow-up activities on the customers (Odoo
        # lets a user read only its own on a document it cannot edit): their dates and types,
        # of the customers it may read in this company, given to users of this company
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("activity_type_id", "in", self._worklist_activity_types(company).ids),
                    ("date_deadline", "<=", date),
                ],
                order="date_deadline, id",
            )
        )
        activities = activities.filtered(lambda a: company in a.user_id.company_ids)
        partners = self.env["res.partner"].search(
            [
                ("id", "in", list(set(activities.mapped("res_id")))),
                ("company_id", "in", [False, company.id]),
            ]
        )
        commercial = {p.id: p.commercial_partner_id.id for p in partners}
        tasks = {}
        for activity in activities.filtered(lambda a: a.res_id in commercial):
            reason = "call" if activity.activity_category == "phonecall" else "activity"
            tasks.setdefault(commercial[activity.res_id], []).append(
                Task(reason, activity.date_deadline, activity)
            )
        return tasks

    @api.model
    def _worklist_activity_types(self, company):
        """The activities the worklist shows and a call logged from it may close: the
        follow-up levels' types, the call, the to-do (a broken promise)."""
        levels = self.env["ar.followup.level"].sudo().search([("company_id", "=", company.id)])
        types = levels.activity_type_id
        for xmlid in ("mail.mail_activity_data_call", "mail.mail_activity_data_todo"):
            types |= self.env.ref(xmlid, raise_if_not_found=False) or types.browse()
        return types

    @api.model
    def _worklist_promises(self, date, company):
        """Promises to pay whose day has come (not yet judged kept or broken)."""
        promises = (
            self.env["ar.followup.history"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("channel", "=", "promise"),
                    ("promise_state", "=", "open"),
                    ("promise_date", "<=", date),
                ],
                order="promise_date, id",
            )
        )
        return self._worklist_first(promises, "promise", "promise_date")

    @api.model
    def _worklist_disputes(self, date, company):
        disputes = self.env["ar.dispute"].search(
            [
                ("company_id", "=", company.id),
                ("is_open", "=", True),
                ("date_deadline", "<", date),
            ],
            order="date_deadline, id",
        )
        return self._worklist_first(disputes, "dispute", "date_deadline")

    @api.model
    def _worklist_first(self, records, reason, date_field):
        """``{partner_id: Task}`` of the first of ``records`` (ordered) of each customer."""
        tasks = {}
        for record in records:
            tasks.setdefault(
                record.partner_id.commercial_partner_id.id,
                Task(reason, record[date_field], record),
            )
        return tasks

    @api.model
    def _worklist_followups(self, date, company):
        """Customers due for their next reminder (or never reminded) with an overdue amount
        that the run chases and their credits do not cover, follow-up not paused."""
        figures = self._worklist_figures(date)
        partners = (
            self.env["res.partner"]
            .with_company(company)
            .browse(list(figures))
            .filtered(
                lambda p: (
                    (not p.ar_next_followup_date or p.ar_next_followup_date <= date)
                    and not (p.ar_followup_paused_until and p.ar_followup_paused_until >= date)
                )
            )
        )
        return {
            partner.id: Task("followup", partner.ar_next_followup_date or date)
            for partner in partners
        }

    @api.model
    def _worklist_figures(self, date, partner_ids=None, positive_only=True):
        """``{partner_id: (overdue, credits, oldest_days)}`` of the customers with a positive
        net overdue amount at ``date``: the overdue open items of
        ``ar.followup.statement._ar_open_items_query`` that the follow-up run would chase (its
        exclusions, :meth:`ar.followup.run._ar_candidate_exclusions`), and the customers'
        open credits of the same figures as their list. One query, plus one for the credits."""
        company = self.env.company
        Statement = self.env["ar.followup.statement"]
        run = self.env["ar.followup.run"].new({"date": date, "company_id": company.id})
        conditions = [SQL("o.due < %s AND o.residual > 0", date), *run._ar_candidate_exclusions()]
        if partner_ids is not None:
            conditions.append(SQL("o.partner_id = ANY(%s)", list(partner_ids)))
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
            if (
                not positive_only
                or float_compare(amount + credits, 0.0, precision_rounding=rounding) > 0
            ):
                result[pid] = (amount, credits, days)
        return result

    @api.model
    def action_worklist(self):
        """The collector's day for the current company: one line a customer, its most urgent
        task first, then by amount overdue x days."""
        company = self.env.company
        today = fields.Date.context_today(self)
        by_partner = {}
        for source in self._worklist_sources():
            for pid, tasks in source(today, company).items():
                # a source gives a task, or several, a customer
                by_partner.setdefault(pid, []).extend(tasks if isinstance(tasks, list) else [tasks])
        snoozed = set(
            self.env["ar.worklist.snooze"]
            .search([("company_id", "=", company.id), ("until", ">=", today)])
            .mapped("partner_id.id")
        )
        for pid in snoozed:
            by_partner.pop(pid, None)
        partners = self.env["res.partner"].with_company(company).browse(list(by_partner))
        figures = self._worklist_figures(today, partners.ids, positive_only=False)
        collectors = self.env["ar.customer.account"]._ar_collectors(partners, company)
        values = [
            self._worklist_values(
                partner, by_partner[partner.id], figures, collectors[partner.id], today
            )
            for partner in partners
        ]
        lines = self.create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collector worklist"),
            "res_model": "ar.worklist.line",
            "view_mode": "list",
            "domain": [("id", "in", lines.ids)],
            "help": self.env._(
                "<p class='o_view_nocontent_smiling_face'>Nothing here</p>"
                "<p>No reply, call, promise, dispute, held order or reminder is due today, or "
                "none matches the search.</p>"
            ),
        }

    def _worklist_values(self, partner, tasks, figures, collector, today):
        """The values of a customer's line: its most urgent task first (of two alike, the
        one waiting longest), all its reasons, its figures."""
        labels = dict(self._fields["reason"]._description_selection(self.env))
        tasks = sorted(tasks, key=lambda t: (-RANK[t.reason], t.since or today))
        first = tasks[0]
        overdue, credits, days = figures.get(partner.id, (0.0, 0.0, 0))
        net = overdue + credits
        return {
            "partner_id": partner.id,
            "collector_id": collector.id,
            "reason": first.reason,
            "rank": RANK[first.reason],
            "tasks": ", ".join(dict.fromkeys(labels[t.reason] for t in tasks)),
            "since": first.since,
            "late_days": max((today - first.since).days, 0) if first.since else 0,
            "activity_id": next(
                (t.record.id for t in tasks if t.reason in ("call", "activity")), False
            ),
            "dispute_id": first.record.id if first.reason == "dispute" else False,
            "reply_id": next((t.record.id for t in tasks if t.reason == "reply"), False),
            "replied": any(t.reason == "reply" for t in tasks),
            "amount_overdue": overdue,
            "open_credits": credits,
            "net_overdue": net,
            "oldest_days": days,
            "priority": max(net, 0.0) * days,
            "level_id": partner.ar_followup_level_id.id,
            "next_date": partner.ar_next_followup_date,
        }

    def action_open_reply(self):
        self.ensure_one()
        return self.reply_id.get_formview_action()

    def action_send_reminder(self):
        return self.env["ar.customer.account"]._ar_send_reminders(self.partner_id)

    def action_log_call(self):
        """'Log a call': a dialog for its outcome (and a promise), not a new activity."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a call with %s", self.partner_id.display_name),
            "res_model": "ar.call.log",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_activity_id": self.activity_id.id,
                "default_promise_amount": max(self.net_overdue, 0.0),
                "ar_worklist_line_id": self.id,
            },
        }

    def action_open_customer(self):
        self.ensure_one()
        return self.partner_id.get_formview_action()

    def action_open_task(self):
        """Open what the line is about: the activity's customer, the dispute, the reply."""
        self.ensure_one()
        if self.reason == "reply" and self.reply_id:
            return self.reply_id.get_formview_action()
        if self.reason == "dispute" and self.dispute_id:
            return self.dispute_id.get_formview_action()
        return self.partner_id.get_formview_action()

    def action_snooze(self):
        """Off the worklist until tomorrow (the activity, the dispute or the reply stay as
        they are)."""
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        partners = self.partner_id
        self.env["ar.worklist.snooze"]._ar_snooze(partners, tomorrow)
        self.unlink()
        message = self.env._(
            "%(customers)s: off the worklist until %(date)s.",
            customers=", ".join(partners.mapped("display_name")),
            date=format_date(self.env, tomorrow),
        )
        notification = self.env["ar.followup.run"]._ar_notification(message, "info")
        notification["params"]["next"] = {"type": "ir.actions.client", "tag": "soft_reload"}
        return notification

    def action_log_promise(self):
        return self.env["ar.customer.account"]._ar_promise_action(self.partner_id)

    def action_statement(self):
        self.ensure_one()
        return self.env.ref("ar_followup.action_report_statement").report_action(self.partner_id)
