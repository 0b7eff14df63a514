# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a run did, in words: the notification of a run by hand (or why it sent nothing) and the
demo's summary say it with the run's own counters, singular and plural right, and only what
happened."""

from odoo import api, models
from odoo.tools import format_date


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

    def _ar_by_hand_notification(self, partners):
        """What a run by hand did, as it is: e-mails are queued (the history shows when they
        are sent or why not; the mail queue is asked to send them now), letters wait to be
        printed. A run by hand that did nothing leaves no run behind. It answers in the
        language of the user who asked (the run writes in the company's)."""
        self.ensure_one()
        run = self.with_context(lang=self.env.user.lang or self.env.lang)
        parts = run._ar_done_texts()
        if run.email_count:
            run.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        if parts:
            message = run.env._("Done: %(what)s.", what="; ".join(parts))
            kind = "success"
        else:
            message = run._ar_nothing_to_send(partners)
            kind = "info"
            if not run.history_ids and run.scope == "partner":
                run.sudo().unlink()
        return run._ar_notification(message, kind, close=True)

    def _ar_nothing_to_send(self, partners):
        """Why a run by hand sent nothing: for one customer, its own reason (paused, already
        reminded today, a reminder still on its way, or the date of its next step); for
        several, the reasons there can be."""
        if len(partners) != 1:
            return self.env._(
                "Nothing to send today: no open invoice of these customers has reached its next "
                "follow-up level, a reminder was already sent today or is still on its way, or "
                "the follow-up is paused."
            )
        partner = partners.commercial_partner_id.with_company(self.company_id)
        name = partner.display_name
        paused = partner.ar_followup_paused_until
        if paused and paused >= self.date:
            return self.env._(
                "Nothing to send to %(customer)s: its follow-up is paused until %(date)s.",
                customer=name,
                date=format_date(self.env, paused),
            )
        reminders = self.env["ar.followup.history"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.company_id.id),
                ("channel", "in", ("email", "letter")),
                ("delivery_state", "in", ("queued", "sent")),
            ],
            order="date desc, id desc",
            limit=1,
        )
        if reminders.date == self.date:
            return self.env._(
                "Nothing to send to %(customer)s: it had a reminder today (one a day).",
                customer=name,
            )
        if reminders.delivery_state == "queued":
            return self.env._(
                "Nothing to send to %(customer)s: its last reminder (%(date)s) has not gone out "
                "yet; the next step waits until it has.",
                customer=name,
                date=format_date(self.env, reminders.date),
            )
        if partner.ar_next_followup_date and partner.ar_next_followup_date > self.date:
            return self.env._(
                "Nothing to send to %(customer)s yet: its next follow-up step is due on %(date)s.",
                customer=name,
                date=format_date(self.env, partner.ar_next_followup_date),
            )
        return self._ar_nothing_to_send_otherwise(partner)

    def _ar_nothing_to_send_otherwise(self, partner):
        """Why nothing went to ``partner`` when no step of its own explains it (other modules
        name their own reasons)."""
        return self.env._(
            "Nothing to send to %(customer)s: no open invoice of it has reached a follow-up "
            "step (nothing overdue, below the levels' minimum, or waiting for a reply, a "
            "dispute or a payment plan).",
            customer=partner.display_name,
        )

    @api.model
    def _ar_notification(self, message, kind, close=False):
        """What a follow-up action by hand did, as a notification (``close``: and the dialog
        it came from closes)."""
        params = {
            "title": self.env._("Follow-up"),
            "message": message,
            "type": kind,
            "sticky": False,
        }
        if close:
            params["next"] = {"type": "ir.actions.act_window_close"}
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}
