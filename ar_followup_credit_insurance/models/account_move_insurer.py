# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the credit-control manager does with the insurer, from the *Insurer notifications*
list or the invoice: export the invoices to report (a CSV per insurer), record them as
reported, and claim a reported invoice (a draft collection case with the insurer as the
agency and the claim dossier attached; handed over when the insurer collects)."""

import base64
import csv
import io

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from odoo.addons.ar_followup.tools.csv_cells import csv_amount, csv_text

MANAGER = "ar_followup.group_ar_manager"
CSV_COLUMNS = (
    "policy_code",
    "customer",
    "customer_vat",
    "customer_registry",
    "customer_ref",
    "invoice",
    "invoice_date",
    "due_date",
    "days_overdue",
    "currency",
    "amount_total",
    "amount_open",
    "report_by",
    "reported_on",
)


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _ar_insurer_check(self):
        """The invoices of one insurer that the credit-control manager acts on (sudo), or a
        sentence why not."""
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a credit-control manager can report or claim to an insurer.")
            )
        if not self:
            raise UserError(self.env._("Select the invoices first."))
        self.check_access("read")
        not_insured = self.filtered(lambda m: not m.ar_insurer_notify_deadline)
        if not_insured:
            raise UserError(
                self.env._(
                    "%(invoices)s have no insurer to report to (an insured, posted customer "
                    "invoice whose insurer sets a notification deadline).",
                    invoices=", ".join(not_insured.mapped("display_name")),
                )
            )
        if len(self.credit_policy_company_id) > 1:
            raise UserError(
                self.env._(
                    "Select the invoices of one insurer: these are insured by %(insurers)s.",
                    insurers=", ".join(self.credit_policy_company_id.mapped("name")),
                )
            )
        return self.sudo()

    def _ar_insurer_today(self):
        return fields.Date.context_today(self.with_company(self.company_id[:1]))

    def action_ar_insurer_export(self):
        """A CSV of the selected invoices for the insurer's notification (one insurer), kept
        as an attachment of the insurer and downloaded; it records nothing as reported."""
        moves = self._ar_insurer_check()
        today = self._ar_insurer_today()
        insurer = moves.credit_policy_company_id
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for move in moves.sorted(lambda m: (m.commercial_partner_id.name or "", m.name)):
            partner = move.commercial_partner_id
            writer.writerow(
                [
                    csv_text(partner.risk_insurance_code),
                    csv_text(partner.name),
                    csv_text(partner.vat),
                    csv_text(partner.company_registry),
                    csv_text(partner.ref),
                    move.name,
                    move.invoice_date and move.invoice_date.isoformat(),
                    move.invoice_date_due and move.invoice_date_due.isoformat(),
                    max(0, (today - move.invoice_date_due).days) if move.invoice_date_due else 0,
                    move.currency_id.name,
                    csv_amount(move.amount_total),
                    csv_amount(move.amount_residual),
                    move.ar_insurer_notify_deadline.isoformat(),
                    move.ar_insurer_notified_date
                    and move.ar_insurer_notified_date.isoformat()
                    or "",
                ]
            )
        name = self.env._(
            "%(insurer)s %(date)s notifications.csv", insurer=insurer.name, date=today.isoformat()
        ).replace("/", "-")
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(buffer.getvalue().encode("utf-8-sig")),
                "mimetype": "text/csv",
                "res_model": insurer._name,
                "res_id": insurer.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_ar_insurer_notified(self):
        """Record the selected invoices as reported to their insurer today (a line in each
        invoice's chatter). An invoice paid, already reported or flagged uninsured is refused
        with the reason."""
        moves = self._ar_insurer_check()
        today = self._ar_insurer_today()
        refused = moves.filtered(
            lambda m: (
                m.ar_insurer_notified_date
                or m.ar_insurer_uninsured
                or m.currency_id.is_zero(m.amount_residual)
            )
        )
        if refused:
            raise UserError(
                self.env._(
                    "%(invoices)s cannot be reported: paid, reported already or no longer "
                    "insured (a deadline missed).",
                    invoices=", ".join(refused.mapped("name")),
                )
            )
        late = moves.filtered(lambda m: m.ar_insurer_notify_deadline < today)
        if late:
            raise UserError(
                self.env._(
                    "The deadline to report %(invoices)s to the insurer has passed: they are no "
                    "longer insured.",
                    invoices=", ".join(late.mapped("name")),
                )
            )
        moves._ar_insurer_record({"ar_insurer_notified_date": today})
        body = Markup("<p>%s</p>") % self.env._(
            "Reported to the credit insurer %(insurer)s on %(date)s by %(user)s.",
            insurer=moves.credit_policy_company_id.name,
            date=format_date(self.env, today),
            user=self.env.user.name,
        )
        moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))
        return True

    def action_ar_insurer_claim(self):
        """Claim the selected reported, unpaid invoices (one customer): a draft collection
        case with the insurer as the agency (marked so in the company when it is not yet) and
        the claim dossier attached; the case is handed over when the insurer collects."""
        moves = self._ar_insurer_check()
        today = self._ar_insurer_today()
        refused = moves.filtered(
            lambda m: (
                not m.ar_insurer_notified_date
                or m.ar_insurer_claim_date
                or m.ar_insurer_uninsured
                or m.currency_id.is_zero(m.amount_residual)
            )
        )
        if refused:
            raise UserError(
                self.env._(
                    "Only reported, unpaid invoices not claimed yet can be claimed, not "
                    "%(invoices)s.",
                    invoices=", ".join(refused.mapped("name")),
                )
            )
        late = moves.filtered(
            lambda m: m.ar_insurer_claim_deadline and m.ar_insurer_claim_deadline < today
        )
        if late:
            raise UserError(
                self.env._(
                    "The deadline to claim %(invoices)s from the insurer has passed: they are no "
                    "longer insured.",
                    invoices=", ".join(late.mapped("name")),
                )
            )
        if len(moves.commercial_partner_id) > 1 or len(moves.company_id) > 1:
            raise UserError(self.env._("A claim is for the invoices of one customer."))
        insurer = moves.credit_policy_company_id
        if not insurer.partner_id:
            raise UserError(
                self.env._(
                    "Set the contact of the insurer %(insurer)s (with its e-mail address for "
                    "claims) first.",
                    insurer=insurer.name,
                )
            )
        company = moves.company_id
        Agency = self.env["ar.collection.agency"].sudo()
        if not Agency._ar_of(insurer.partner_id, company):
            Agency.create(
                {"partner_id": insurer.partner_id.id, "company_id": company.id, "kind": "insurer"}
            )
        case = (
            self.env["ar.collection.case"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "partner_id": moves.commercial_partner_id.id,
                    "company_id": company.id,
                    "agency_id": insurer.partner_id.id,
                    "move_ids": [fields.Command.set(moves.ids)],
                    "user_id": self.env.user.id,
                }
            )
        )
        case._ar_generate_dossier()
        moves._ar_insurer_record({"ar_insurer_claim_date": today, "ar_insurer_case_id": case.id})
        body = Markup("<p>%s</p>") % self.env._(
            "Claimed from the credit insurer %(insurer)s on %(date)s (%(case)s).",
            insurer=insurer.name,
            date=format_date(self.env, today),
            case=case.name,
        )
        moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))
        return {
            "type": "ir.actions.act_window",
            "res_model": case._name,
            "res_id": case.id,
            "view_mode": "form",
        }
