# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The delivery of reminders (DESIGN.md semantics 3: an undelivered reminder does not count):
what the mail queue did with a reminder's e-mail, tried again a bounded number of times on a
failure of the mail server; a reminder that was not delivered takes back what it did (the
invoices' level, its costs and interest) and tells the credit-control manager."""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .ar_followup_history import TRANSIENT_FAILURES, UNDELIVERED_STATES

DEFAULT_MAIL_RETRIES = 3


class ArFollowupHistory(models.Model):
    _inherit = "ar.followup.history"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ar_max_mail_retries(self):
        return int(
            self.env["ir.config_parameter"].sudo().get_param("ar_followup.mail_retries")
            or DEFAULT_MAIL_RETRIES
        )

    @api.model
    def _ar_mails_processed(self, mails, failure_reason=False, failure_type=None):
        """The mail queue tried ``mails``: their reminders are sent, tried again later (a
        failure of the mail server, a bounded number of times) or not delivered."""
        lines = self.sudo().search(
            [("mail_id", "in", mails.ids), ("delivery_state", "=", "queued")]
        )
        if not lines:
            return
        now = fields.Datetime.now()
        retries = self._ar_max_mail_retries()
        sent = lines.filtered(lambda line: line.mail_id.state == "sent")
        sent.write({"delivery_state": "sent", "delivery_date": now, "delivery_error": False})
        for line in lines - sent:
            mail = line.mail_id
            reason = mail.failure_reason or failure_reason or mail.failure_type or ""
            attempts = line.delivery_attempts + 1
            kind = mail.failure_type or failure_type
            if kind in TRANSIENT_FAILURES and attempts < retries:
                line.write({"delivery_attempts": attempts, "delivery_error": reason})
                # the mail queue sends it again after a pause that grows with each attempt
                mail.write(
                    {
                        "state": "outgoing",
                        "scheduled_date": now + timedelta(hours=attempts),
                    }
                )
                continue
            line.delivery_attempts = attempts
            # a letter replaces an e-mail the customer's address cannot take; when our own
            # mail server failed, the level is tried again instead (no paper for an outage)
            line._ar_undelivered("failed", reason, replace=kind not in TRANSIENT_FAILURES)

    def _ar_undelivered(self, state, reason, replace=True, revert=True):
        """These reminders did not reach the customer: record it, replace the e-mail by a
        letter where the level says so, else put the invoices back at the level they had
        (and lift a hold the same run set on the strength of it); tell the customer's chatter
        and, once per run, the credit-control manager.

        :param replace: whether the level's letter may replace the e-mail (not when our own
            mail server failed, nor for an e-mail cancelled by hand)
        :param revert: whether the invoices go back and the hold is lifted (not for a
            bounce: anyone can send one, so it is recorded and the manager decides)"""
        lines = self.sudo().filtered(lambda line: line.delivery_state in ("queued", "sent"))
        if not lines:
            return
        lines.write({"delivery_state": state, "delivery_error": reason})
        replaced = lines.filtered(
            lambda line: (
                replace and line.channel == "email" and line.level_id.send_letter == "no_email"
            )
        )
        # the letter is queued today, when the e-mail is known not to have arrived
        letters = self._ar_record(
            [
                self._ar_line(
                    line.partner_id,
                    "letter",
                    fields.Date.context_today(line),
                    company=line.company_id,
                    level=line.level_id,
                    moves=line.move_ids.ids,
                    run=line.run_id,
                    claim_move_ids=line.claim_move_ids.ids,
                    letter_state="to_print",
                    delivery_state="queued",
                )
                for line in replaced
            ]
        )
        for run, run_letters in letters.grouped("run_id").items():
            if run:
                run.sudo().letter_count += len(run_letters)
        for line in lines:
            if line.channel == "email" and line.level_id.send_letter == "always":
                continue  # its letter stands for it
            if line in replaced or not revert:
                continue
            line._ar_revert_invoices()
        lines._ar_log_undelivered(replaced, reverted=revert)
        lines._ar_notify_manager()
        return letters

    def _ar_revert_invoices(self):
        """Put the invoices of this reminder back at the level they had before it, and lift
        the credit hold its run set for the customer (follow-up holds only)."""
        self.ensure_one()
        self.env["ar.followup.move.state"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE ar_followup_move_state
                   SET level_id = previous_level_id, last_date = previous_date,
                       previous_level_id = NULL, previous_date = NULL, next_date = NULL
                 WHERE move_id = ANY(%s) AND level_id = %s AND last_date = %s
                """,
                self.move_ids.ids,
                self.level_id.id,
                self.date,
            )
        )
        self.env["ar.followup.move.state"]._ar_invalidate()
        if not self.run_id:
            return
        self._ar_cancel_fees()
        partner = self.partner_id.with_company(self.company_id)
        held = self.search_count(
            [
                ("run_id", "=", self.run_id.id),
                ("partner_id", "=", partner.id),
                ("channel", "=", "hold"),
            ],
            limit=1,
        )
        if (
            held
            and partner.ar_credit_hold
            and partner.ar_account_id.credit_hold_origin == "followup"
        ):
            self.env["ar.customer.account"]._ar_of(partner)._ar_release_credit_hold(
                lambda env: env._("the reminder was not delivered"),
                fields.Date.context_today(self),  # when it is known not to have arrived
            )

    def _ar_cancel_fees(self):
        """The costs and interest this reminder's run charged for its invoices alone were
        claimed by a reminder the customer never got: their fee invoice is cancelled (when
        nothing was paid on it and it charges nothing else), the fee lines say so, and the
        invoices may be charged again when they reach their level again."""
        self.ensure_one()
        fees = self.search(
            [
                ("run_id", "=", self.run_id.id),
                ("partner_id", "=", self.partner_id.id),
                ("channel", "=", "fee"),
                ("delivery_state", "!=", "cancelled"),
            ]
        )
        reverted = set(self.move_ids.ids)
        mine = fees.filtered(lambda fee: set(fee.move_ids.ids) <= reverted)
        lang = self.company_id.partner_id.lang or "en_US"
        note = self.with_context(lang=lang).env._(
            "Cancelled: the reminder that claimed it was not delivered."
        )
        for fee_move in mine.fee_move_id:
            lines = fees.filtered(lambda fee, m=fee_move: fee.fee_move_id == m)
            if lines - mine or fee_move.state != "posted" or fee_move.payment_state != "not_paid":
                continue  # it charges more than this reminder claimed, or was paid: kept
            fee_move = fee_move.sudo()
            try:
                with self.env.cr.savepoint():
                    fee_move.button_draft()
                    fee_move.button_cancel()
            except UserError:
                # a locked journal: a credit note cancels it instead
                fee_move._reverse_moves(
                    [{"ref": note, "invoice_date": fee_move.invoice_date}], cancel=True
                )
            lines.write({"delivery_state": "cancelled", "note": note})
            self.env["ar.followup.move.state"].flush_model()
            for column, moves in (
                ("costs_date", lines.filtered("fee_amount").move_ids),
                ("interest_date", lines.filtered("interest_amount").move_ids),
            ):
                if moves:
                    self.env.cr.execute(
                        SQL(
                            "UPDATE ar_followup_move_state SET %s = NULL "
                            "WHERE move_id = ANY(%s) AND %s = %s",
                            SQL.identifier(column),
                            moves.ids,
                            SQL.identifier(column),
                            self.date,
                        )
                    )
            self.env["ar.followup.move.state"].invalidate_model(["costs_date", "interest_date"])

    def _ar_log_undelivered(self, replaced, reverted=True):
        """One note in each customer's chatter, in the company's language (for its users)."""
        for line in self:
            lang = line.company_id.partner_id.lang or "en_US"
            env = line.with_context(lang=lang).env
            level = line.level_id.with_context(lang=lang).name or ""
            if line in replaced:
                then = env._("A letter was queued for printing instead.")
            elif line.channel == "email" and line.level_id.send_letter == "always":
                then = env._("The letter of this level stands for it.")
            elif not reverted:
                then = env._(
                    "A delivery report is not proof (anyone can send one): the follow-up goes "
                    "on; check the customer's address and send the reminder again if needed."
                )
            else:
                then = env._("The follow-up will try this level again at its next run.")
            body = Markup("<p>%s</p>") % env._(
                "The reminder %(level)s of %(date)s was not delivered (%(state)s: %(reason)s). "
                "%(then)s",
                level=level,
                date=self.env["ar.followup.statement"]
                .with_context(lang=lang)
                ._ar_formatter()
                .date(line.date),
                state=dict(
                    self.with_context(lang=lang)
                    ._fields["delivery_state"]
                    ._description_selection(env)
                )[line.delivery_state],
                reason=line.delivery_error or "",
                then=then,
            )
            line.partner_id.sudo()._message_log(body=body)

    def _ar_notify_manager(self):
        """One activity per run for the credit-control manager while its reminders fail; its
        note says how many (updated as more fail)."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for run in self.run_id:
            company = run.company_id
            lang = company.partner_id.lang or "en_US"
            env = run.with_context(lang=lang).env
            failed = self.search_count(
                [("run_id", "=", run.id), ("delivery_state", "in", UNDELIVERED_STATES)]
            )
            note = Markup("<p>%s</p>") % env._(
                "%(count)s reminder(s) of this run were not delivered: see the follow-up "
                "actions of the run (delivery problem).",
                count=failed,
            )
            activity = run.sudo().activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t and a.automated
            )
            if activity:
                activity.note = note
                continue
            run.sudo().with_context(mail_activity_quick_update=True).activity_schedule(
                activity_type_id=activity_type.id,
                summary=env._("Reminders not delivered"),
                note=note,
                user_id=company._ar_credit_manager().id,
                automated=True,
            )
