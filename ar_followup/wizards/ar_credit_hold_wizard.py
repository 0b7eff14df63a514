# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ArCreditHoldWizard(models.TransientModel):
    _name = "ar.credit.hold.wizard"
    _description = "Put on or Lift a Credit Hold"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    action = fields.Selection(
        [("hold", "Put on credit hold"), ("release", "Lift the credit hold")],
        required=True,
        default="hold",
    )
    reason = fields.Char(required=True, help="Why; it is kept in the history and the chatter.")

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("ar_followup.group_ar_manager"):
            raise AccessError(
                self.env._("Only a credit-control manager can put on or lift a credit hold.")
            )
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the credit hold change."))
        partner = self.partner_id.commercial_partner_id
        today = fields.Date.context_today(self)
        if self.action == "hold":
            if partner.ar_credit_hold:
                raise UserError(
                    self.env._("%(partner)s is already on credit hold.", partner=partner.name)
                )
            self.env["ar.customer.account"]._ar_of(partner)._ar_set_credit_hold(
                reason, today, origin="manual"
            )
        else:
            if not partner.ar_credit_hold:
                raise UserError(
                    self.env._("%(partner)s is not on credit hold.", partner=partner.name)
                )
            self.env["ar.customer.account"]._ar_of(partner)._ar_release_credit_hold(reason, today)
        return {"type": "ir.actions.act_window_close"}
