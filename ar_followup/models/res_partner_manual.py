# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a bookkeeper sends by hand from a customer or the Follow-ups list: a reminder now
(the run's rules), the next reminder now (after its dry run), the statement at any time; and
what each did, in words."""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_date


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def action_ar_send_reminder(self):
        """'Send reminder now': the follow-up run, with the same rules, for these customers."""
        run = self.env["ar.followup.run"].process(partners=self)
        return self._ar_run_notification(run)

    def action_ar_send_next_reminder(self):
        """'Send the next reminder' (several customers at once, from the list): first what it
        would do (the dry run, e-mails, holds, costs and interest included), then, confirmed
        there, :meth:`_ar_send_next_reminder`."""
        return self.env["ar.followup.dry.run"]._ar_open(partners=self)

    def _ar_send_next_reminder(self):
        """The overdue invoices of these customers move to their next level now, without
        waiting for its delay; one reminder a customer a day, never a milder one, never on a
        reminder that was not delivered yet."""
        run = self.env["ar.followup.run"].process(partners=self, force=True)
        return self._ar_run_notification(run)

    def _ar_run_notification(self, run):
        """What a run by hand did, as it is: e-mails are queued (the history shows when they
        are sent or why not; the mail queue is asked to send them now), letters wait to be
        printed. A run by hand that did nothing leaves no run behind."""
        parts = run._ar_done_texts()
        if run.email_count:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        if parts:
            message = self.env._("Done: %(what)s.", what="; ".join(parts))
            kind = "success"
        else:
            message = self._ar_nothing_to_send(run)
            kind = "info"
            if not run.history_ids and run.scope == "partner":
                run.sudo().unlink()
        return self._ar_notification(message, kind, close=True)

    def _ar_nothing_to_send(self, run):
        """Why a run by hand sent nothing: for one customer, its own reason (paused, already
        reminded today, a reminder still on its way, or the date of its next step); for
        several, the reasons there can be."""
        if len(self) != 1:
            return self.env._(
                "Nothing to send today: no open invoice of these customers has reached its next "
                "follow-up level, a reminder was already sent today or is still on its way, or "
                "the follow-up is paused."
            )
        partner = self.commercial_partner_id.with_company(run.company_id)
        name = partner.display_name
        paused = partner.ar_followup_paused_until
        if paused and paused >= run.date:
            return self.env._(
                "Nothing to send to %(customer)s: its follow-up is paused until %(date)s.",
                customer=name,
                date=format_date(self.env, paused),
            )
        reminders = self.env["ar.followup.history"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", run.company_id.id),
                ("channel", "in", ("email", "letter")),
                ("delivery_state", "in", ("queued", "sent")),
            ],
            order="date desc, id desc",
            limit=1,
        )
        if reminders.date == run.date:
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
        if partner.ar_next_followup_date and partner.ar_next_followup_date > run.date:
            return self.env._(
                "Nothing to send to %(customer)s yet: its next follow-up step is due on %(date)s.",
                customer=name,
                date=format_date(self.env, partner.ar_next_followup_date),
            )
        return self.env._(
            "Nothing to send to %(customer)s: no open invoice of it has reached a follow-up "
            "step (nothing overdue, below the levels' minimum, or waiting for a reply, a "
            "dispute or a payment plan).",
            customer=name,
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

    def action_ar_send_statement(self):
        """Send the statement of open items now, outside the ladder (no level, no costs, no
        legal term): one e-mail a customer with the statement PDF, logged in the follow-up
        history with its delivery state."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users can send statements."))
        self.check_access("read")
        partners = self.commercial_partner_id.with_company(self.env.company)
        template = self.env.ref("ar_followup.mail_template_statement")
        sendable = partners.filtered("ar_has_followup_email")
        mails = self.env["mail.mail"]
        for partner in sendable:
            mails |= mails.browse(template.send_mail(partner.id))
        History = self.env["ar.followup.history"]
        History._ar_record(
            [
                History._ar_line(
                    mail.res_id,
                    "statement",
                    fields.Date.context_today(self),
                    mail_id=mail.id,
                    message_id=mail.mail_message_id.id,
                    delivery_state="queued",
                    user_id=self.env.uid,
                )
                for mail in mails
            ]
        )
        missing = partners - sendable
        message = self.env._(
            "%(count)s statement(s) queued for sending (their delivery shows in the follow-up "
            "history).",
            count=len(mails),
        )
        if missing:
            message += " " + self.env._(
                "No e-mail address for: %(names)s.",
                names=", ".join(missing.mapped("display_name")),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Statement of account"),
                "message": message,
                "type": "warning" if missing else "success",
                "sticky": bool(missing),
            },
        }
