# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a bookkeeper sends by hand from a customer or the Follow-ups list: a reminder now
(the run's rules), the next reminder now (after its dry run), the statement at any time (what
a run by hand did, in words: ``ar_followup_run_summary.py``)."""

from odoo import fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def action_ar_send_reminder(self):
        """'Send reminder now': the follow-up run, with the same rules, for these customers."""
        run = self.env["ar.followup.run"].process(partners=self)
        return run._ar_by_hand_notification(self)

    def action_ar_send_next_reminder(self):
        """'Send the next reminder' (several customers at once, from the list): first what it
        would do (the dry run, e-mails, holds, costs and interest included), then, confirmed
        there, the run with ``force`` (:meth:`~.ar_followup_dry_run.ArFollowupDryRun.
        action_confirm`)."""
        return self.env["ar.followup.dry.run"]._ar_open(partners=self)

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
