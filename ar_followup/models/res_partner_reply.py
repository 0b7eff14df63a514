# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A customer's reply reaches its thread: whether it is a reply to its reminders."""

from odoo import models

from .mail_thread import _GATEWAY


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        gateway = _GATEWAY.get()
        if (
            gateway is not None
            and message.message_type == "email"
            and not gateway.get(message.message_id, False)
            and len(self) == 1
        ):
            self.env["ar.followup.reply"]._ar_from_thread(self, message)
        return res
