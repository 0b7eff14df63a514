# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

CHANNELS = [
    ("email", "E-mail"),
    ("activity", "Activity"),
    ("letter", "Letter"),
    ("hold", "Credit hold"),
    ("release", "Hold released"),
    ("fee", "Fee"),
    ("promise", "Promise to pay"),
    ("plan", "Payment plan"),
    ("skip", "Skipped"),
]


class ArFollowupHistory(models.Model):
    _name = "ar.followup.history"
    _description = "Follow-up Action"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.Many2many(
        "account.move",
        "ar_followup_history_move_rel",
        "history_id",
        "move_id",
        string="Invoices",
        help="The invoices this action was about (for a reminder: the invoices that reached "
        "its level in that run).",
    )
    level_id = fields.Many2one("ar.followup.level", ondelete="restrict", index=True)
    channel = fields.Selection(CHANNELS, required=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    run_id = fields.Many2one("ar.followup.run", ondelete="set null", index=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    mail_id = fields.Many2one(
        "mail.mail",
        string="E-mail",
        ondelete="set null",
        help="The e-mail queued by this action.",
    )
    message_id = fields.Many2one(
        "mail.message",
        ondelete="set null",
        help="The message of the e-mail in the customer's chatter (kept after the e-mail is sent).",
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    note = fields.Text()
    fee_move_id = fields.Many2one(
        "account.move", string="Fee invoice", readonly=True, ondelete="set null", index=True
    )
    fee_amount = fields.Monetary(
        string="Collection costs", currency_field="fee_currency_id", readonly=True
    )
    interest_amount = fields.Monetary(
        string="Interest", currency_field="fee_currency_id", readonly=True
    )
    fee_currency_id = fields.Many2one("res.currency", readonly=True)
    letter_state = fields.Selection(
        [("to_print", "To print"), ("printed", "Printed")],
        string="Letter",
        index=True,
        help="Letters are printed from Follow-up Actions > Letters to print.",
    )
    promise_date = fields.Date(string="Promised for")
    promise_amount = fields.Monetary(string="Promised amount", currency_field="currency_id")
    promise_state = fields.Selection(
        [("open", "Waiting"), ("kept", "Kept"), ("broken", "Broken")],
        string="Promise",
        index=True,
    )
    promise_paid = fields.Monetary(
        string="Paid against the promise", currency_field="currency_id", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    def action_print_letters(self):
        """Print the selected letters (one PDF) and mark them printed."""
        letters = self.filtered(lambda h: h.channel == "letter")
        if not letters:
            raise UserError(self.env._("Select the letters to print."))
        letters.letter_state = "printed"
        return self.env.ref("ar_followup.action_report_letter").report_action(letters)

    @api.model
    def _ar_payments_received(self, partner, company, date_from, date_to):
        """Payments received from ``partner`` (commercial) between the two dates, in company
        currency: receivable credits of payment entries (credit notes excluded)."""
        groups = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "child_of", partner.id),
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("move_id.move_type", "=", "entry"),
                ("credit", ">", 0),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            [],
            ["credit:sum"],
        )
        return groups[0][0] or 0.0

    @api.model
    def _cron_check_promises(self):
        """Daily: promises whose date and grace period have passed are kept (the amount was
        paid since the promise) or broken (an activity for the responsible, follow-up
        resumes)."""
        today = fields.Date.context_today(self)
        for promise in self.search([("channel", "=", "promise"), ("promise_state", "=", "open")]):
            company = promise.company_id
            deadline = promise.promise_date + timedelta(days=company.ar_promise_grace_days)
            if deadline >= today:
                continue
            paid = self._ar_payments_received(promise.partner_id, company, promise.date, deadline)
            partner = promise.partner_id.with_company(company)
            if company.currency_id.compare_amounts(paid, promise.promise_amount) >= 0:
                promise.write({"promise_state": "kept", "promise_paid": paid})
                continue
            promise.write({"promise_state": "broken", "promise_paid": paid})
            if partner.ar_followup_paused_until == deadline:
                partner.sudo().ar_followup_paused_until = False
            user = partner.ar_followup_responsible_id or partner.user_id
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Broken promise to pay"),
                note=self.env._(
                    "%(amount)s was promised for %(date)s; %(paid)s has been received.",
                    amount=promise.promise_amount,
                    date=promise.promise_date,
                    paid=paid,
                ),
                user_id=(user or company._ar_credit_manager()).id,
            )
