# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class ArPaymentPlanWizard(models.TransientModel):
    _name = "ar.payment.plan.wizard"
    _description = "Create a Payment Plan"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', partner_id), ('amount_residual', '>', 0)]",
    )
    instalments = fields.Integer(string="Number of instalments", default=3, required=True)
    first_date = fields.Date(
        string="First instalment", required=True, default=fields.Date.context_today
    )
    interval_months = fields.Integer(string="Every (months)", default=1, required=True)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id.commercial_partner_id
        self.move_ids = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
                ("ar_in_payment_plan", "=", False),
                ("ar_in_collection", "=", False),
            ]
        )

    def action_create(self):
        self.ensure_one()
        if not self.move_ids:
            raise UserError(self.env._("Choose the invoices of the payment plan."))
        if self.instalments < 1 or self.interval_months < 1:
            raise UserError(
                self.env._("A payment plan needs at least one instalment, one month apart.")
            )
        plan = self.env["ar.payment.plan"].create(
            {
                "partner_id": self.partner_id.commercial_partner_id.id,
                "move_ids": [Command.set(self.move_ids.ids)],
            }
        )
        plan._set_instalments(self.instalments, self.first_date, self.interval_months)
        return {
            "type": "ir.actions.act_window",
            "res_model": "ar.payment.plan",
            "res_id": plan.id,
            "view_mode": "form",
            "target": "current",
        }
