# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

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

    @api.depends("activity_id")
    def _compute_activity_summary(self):
        # another collector's activity on the customer: the collector logging the call sees
        # its summary and deadline, which Odoo's activity rights would not let it read
        for log in self:
            activity = log.activity_id.sudo()
            summary = activity.summary or activity.activity_type_id.name
            deadline = format_date(self.env, activity.date_deadline)
            log.activity_summary = activity and f"{summary} ({deadline})"

    def action_confirm(self):
        """Log the call on the customer (the call activity marked done with the outcome), a
        promise when there is one, a new call when nobody answered."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        # billing users read customers, they do not edit them: the call is logged in their
        # name with the system's rights, once they may see the customer and the activity is
        # about it
        partner.check_access("read")
        activity = self.activity_id.sudo()
        if activity and (activity.res_model != "res.partner" or activity.res_id != partner.id):
            raise UserError(self.env._("This activity is not about %s.", partner.display_name))
        if self.outcome == "promise":
            if not self.promise_date or not self.promise_amount:
                raise UserError(self.env._("A promise to pay needs its date and its amount."))
            # the promise wizard's rules: not in the past, within the horizon, positive
            self.env["ar.promise.wizard"].create(
                {
                    "partner_id": partner.id,
                    "promise_date": self.promise_date,
                    "promise_amount": self.promise_amount,
                    "note": self.note,
                }
            ).action_confirm()
        if self.outcome in ("no_answer", "wrong_number") and not self.call_again:
            raise UserError(self.env._("Say when to call again."))
        label = dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]
        feedback = self.env._("Call: %(outcome)s.", outcome=label)
        if self.note:
            feedback = f"{feedback}\n{self.note}"
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
                user_id=(activity.user_id or self.env.user).id,
            )
        if self.outcome == "dispute":
            return {
                "type": "ir.actions.act_window",
                "res_model": "ar.dispute",
                "view_mode": "form",
                "target": "current",
                "context": {"default_partner_id": partner.id},
            }
        return {"type": "ir.actions.act_window_close"}
