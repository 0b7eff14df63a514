# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class MailMail(models.Model):
    """The delivery of follow-up reminders, as the mail queue sees it: their history lines
    say whether they were sent, are tried again, or were not delivered."""

    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        # before super(): it deletes the mails that auto-delete
        self.env["ar.followup.history"]._ar_mails_processed(self, failure_reason, failure_type)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

    def cancel(self):
        result = super().cancel()
        self._ar_not_sent()
        return result

    @api.ondelete(at_uninstall=False)
    def _ar_unlink_queued_reminders(self):
        self._ar_not_sent()

    def _ar_not_sent(self):
        lines = (
            self.env["ar.followup.history"]
            .sudo()
            .search([("mail_id", "in", self.ids), ("delivery_state", "=", "queued")])
        )
        if lines:
            lines._ar_undelivered(
                "cancelled", self.env._("the e-mail was cancelled"), replace=False
            )
