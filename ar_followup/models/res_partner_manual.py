# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The partner's follow-up actions, which delegate to the customer's account
(``ar_customer_account_actions.py``): send a reminder now (the partner's form and the
Follow-ups list), and open the customer's account in the current company, where everything
else is done."""

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def action_ar_send_reminder(self):
        """'Send reminder now': the follow-up run, with the same rules, for these customers."""
        return self.env["ar.customer.account"]._ar_send_reminders(self)

    def action_ar_open_account(self):
        """The customer's account in the current company (made when first opened)."""
        self.ensure_one()
        self.env["ar.customer.account"].check_access("read")
        account = self.env["ar.customer.account"]._ar_of(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer account"),
            "res_model": "ar.customer.account",
            "res_id": account.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
