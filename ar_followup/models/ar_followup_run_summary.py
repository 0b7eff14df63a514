# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a run did, in words: the notification of a run by hand and the demo's summary say it
with the run's own counters, singular and plural right, and only what happened."""

from odoo import models


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_done_texts(self):
        """The run's counters that are not zero, each as a phrase of the reader's language
        (e-mails are queued, not sent: the history shows their delivery)."""
        self.ensure_one()
        texts = {
            "email_count": (
                self.env._("1 reminder e-mail queued for sending"),
                self.env._("%(count)s reminder e-mails queued for sending"),
            ),
            "letter_count": (
                self.env._("1 letter to print"),
                self.env._("%(count)s letters to print"),
            ),
            "activity_count": (
                self.env._("1 activity scheduled"),
                self.env._("%(count)s activities scheduled"),
            ),
            "hold_count": (
                self.env._("1 customer put on credit hold"),
                self.env._("%(count)s customers put on credit hold"),
            ),
            "fee_count": (
                self.env._("1 charge of costs or interest invoiced"),
                self.env._("%(count)s charges of costs and interest invoiced"),
            ),
            "skip_count": (
                self.env._("1 step skipped (the history says why)"),
                self.env._("%(count)s steps skipped (the history says why)"),
            ),
        }
        parts = []
        for field, (one, many) in texts.items():
            count = self[field]
            if count:
                parts.append(one if count == 1 else many % {"count": count})
        return parts
