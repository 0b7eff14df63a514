# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models


class ReportArStatement(models.AbstractModel):
    """The statement of account: each customer's in its own language, whoever prints it."""

    _name = "report.ar_followup.report_statement"
    _description = "Statement of account"

    @api.model
    def _ar_document(self, partner, account, date=None, reminder=None):
        """What ``ar_followup.statement_document`` renders for ``partner`` (commercial, in the
        company of the document): everything in the customer's language, the Python side
        too (the open items' formatter and the aging labels read ``env.lang``, which the
        template's ``t-lang`` does not change), as of ``date`` (default: today); with
        ``reminder`` (an ``ar.followup.reminder``), the letter of its level. ``account`` is
        the customer's ``ar.customer.account`` in that company: the payment instructions read
        its statement link."""
        lang = partner.lang or self.env.lang
        partner = partner.with_context(lang=lang)
        statement = partner.env["ar.followup.statement"]._ar_statement(
            partner, date or fields.Date.context_today(self), partner.env.company
        )
        level = reminder.level_id.with_env(partner.env) if reminder else None
        level = level or partner.env["ar.followup.level"]
        return {
            "env": partner.env,
            "lang": lang,
            "partner": partner,
            "statement": statement,
            "company": statement["company"],
            "level": level,
            "letter_body": (
                level._ar_letter_body(reminder.with_env(partner.env), statement)
                if level
                else Markup()
            ),
            "contact": statement["company"]._ar_followup_contact(partner),
            "account": account.with_env(partner.env),
        }

    @api.model
    def _ar_accounts(self, customers, companies):
        """``{(commercial partner id, company id): account}`` of each of ``customers`` in
        the company at the same place in ``companies`` (made where missing), one query per
        company."""
        by_company = defaultdict(set)
        for customer, company in zip(customers, companies, strict=True):
            by_company[company].add(customer.commercial_partner_id.id)
        Account = self.env["ar.customer.account"]
        accounts = {}
        for company, ids in by_company.items():
            partners = self.env["res.partner"].browse(sorted(ids))
            for pid, account in Account._ar_get(partners, company).items():
                accounts[pid, company.id] = account
        return accounts

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["res.partner"].browse(docids)
        date = fields.Date.to_date((data or {}).get("date"))
        accounts = self._ar_accounts(docs, [self.env.company] * len(docs))
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": docs,
            # the date of the statement: the run's, for the statement attached to a reminder
            "documents": [
                self._ar_document(
                    doc.commercial_partner_id,
                    accounts[doc.commercial_partner_id.id, self.env.company.id],
                    date=date,
                )
                for doc in docs
            ],
        }


class ReportArAccountStatement(models.AbstractModel):
    """The statement of account of customers' accounts: each in its account's company."""

    _name = "report.ar_followup.report_account_statement"
    _description = "Statement of account (customer account)"

    @api.model
    def _get_report_values(self, docids, data=None):
        accounts = self.env["ar.customer.account"].browse(docids)
        Statement = self.env["report.ar_followup.report_statement"]
        return {
            "doc_ids": docids,
            "doc_model": "ar.customer.account",
            "docs": accounts,
            "documents": [
                Statement._ar_document(account.partner_id.with_company(account.company_id), account)
                for account in accounts
            ],
        }


class ReportArLetter(models.AbstractModel):
    """The reminder letters: each in its customer's language, dated as its history line."""

    _name = "report.ar_followup.report_letter"
    _description = "Reminder letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        letters = self.env["ar.followup.history"].browse(docids)
        Statement = self.env["report.ar_followup.report_statement"]
        customers = [
            letter.partner_id.commercial_partner_id.with_company(letter.company_id)
            for letter in letters
        ]
        accounts = Statement._ar_accounts(customers, [letter.company_id for letter in letters])
        return {
            "doc_ids": docids,
            "doc_model": "ar.followup.history",
            "docs": letters,
            "documents": [
                Statement._ar_document(
                    customer,
                    accounts[customer.id, letter.company_id.id],
                    date=letter.date,
                    reminder=self._ar_reminder(letter),
                )
                for letter, customer in zip(letters, customers, strict=True)
            ],
        }

    @api.model
    def _ar_reminder(self, letter):
        """The reminder a letter's history line sent; for a line older than reminders (18.0.1.10),
        the same reminder built from the line, not saved."""
        if letter.reminder_id:
            return letter.reminder_id
        return self.env["ar.followup.reminder"].new(
            {
                "company_id": letter.company_id.id,
                "date": letter.date,
                "partner_id": letter.partner_id.commercial_partner_id.id,
                "level_id": letter.level_id.id,
                "channel": "letter",
                "move_ids": [Command.set(letter.move_ids.ids)],
            }
        )
