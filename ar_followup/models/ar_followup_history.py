# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

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
