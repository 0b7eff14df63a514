# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class ArPromiseWizard(models.TransientModel):
    _name = "ar.promise.wizard"
    _description = "Log a Promise to Pay"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    promise_date = fields.Date(string="Will pay on", required=True)
    promise_amount = fields.Monetary(string="Amount", required=True)
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, readonly=True
    )
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        company = self.env.company
        # the window is checked before any date arithmetic (9999-12-31 + grace overflows)
        latest = today + timedelta(days=company.ar_promise_horizon_days)
        if self.promise_date < today:
            raise UserError(self.env._("The promised date cannot be in the past."))
        if self.promise_date > latest:
            raise UserError(
                self.env._(
                    "A promise to pay must be for %(date)s at the latest (within %(days)s days): "
                    "agree on a payment plan for a longer term.",
                    date=format_date(self.env, latest),
                    days=company.ar_promise_horizon_days,
                )
            )
        if self.currency_id.compare_amounts(self.promise_amount, 0.0) <= 0:
            raise UserError(self.env._("The promised amount must be positive."))
        partner = self.partner_id.commercial_partner_id.with_company(company)
        pause = self.promise_date + timedelta(days=company.ar_promise_grace_days)
        # the history is written by the system only: the wizard is the billing users'
        History = self.env["ar.followup.history"]
        History._ar_record(
            [
                History._ar_line(
                    partner,
                    "promise",
                    today,
                    company=company,
                    promise_date=self.promise_date,
                    promise_amount=self.promise_amount,
                    promise_state="open",
                    note=self.note,
                )
            ]
        )
        if not partner.ar_followup_paused_until or partner.ar_followup_paused_until < pause:
            partner.sudo().ar_followup_paused_until = pause
        return {"type": "ir.actions.act_window_close"}
