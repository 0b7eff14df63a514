# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models


class ReportArStatement(models.AbstractModel):
    """The statement of account: each customer's in its own language, whoever prints it."""

    _name = "report.ar_followup.report_statement"
    _description = "Statement of account"

    @api.model
    def _ar_document(self, partner, level=None, moves=None, date=None):
        """What ``ar_followup.statement_document`` renders for ``partner`` (commercial, in the
        company of the document): everything in the customer's language, the Python side
        too (the open items' formatter and the aging labels read ``env.lang``, which the
        template's ``t-lang`` does not change), as of ``date`` (default: today); with
        ``level``, its letter about ``moves``."""
        lang = partner.lang or self.env.lang
        partner = partner.with_context(lang=lang)
        statement = partner.env["ar.followup.statement"]._ar_statement(
            partner, date or fields.Date.context_today(self), partner.env.company
        )
        level = level.with_env(partner.env) if level else partner.env["ar.followup.level"]
        return {
            "env": partner.env,
            "lang": lang,
            "partner": partner,
            "statement": statement,
            "company": statement["company"],
            "level": level,
            "letter_body": level._ar_letter_body(partner, statement, moves) if level else Markup(),
            "contact": statement["company"]._ar_followup_contact(partner),
        }

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["res.partner"].browse(docids)
        date = fields.Date.to_date((data or {}).get("date"))
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": docs,
            # the date of the statement: the run's, for the statement attached to a reminder
            "documents": [self._ar_document(doc.commercial_partner_id, date=date) for doc in docs],
        }


class ReportArLetter(models.AbstractModel):
    """The reminder letters: each in its customer's language, dated as its history line."""

    _name = "report.ar_followup.report_letter"
    _description = "Reminder letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        letters = self.env["ar.followup.history"].browse(docids)
        Statement = self.env["report.ar_followup.report_statement"]
        return {
            "doc_ids": docids,
            "doc_model": "ar.followup.history",
            "docs": letters,
            "documents": [
                Statement._ar_document(
                    letter.partner_id.commercial_partner_id.with_company(letter.company_id),
                    level=letter.level_id,
                    moves=letter.move_ids,
                    date=letter.date,
                )
                for letter in letters
            ],
        }
