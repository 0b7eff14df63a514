# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

OUTCOMES = [
    ("promise", "Promised to pay"),
    ("reached", "Reached, no promise"),
    ("dispute", "Disputes the invoices"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
]


class ArCallLog(models.TransientModel):
    _name = "ar.call.log"
    _description = "Log a Collection Call"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    activity_id = fields.Many2one(
        "mail.activity",
        string="Call activity",
        readonly=True,
        help="The call activity this call answers: it is marked done with the outcome.",
    )
    activity_summary = fields.Char(string="Call", compute="_compute_activity_summary")
    outcome = fields.Selection(OUTCOMES, required=True, default="reached")
    note = fields.Text(string="What was said")
    promise_date = fields.Date(string="Will pay on")
    promise_amount = fields.Monetary(string="Promised amount")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, readonly=True
    )
    call_again = fields.Date(
        string="Call again on",
        help="No answer or a wrong number: a new call activity for this day.",
        default=lambda self: fields.Date.context_today(self) + timedelta(days=1),
    )

    def _ar_activity(self):
        """The call log's activity, when a call logged here may close it: a follow-up activity
        (as the worklist lists them) on this customer or one of its contacts, given to a user
        of the current company; else nothing."""
        self.ensure_one()
        activity = self.activity_id.sudo()
        partner = self.partner_id.commercial_partner_id
        company = self.env.company
        if (
            not activity
            or activity.res_model != "res.partner"
            or activity.res_id not in (partner | partner.child_ids).ids
            or activity.activity_type_id
            not in self.env["ar.worklist.line"]._worklist_activity_types(company)
            or company not in activity.user_id.company_ids
        ):
            return activity.browse()
        return activity

    @api.depends("activity_id", "partner_id")
    def _compute_activity_summary(self):
        # another collector's call on the customer: the collector logging it sees its summary
        # and deadline (Odoo's activity rights would not let it read them), and nothing of
        # any other activity
        for log in self:
            activity = log._ar_activity()
            if not activity:
                log.activity_summary = False
                continue
            summary = activity.summary or activity.activity_type_id.name
            deadline = format_date(self.env, activity.date_deadline)
            log.activity_summary = f"{summary} ({deadline})"

    def action_confirm(self):
        """Log the call on the customer (the call activity marked done with the outcome), a
        promise when there is one, a new call when nobody answered."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        # billing users read customers, they do not edit them: the call is logged in their
        # name with the system's rights, once they may see the customer and the activity is
        # about it
        partner.check_access("read")
        activity = self._ar_check(partner)
        if self.outcome == "promise":
            self._ar_log_promise(partner)
        label = dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]
        feedback = self.env._("Call: %(outcome)s.", outcome=label)
        if self.note:
            feedback = f"{feedback}\n{self.note}"
        # who had the call: the next call is theirs (the activity is gone once done)
        caller = activity.user_id or self.env.user
        if activity:
            activity.action_feedback(feedback=feedback)
        else:
            partner.sudo().message_post(
                body=Markup("<p>%s</p>") % feedback,
                subtype_xmlid="mail.mt_note",
            )
        if self.outcome in ("no_answer", "wrong_number"):
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=self.call_again,
                summary=self.env._("Call about the overdue invoices (again: %s)", label),
                user_id=caller.id,
            )
        # the worklist's line of this call is done: gone when the list reloads (the id is
        # only a hint of the client: a line of the user's own, it holds no data of its own)
        line_id = self.env.context.get("ar_worklist_line_id")
        if isinstance(line_id, int):
            self.env["ar.worklist.line"].browse(line_id).exists().filtered(
                lambda line: line.create_uid == self.env.user
            ).unlink()
        if self.outcome == "dispute":
            return {
                "type": "ir.actions.act_window",
                "res_model": "ar.dispute",
                "view_mode": "form",
                "target": "current",
                "context": {"default_partner_id": partner.id},
            }
        return {"type": "ir.actions.act_window_close"}

    def _ar_check(self, partner):
        """The activity the call closes, or why the call cannot be logged so."""
        activity = self._ar_activity()
        if self.activity_id and not activity:
            raise UserError(
                self.env._("This is not a follow-up activity of %s.", partner.display_name)
            )
        today = fields.Date.context_today(self)
        if self.outcome in ("no_answer", "wrong_number") and not (
            self.call_again and today <= self.call_again <= today + timedelta(days=365)
        ):
            raise UserError(self.env._("Call again on a day within the coming year."))
        return activity

    def _ar_log_promise(self, partner):
        """The promise made on the call, by the promise wizard's rules (not in the past,
        within the horizon, positive), and never for more than the customer owes."""
        if not self.promise_date or not self.promise_amount:
            raise UserError(self.env._("A promise to pay needs its date and its amount."))
        owed = partner.with_company(self.env.company).ar_amount_due
        if self.currency_id.compare_amounts(self.promise_amount, owed) > 0:
            raise UserError(
                self.env._(
                    "%(customer)s owes %(owed)s: a promise cannot be for more.",
                    customer=partner.display_name,
                    owed=formatLang(self.env, owed, currency_obj=self.currency_id),
                )
            )
        self.env["ar.promise.wizard"].create(
            {
                "partner_id": partner.id,
                "promise_date": self.promise_date,
                "promise_amount": self.promise_amount,
                "note": self.note,
            }
        ).action_confirm()
