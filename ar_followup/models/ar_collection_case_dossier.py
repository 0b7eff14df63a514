# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The dossier of a collection case, generated when it is handed over: a PDF with the
creditor (the company: address, VAT number, bank account, whom to contact), the customer,
the invoices, every reminder, letter and call of the follow-up with its date and channel,
the 14-day letter and the day it went out, the costs and interest with their
computation, disputes, promises and payment plans, and the payments received; a CSV of the
invoices for the agency's import; the invoices' PDFs. The agency gets them by e-mail, the
customer optionally a notice that the claim was handed over (and a note in its chatter).
Cancelled or returned, the case withdraws its e-mails not sent yet."""

import csv
import io

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import formatLang

from ..tools.csv_cells import csv_amount, csv_text

# the follow-up's own actions the dossier lists, with what they were
DOSSIER_CHANNELS = ("email", "letter", "activity", "statement", "hold", "fee", "promise", "plan")
CSV_COLUMNS = (
    "invoice",
    "invoice_date",
    "due_date",
    "days_overdue",
    "currency",
    "amount_total",
    "amount_open",
    "payment_reference",
)


class ArCollectionCase(models.Model):
    _inherit = "ar.collection.case"

    def _ar_dossier_values(self):
        """What the dossier's PDF shows (the report's ``docs`` values of one case)."""
        self.ensure_one()
        moves = self.move_ids.sorted(lambda m: (m.invoice_date_due or m.date, m.id))
        date = self.date_handover or self._ar_today()
        History = self.env["ar.followup.history"].sudo()
        lines = History.search(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "=", self.partner_id.id),
                ("channel", "in", DOSSIER_CHANNELS),
                "|",
                ("move_ids", "in", moves.ids),
                ("channel", "in", ("hold", "activity")),
            ],
            order="date, id",
        )
        disputes = self.env["ar.dispute"].sudo().search([("move_ids", "in", moves.ids)], order="id")
        plans = (
            self.env["ar.payment.plan"].sudo().search([("move_ids", "in", moves.ids)], order="id")
        )
        payments = []
        for move in moves:
            for partial in move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).matched_credit_ids:
                payments.append(
                    {
                        "date": partial.max_date,
                        "invoice": move.name,
                        "reference": partial.credit_move_id.move_id.name,
                        "amount": partial.amount,
                    }
                )
        return {
            "case": self,
            "creditor": self._ar_dossier_creditor(),
            "date": date,
            "invoices": [
                {
                    "move": move,
                    "days_overdue": max((date - move.invoice_date_due).days, 0)
                    if move.invoice_date_due
                    else 0,
                }
                for move in moves
            ],
            "history": lines,
            "letters": lines.filtered(
                lambda h: h.channel in ("email", "letter") and h.level_id.is_fourteen_day_letter
            ),
            "fees": lines.filtered(lambda h: h.channel == "fee"),
            "promises": lines.filtered(lambda h: h.channel == "promise"),
            "disputes": disputes,
            "plans": plans,
            "payments": sorted(payments, key=lambda p: (p["date"], p["invoice"])),
        }

    def _ar_dossier_creditor(self):
        """Whose claim it is, as the agency needs it (the report's letterhead does not print
        with every wkhtmltopdf): the company, its bank account (the one the reminders print)
        and whom to contact (the case's responsible, else the company)."""
        self.ensure_one()
        company = self.company_id
        contact = self.user_id.partner_id
        return {
            "company": company,
            "bank": company.partner_id.sudo().bank_ids[:1],
            "contact": contact,
            "email": contact.email or company.email,
            "phone": contact.phone or contact.mobile or company.phone,
        }

    def _ar_dossier_customer_cells(self):
        """``[(column, cell)]`` naming the case's customer on each row of the CSV: its name,
        VAT, Chamber of Commerce (KvK) number and our reference. Override point (the credit
        insurance adds its policy code)."""
        self.ensure_one()
        partner = self.partner_id
        return [
            ("customer", csv_text(partner.name)),
            ("customer_vat", csv_text(partner.vat)),
            ("customer_registry", csv_text(partner.company_registry)),
            ("customer_ref", csv_text(partner.ref)),
        ]

    def _ar_dossier_invoice_cells(self, move):
        """``[(column, cell)]`` of ``move`` beyond the invoice's own columns, on its row of
        the CSV. Override point (the credit insurance adds when it was reported)."""
        return []

    def _ar_dossier_csv(self):
        """The invoices of the case for the agency's import: one row each and a total row
        (amounts in the invoice's currency with a decimal comma, dates ISO,
        ``;``-separated as Dutch and Belgian spreadsheets read them)."""
        self.ensure_one()
        values = self._ar_dossier_values()
        customer = self._ar_dossier_customer_cells()
        customer_cells = [cell for _column, cell in customer]
        extra = {
            row["move"]: self._ar_dossier_invoice_cells(row["move"]) for row in values["invoices"]
        }
        extra_columns = tuple(column for column, _cell in next(iter(extra.values()), []))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS + extra_columns + tuple(column for column, _cell in customer))
        totals = {}
        for row in values["invoices"]:
            move = row["move"]
            writer.writerow(
                [
                    move.name,
                    move.invoice_date and move.invoice_date.isoformat(),
                    move.invoice_date_due and move.invoice_date_due.isoformat(),
                    row["days_overdue"],
                    move.currency_id.name,
                    csv_amount(move.amount_total),
                    csv_amount(move.amount_residual),
                    csv_text(move.payment_reference or move.name),
                    *(cell for _column, cell in extra[move]),
                    *customer_cells,
                ]
            )
            total = totals.setdefault(move.currency_id.name, [0.0, 0.0])
            total[0] += move.amount_total
            total[1] += move.amount_residual
        for currency, (amount_total, amount_open) in sorted(totals.items()):
            writer.writerow(
                [
                    "TOTAL",
                    "",
                    "",
                    "",
                    currency,
                    csv_amount(amount_total),
                    csv_amount(amount_open),
                    "",
                    *("" for _column in extra_columns),
                    *customer_cells,
                ]
            )
        return buffer.getvalue().encode("utf-8-sig")

    def _ar_dossier_files(self):
        """``[(file name, content)]`` of the dossier: its PDF, the CSV, the invoices' PDFs."""
        self.ensure_one()
        Report = self.env["ir.actions.report"].sudo().with_company(self.company_id)
        lang = self.agency_id.lang or self.env.lang
        content, kind = Report.with_context(lang=lang)._render_qweb_pdf(
            "ar_followup.action_report_collection_dossier", self.ids
        )
        files = [
            (f"{self.name.replace('/', '-')} dossier.{kind}", content),
            (f"{self.name.replace('/', '-')} invoices.csv", self._ar_dossier_csv()),
        ]
        for move in self.move_ids:
            document = move.invoice_pdf_report_id
            if document:
                files.append((f"{move.name.replace('/', '-')}.pdf", document.raw))
            else:
                pdf, pdf_kind = Report._render_qweb_pdf("account.account_invoices", move.ids)
                files.append((f"{move.name.replace('/', '-')}.{pdf_kind}", pdf))
        return files

    def _ar_generate_dossier(self):
        """Render the dossier (PDF, CSV, the invoices' PDFs) and attach it to the case."""
        self.ensure_one()
        files = self._ar_dossier_files()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {"name": name, "raw": raw, "res_model": self._name, "res_id": self.id}
                    for name, raw in files
                ]
            )
        )
        earlier = self.sudo().dossier_ids
        self.sudo().dossier_ids = [fields.Command.set(attachments.ids)]
        # a dossier made before (a claim's draft) is replaced, unless an e-mail carried it
        sent = self.env["mail.message"].sudo().search([("attachment_ids", "in", earlier.ids)])
        (earlier - sent.attachment_ids).unlink()
        return attachments

    def _ar_regenerate_dossier(self):
        """Render the dossiers of ``self`` again into the same attachments (those of their
        e-mails, too): for PDFs rendered while wkhtmltopdf could not reach Odoo (no styling),
        as the demo's are when it is generated. A file missing from a dossier is added."""
        for case in self.filtered("dossier_ids"):
            attachments = case.dossier_ids.sudo()
            by_name = {attachment.name: attachment for attachment in attachments}
            added = []
            for name, raw in case._ar_dossier_files():
                if name in by_name:
                    by_name[name].raw = raw
                else:
                    added.append(
                        {"name": name, "raw": raw, "res_model": case._name, "res_id": case.id}
                    )
            if added:
                new = self.env["ir.attachment"].sudo().create(added)
                case.sudo().dossier_ids = [fields.Command.link(a) for a in new.ids]

    def _ar_send_to_agency(self):
        """Queue the agency's e-mail with the dossier (and the customer's notice): the
        chatter says queued, the mail queue sends them."""
        self.ensure_one()
        template = self.env.ref("ar_followup.mail_template_collection_case")
        mail_id = template.sudo().send_mail(
            self.id,
            email_values={
                "email_to": self.collection_agency_id.email,
                "recipient_ids": [],
                "attachment_ids": [fields.Command.set(self.dossier_ids.ids)],
            },
        )
        notice_id = False
        # to whom the reminders go (the invoice contacts, else the customer)
        Account = self.env["ar.customer.account"]
        if self.notify_customer and Account._ar_contacts_of(self.partner_id)[self.partner_id.id]:
            notice = self.env.ref("ar_followup.mail_template_collection_notice")
            notice_id = notice.sudo().send_mail(self.id)
        body = self.env._(
            "Dossier queued for %(agency)s (%(address)s).",
            agency=self.agency_id.display_name,
            address=self.collection_agency_id.email,
        )
        if notice_id:
            body += " " + self.env._("The customer's notice is queued.")
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        return mail_id, notice_id

    def _ar_note_on_customer(self):
        """The customer's chatter says the claim was handed over (with the case's link)."""
        self.ensure_one()
        self.partner_id.sudo().message_post(
            body=Markup(self.env._("Claim handed over to %(agency)s: %(case)s (%(amount)s)."))
            % {
                "agency": self.agency_id.display_name,
                "case": self._get_html_link(),
                "amount": formatLang(
                    self.env, self.amount_principal, currency_obj=self.currency_id
                ),
            },
            subtype_xmlid="mail.mt_note",
        )

    def _ar_withdraw_mails(self):
        """The case's e-mails still in the queue (the dossier to the agency, the customer's
        notice) are not sent any more; the chatter says so, and when the agency had the
        dossier already, the case's responsible gets an activity to tell it."""
        self.ensure_one()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "=", self.id)])
        )
        queued = mails.filtered(lambda m: m.state in ("outgoing", "exception"))
        if queued:
            queued.write({"state": "cancel"})
            self.message_post(
                body=self.env._(
                    "%(count)s e-mail(s) of the case not sent yet, withdrawn: %(subjects)s.",
                    count=len(queued),
                    subjects="; ".join(queued.mapped("subject")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        if self.state == "cancelled" and mails.filtered(lambda m: m.state == "sent"):
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Tell the agency the case is withdrawn"),
                note=self.env._(
                    "%(agency)s received the dossier of %(case)s already: tell it the claim "
                    "is withdrawn.",
                    agency=self.agency_id.display_name,
                    case=self.name,
                ),
                user_id=self.user_id.id or self.env.uid,
            )
