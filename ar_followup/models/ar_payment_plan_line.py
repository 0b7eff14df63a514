# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ArPaymentPlanLine(models.Model):
    _name = "ar.payment.plan.line"
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one("ar.payment.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    reminder_sent = fields.Boolean(readonly=True, copy=False, groups="base.group_user")

    @api.constrains("amount")
    def _check_amount(self):
        if any(line.currency_id.compare_amounts(line.amount, 0.0) <= 0 for line in self):
            raise ValidationError(self.env._("Every instalment must be a positive amount."))
