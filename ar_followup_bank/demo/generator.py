# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo (``make demo``): the customers' money and words reach the ladder.

* :func:`prepare`, before the invoices are made: they carry an RF creditor reference
  (ISO 11649), the structured reference of their reminders' SEPA QR codes.
* :func:`generate`, after eight weeks of follow-up and before today's run: the bank's
  CAMT.053 file of yesterday, written for the demo's own customers and imported with OCA's
  wizard: the transfers of a customer on hold with its invoices' structured references
  (matched on import: the invoices are paid, the hold lifts), one with only a customer's
  IBAN and an invoice number in the text (on its way: today's run holds that customer back
  and asks the bookkeeper to match it) and one partial (the reminder asks the rest); and a
  customer's reply to its last reminder, through Odoo's mail gateway (its follow-up pauses,
  its responsible gets the activity *Customer replied*)."""

import base64
from datetime import timedelta

from odoo import fields

from ..tools.bank_files import camt053

COMPANY_IBAN = "NL91ABNA0417164300"
# the customers' accounts (valid IBANs: check digits by ISO 13616)
ON_ITS_WAY_IBAN = "NL02ABNA0123456789"
PARTIAL_IBAN = "NL20INGB0001234567"

REPLY = """From: {name} <{email}>
To: {to}
Subject: Re: {subject}
Message-ID: <demo-reply-{partner_id}@customer.example>
In-Reply-To: {message_id}
References: {message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Goedemiddag,

Factuur {invoice} klopt niet: de levering was niet compleet, twee dozen zijn niet
ontvangen. Wij betalen het deel dat wel geleverd is op 15 december.

Met vriendelijke groet,
{name}
"""


def prepare(env, company):
    """The company's invoices carry an RF creditor reference, as the QR code pays them."""
    env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")]).write(
        {"invoice_reference_model": "euro", "invoice_reference_type": "invoice"}
    )


def generate(env, company):
    company = env["res.company"].browse(company.id)
    today = fields.Date.context_today(company)
    journal = _bank_journal(env, company)
    if not journal:
        return
    customers = _customers(env, company, today)
    if not customers:
        return
    held, on_its_way, partial = customers
    entries = [
        {
            "amount": invoice.amount_residual,
            "name": held.name,
            "iban": "NL39RABO0300065264",
            "reference": invoice.payment_reference.replace(" ", ""),
        }
        for invoice in _overdue(env, company, held, today)
    ]
    # all it owes overdue, naming one invoice: held back until the bookkeeper matches it
    invoices = _overdue(env, company, on_its_way, today)
    _bank_account(env, on_its_way, ON_ITS_WAY_IBAN)
    entries.append(
        {
            "amount": round(sum(invoices.mapped("amount_residual")), 2),
            "name": on_its_way.name,
            "iban": ON_ITS_WAY_IBAN,
            "text": f"Betaling factuur {invoices[:1].name}",
        }
    )
    invoice = _overdue(env, company, partial, today)[:1]
    _bank_account(env, partial, PARTIAL_IBAN)
    entries.append(
        {
            "amount": round(invoice.amount_residual * 0.4, 2),
            "name": partial.name,
            "iban": PARTIAL_IBAN,
            "text": "Eerste deel, de rest volgt",
        }
    )
    content = camt053(
        COMPANY_IBAN, company.currency_id.name, today - timedelta(days=1), entries, "DEMO-1"
    )
    env["account.statement.import"].with_context(journal_id=journal.id).create(
        {"statement_file": base64.b64encode(content), "statement_filename": "camt053.xml"}
    ).import_file_button()
    _reply(env, company, exclude=(held, on_its_way, partial))


def _bank_journal(env, company):
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
    )
    if journal and not journal.bank_account_id:
        account = company.partner_id.bank_ids.filtered(
            lambda b: b.sanitized_acc_number == COMPANY_IBAN
        )[:1]
        journal.bank_account_id = account
    return journal if journal.bank_account_id else None


def _bank_account(env, partner, iban):
    if not partner.bank_ids.filtered(lambda b: b.sanitized_acc_number == iban):
        env["res.partner.bank"].sudo().create({"acc_number": iban, "partner_id": partner.id})


def _overdue(env, company, partner, today):
    return env["account.move"].search(
        [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("commercial_partner_id", "=", partner.id),
            ("amount_residual", ">", 0),
            ("invoice_date_due", "<", today),
            ("ar_is_disputed", "=", False),
            ("ar_in_collection", "=", False),
            ("ar_in_payment_plan", "=", False),
        ],
        order="invoice_date_due",
    )


def _customers(env, company, today):
    """``(held, on its way, partial)``: a customer on hold by the follow-up with the fewest
    overdue invoices, and two other customers with overdue invoices whose next level is due
    today (their invoices not in a collection case, a dispute or a payment plan)."""
    Partner = env["res.partner"].with_company(company)
    candidates = [
        partner
        for partner in Partner.search([("is_company", "=", True), ("customer_rank", ">", 0)])
        if _overdue(env, company, partner, today)
        and all(i.payment_reference for i in _overdue(env, company, partner, today))
    ]
    held = [
        p
        for p in candidates
        if p.ar_credit_hold and p.ar_account_id.credit_hold_origin == "followup"
    ]
    if not held:
        return None
    held = min(held, key=lambda p: len(_overdue(env, company, p, today)))
    # today's run acts on them (a level is due): it listens before it does
    others = [
        p
        for p in candidates
        if not p.ar_credit_hold
        and p != held
        and p.ar_next_followup_date
        and p.ar_next_followup_date <= today
    ]
    if len(others) < 2:
        return None
    return held, others[0], others[1]


def _reply(env, company, exclude):
    """A customer's reply to its last reminder, as the incoming mail server brings it: the
    delivery was incomplete (a dispute, maybe) and it names a date (a promise, maybe)."""
    History = env["ar.followup.history"]
    for partner in env["res.partner"].search([("is_company", "=", True)], order="id"):
        if partner in exclude:
            continue
        last = History.search(
            [("partner_id", "=", partner.id), ("channel", "=", "email"), ("mail_id", "!=", False)],
            order="date desc, id desc",
            limit=1,
        )
        message = last.mail_id.mail_message_id
        if not (message and partner.email):
            continue
        invoice = last.move_ids[:1]
        raw = REPLY.format(
            name=partner.name,
            email=partner.email,
            to=company.email or "debiteuren@example.com",
            subject=message.subject or "",
            partner_id=partner.id,
            message_id=message.message_id,
            invoice=invoice.name or "",
        )
        env["mail.thread"].message_process(None, raw.encode())
        return partner
    return None
