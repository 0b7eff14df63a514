# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


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

    def _ar_check_plan_open(self, plans):
        """Instalments change while the plan is a draft or proposed, not once approved (its
        follow-up and reminders count on them); the system's own writes go ahead."""
        if not self.env.su and any(plan.state not in ("draft", "proposed") for plan in plans):
            raise UserError(
                self.env._(
                    "The instalments of an approved payment plan cannot be changed: cancel it "
                    "and make a new one."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["ar.payment.plan"].browse({vals.get("plan_id") for vals in vals_list})
        self._ar_check_plan_open(plans.exists())
        return super().create(vals_list)

    def write(self, vals):
        plans = self.plan_id | self.env["ar.payment.plan"].browse(vals.get("plan_id") or [])
        self._ar_check_plan_open(plans)
        return super().write(vals)

    def unlink(self):
        self._ar_check_plan_open(self.plan_id)
        return super().unlink()
