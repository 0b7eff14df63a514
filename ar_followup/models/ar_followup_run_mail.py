# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The run's e-mails and letters: one reminder a customer, rendered once per template for
a batch and queued (the mail queue sends them); a letter where the level or a missing
address asks for one; the statement and invoice PDFs the level attaches."""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, fields, models


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"  # pylint: disable=consider-merging-classes-inherited

    def _ar_step_mail(self, batch):
        """Step *mail*: queue one e-mail per customer with an address (one rendering call per
        template for the batch); a skip line where a reminder is held back because the
        customer already had one of its tone. Returns the values of their history lines."""
        history = []
        by_template = defaultdict(list)
        for partner in batch.partners:
            action = batch.actions[partner.id]
            if action.held_back:
                history.append(
                    self._ar_history(
                        partner.id,
                        "skip",
                        action.held_back,
                        action.moves,
                        note=self._ar_held_back_note(
                            action.held_back, batch.plan[partner.id][0].tone
                        ),
                    )
                )
        for reminder in batch.reminders.values():
            if reminder.channel in ("email", "both"):
                by_template[reminder.level_id.mail_template_id].append(reminder)
        if by_template:
            history += self._ar_queue_reminders(batch, by_template)
        return history

    @staticmethod
    def _ar_held_back_note(level, tone):
        """Why the reminder at ``level`` is held back by the customer's ``tone``."""
        if level.is_final_notice:
            return lambda env: env._(
                "No second final notice: the customer already had one for invoices still "
                "open. These invoices go on to the next levels."
            )
        if level.delay == tone:
            return lambda env: env._(
                "No reminder: the customer already had a reminder of this level listing these "
                "invoices. They are listed in its next reminder."
            )
        return lambda env: env._(
            "No reminder: the customer already had a reminder of a higher level for invoices "
            "still open. These invoices are listed in its next reminder."
        )

    def _ar_step_reminder(self, batch):
        """Step *reminder*: one ``ar.followup.reminder`` for each customer the run sends a
        reminder today, by e-mail (it has an address), by letter (its level sends one always,
        or for want of an address), or both; the e-mails and letters render on them. Each
        e-mail carries (and renews) its customer's statement link: one batch of them."""
        vals_list = []
        contacts = self.env["ar.customer.account"]._ar_contacts_of(batch.partners)
        for partner in batch.partners:
            level = batch.actions[partner.id].email
            if not level:
                continue
            email = bool(contacts[partner.commercial_partner_id.id])
            letter = level.send_letter == "always" or (
                level.send_letter == "no_email" and not email
            )
            if email or letter:
                channel = "both" if email and letter else "email" if email else "letter"
                vals_list.append(
                    {
                        "run_id": self.id,
                        "company_id": self.company_id.id,
                        "date": self.date,
                        "partner_id": partner.id,
                        "level_id": level.id,
                        "channel": channel,
                    }
                )
        mailing = [vals["partner_id"] for vals in vals_list if vals["channel"] != "letter"]
        links = self.env["ar.statement.link"]._ar_links(
            self.env["res.partner"].browse(mailing), self.company_id, self.date
        )
        for vals in vals_list:
            vals["link_id"] = links[vals["partner_id"]].id if vals["partner_id"] in links else False
        reminders = self.env["ar.followup.reminder"].sudo()._ar_insert(vals_list)
        # whom their e-mails go to, as found above (no second query for their templates)
        recipients = [
            ",".join(str(pid) for pid in contacts[reminder.partner_id.commercial_partner_id.id].ids)
            for reminder in reminders
        ]
        self.env.cache.update(reminders, reminders._fields["ar_followup_partner_to"], recipients)
        batch.reminders = {reminder.partner_id.id: reminder for reminder in reminders}
        return []

    def _ar_step_letter(self, batch):
        """Step *letter*: the letters of the reminders that go out by letter (their level
        sends one always, or for want of an e-mail address); a skip line for a customer
        who gets neither (no address, and a level that sends no letters)."""
        history = []
        for partner in batch.partners:
            action = batch.actions[partner.id]
            reminder = batch.reminders.get(partner.id)
            if reminder and reminder.channel in ("letter", "both"):
                batch.counts.letter += 1
                history.append(
                    self._ar_history(
                        partner.id,
                        "letter",
                        action.email,
                        action.moves,
                        reminder_id=reminder.id,
                        letter_state="to_print",
                        delivery_state="queued",
                        **self._ar_letter_claim(action.email, batch.plan[partner.id]),
                    )
                )
            elif (
                action.email
                and action.email.send_letter == "never"
                and not reminder  # no address: the reminder step made none
            ):
                history.append(
                    self._ar_history(
                        partner.id,
                        "skip",
                        action.email,
                        action.moves,
                        note=lambda env: env._("No e-mail address to send the reminder to."),
                    )
                )
        return history

    def _ar_queue_reminders(self, batch, by_template):
        """Render and queue the reminders of ``{template: [ar.followup.reminder]}``, attach
        what their level asks for; returns the values of their history lines."""
        Reminder = self.env["ar.followup.reminder"].sudo()
        mailing = Reminder.concat(*(r for reminders in by_template.values() for r in reminders))
        statements = self.env["ar.followup.statement"]._ar_statements(
            mailing.partner_id,
            self.date,
            self.company_id,
            chased_move_ids={
                mid for pid in mailing.partner_id.ids for mid in batch.actions[pid].moves
            },
            rows=batch.statement_rows,
        )
        mailing._ar_hand_statements(statements)
        history = []
        try:
            for template, reminders in by_template.items():
                mails = self._send_mails(template, Reminder.concat(*reminders))
                for reminder, mail in zip(reminders, mails, strict=True):
                    action = batch.actions[reminder.partner_id.id]
                    batch.counts.email += 1
                    self._ar_attach_documents(mail, action.email, action.moves)
                    history.append(
                        self._ar_history(
                            reminder.partner_id.id,
                            "email",
                            action.email,
                            action.moves,
                            reminder_id=reminder.id,
                            mail_id=mail.id,
                            message_id=mail.mail_message_id.id,
                            delivery_state="queued",
                            **self._ar_letter_claim(
                                action.email, batch.plan[reminder.partner_id.id]
                            ),
                        )
                    )
        finally:
            mailing._ar_forget_statements()
        return history

    # what the template renders for a reminder (send_mail_batch's list, less the static ones)
    MAIL_RENDER_FIELDS = (
        "attachment_ids",
        "auto_delete",
        "body_html",
        "email_cc",
        "email_from",
        "email_to",
        "mail_server_id",
        "partner_to",
        "reply_to",
        "report_template_ids",
        "scheduled_date",
        "subject",
    )

    def _send_mails(self, template, reminders):
        """Render ``template`` on the ``reminders`` and queue their e-mails (not sent here:
        the mail queue sends them), in the order of ``reminders``. Override point for
        another transport, e.g. a job queue.

        Unlike ``mail.template.send_mail_batch``, the customer's chatter gets a one-line
        summary of the reminder instead of a second copy of the whole e-mail: the e-mail
        itself, as rendered, is the mail's ``body_html`` (kept after sending unless the
        template deletes it; the history line links it). Sanitising a copy of every
        statement for the chatter was the largest cost of a run (about 2.5 ms a reminder).
        """
        template = (
            template.sudo()
            .with_company(self.company_id)
            .with_context(ar_followup_compile_once=True, ar_followup_formatters={})
        )
        fnames = self.MAIL_RENDER_FIELDS
        if template.report_template_ids.filtered(lambda r: r.model != reminders._name):
            # a report of another model (the customer's statement, added to the template
            # by hand) would be printed for the reminder's id, that is another record: not
            # attached (the level's "Attach the statement" attaches it)
            fnames = tuple(f for f in fnames if f != "report_template_ids")
        rendered = template._generate_template(reminders.ids, fnames)
        # the records are created without the rendering context (each record created makes
        # environments whose contexts are compared)
        env = self.env
        summarizer = self.with_context(ar_followup_formatters={})
        message_vals, mail_vals, attachments = [], [], []
        for reminder in reminders:
            values = rendered[reminder.id]
            attachments.append(values.pop("attachments", []))
            summary = summarizer._ar_mail_summary(template, reminder._ar_followup_statement())
            message_vals.append(self._ar_message_values(reminder.partner_id, values, summary))
            mail_vals.append(self._ar_mail_values(values))
        # the messages first, then their mails: mail.mail would otherwise look up the
        # defaults of every message field once more for each mail
        messages = env["mail.message"].sudo().create(message_vals)
        mails = (
            env["mail.mail"]
            .sudo()
            .create(
                [
                    dict(vals, mail_message_id=message.id)
                    for vals, message in zip(mail_vals, messages, strict=True)
                ]
            )
        )
        self._ar_attach_rendered(mails, attachments)
        return mails

    def _ar_message_values(self, partner, values, summary):
        """The chatter message of a rendered reminder in its customer's chatter (its summary,
        not the whole e-mail)."""
        return {
            "model": "res.partner",
            "res_id": partner.id,
            "record_name": partner.display_name,
            "message_type": "email_outgoing",
            "subject": values.get("subject"),
            "body": summary,
            "reply_to": values.get("reply_to"),
            "mail_server_id": values.get("mail_server_id"),
            "attachment_ids": [Command.link(aid) for aid in values.get("attachment_ids", [])],
            **({"email_from": values["email_from"]} if values.get("email_from") else {}),
        }

    def _ar_mail_values(self, values):
        """The outgoing mail of a rendered reminder."""
        return {
            "body_html": values.get("body_html"),
            "email_to": values.get("email_to"),
            "email_cc": values.get("email_cc"),
            "scheduled_date": values.get("scheduled_date"),
            "auto_delete": values.get("auto_delete"),
            "recipient_ids": [Command.link(pid) for pid in values.get("partner_ids", [])],
            # the mail is the reminder itself, not the notification of a message: its
            # message goes with it when it is deleted, as with mail.template
            "is_notification": False,
        }

    def _ar_attach_rendered(self, mails, attachments):
        """The files the template rendered (its reports), attached to their mails."""
        for mail, files in zip(mails, attachments, strict=True):
            if files:
                mail.with_context(default_type=None).write(
                    {
                        "attachment_ids": [
                            Command.create(
                                {
                                    "name": name,
                                    "datas": datas,
                                    "type": "binary",
                                    "res_model": "mail.message",
                                    "res_id": mail.mail_message_id.id,
                                }
                            )
                            for name, datas in files
                        ]
                    }
                )

    def _ar_mail_summary(self, template, statement):
        """The chatter line of a reminder: which reminder, how many open items, how much
        overdue (per currency)."""
        fmt = self.env["ar.followup.statement"]._ar_formatter()
        overdue = ", ".join(
            fmt.amount(total["overdue"], total["currency"])
            for total in statement["totals"]
            if total["overdue"]
        )
        text = self.env._(
            "Reminder (%(template)s): %(count)s open items, overdue %(overdue)s.",
            template=template.name,
            count=len(statement["lines"]),
            overdue=overdue or fmt.amount(0.0, self.company_id.currency_id),
        )
        return Markup("<p>%s</p>") % text

    def _ar_attach_documents(self, mail, level, move_ids):
        """The statement and invoice PDFs the level asks to attach to the reminder."""
        if not (level.attach_statement or level.attach_invoices):
            return
        Report = self.env["ir.actions.report"].sudo().with_company(self.company_id)
        partner = self.env["res.partner"].browse(mail.res_id).with_company(self.company_id)
        values = []
        if level.attach_statement:
            # the statement as of the run's date (a run for another day dates it that day)
            content, kind = Report._render_qweb_pdf(
                "ar_followup.action_report_statement",
                partner.ids,
                data={"date": fields.Date.to_string(self.date)},
            )
            name = self.with_context(lang=partner.lang or self.env.lang).env._(
                "Statement %s", partner.name
            )
            values.append((name, content, kind))
        if level.attach_invoices:
            for move in self.env["account.move"].browse(move_ids):
                document = move.invoice_pdf_report_id
                if document:
                    values.append((move.name, document.raw, "pdf"))
                else:
                    content, kind = Report._render_qweb_pdf("account.account_invoices", move.ids)
                    values.append((move.name, content, kind))
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{name}.{kind}",
                        "raw": content,
                        "res_model": "mail.message",
                        "res_id": mail.mail_message_id.id,
                    }
                    for name, content, kind in values
                ]
            )
        )
        mail.sudo().attachment_ids = [fields.Command.link(a.id) for a in attachments]
