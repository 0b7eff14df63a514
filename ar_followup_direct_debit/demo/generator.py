# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo (``make demo``): SEPA direct debit, made before today's run.

* the company collects by SEPA direct debit: its creditor identifier, its bank journal's
  *SEPA Direct Debit* method and the payment mode *SEPA-incasso*;
* *Groothandel Automatisch B.V.*, a CORE mandate: its invoice due 5 days ago was collected
  (a payment order, its file generated and uploaded: paid), the one due in 10 days waits for
  its collection (its statement says *collected by direct debit on*);
* *Bakkerij De Terugboeking V.O.F.*, a CORE mandate: its invoice, due 6 days ago, was
  collected today and its bank returned the debit the same day (insufficient funds: the
  order's payments are dated today, so the return cannot come before), imported from the
  bank's PAIN.002 file with OCA's wizard: the invoice is open again, the customer got the
  e-mail at once and today's run chases it;
* the levels from the friendly reminder on offer direct debit on the statement page, and
  *Drukkerij Online Getekend B.V.* signed its mandate there (through its reminder's statement
  link), its next invoices collected."""

import base64
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.ar_followup.demo.company import company_bank_account

from ..tools.return_files import pain002

CREDITOR_ID = "NL69ZZZ123456780000"


def generate(env, company):
    """The direct debit set-up, the two customers, their invoices, the order and the return."""
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    today = fields.Date.context_today(company)
    mode, journal = _setup(env, company)
    customers = {}
    for name, email, iban, reference in (
        (
            "Groothandel Automatisch B.V.",
            "finance@automatisch.example.nl",
            "NL67INGB0006543210",
            "ARDD-DEMO-1",
        ),
        (
            "Bakkerij De Terugboeking V.O.F.",
            "info@terugboeking.example.nl",
            "NL25ABNA0587123456",
            "ARDD-DEMO-2",
        ),
    ):
        partner = env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": email,
                "lang": "nl_NL",
                "country_id": env.ref("base.nl").id,
                "phone": "+31 10 123 4567",
            }
        )
        bank = env["res.partner.bank"].create({"acc_number": iban, "partner_id": partner.id})
        mandate = env["account.banking.mandate"].create(
            {
                "format": "sepa",
                "type": "recurrent",
                "recurrent_sequence_type": "first",
                "scheme": "CORE",
                "signature_date": today - timedelta(days=120),
                "partner_bank_id": bank.id,
                "company_id": company.id,
                "unique_mandate_reference": reference,
            }
        )
        mandate.validate()
        partner.with_company(company).customer_payment_mode_id = mode
        customers[name] = (partner, iban, reference)
    automatic, _iban, _ref = customers["Groothandel Automatisch B.V."]
    returned, returned_iban, returned_ref = customers["Bakkerij De Terugboeking V.O.F."]
    collected = _invoice(env, company, automatic, today - timedelta(days=5), 2420.0)
    _invoice(env, company, automatic, today + timedelta(days=10), 1815.0)
    bounced = _invoice(env, company, returned, today - timedelta(days=6), 968.0)
    order = _collect(env, collected | bounced)
    payment = order.payment_ids.filtered(lambda p: p.partner_id == returned)
    content = pain002(
        journal.bank_account_id.sanitized_acc_number,
        CREDITOR_ID,
        today,
        [
            {
                "payment_id": payment.id,
                "amount": bounced.amount_total,
                "currency": bounced.currency_id.name,
                "reason": "AM04",
                "collected": today,
                "debtor": returned.name,
                "debtor_iban": returned_iban,
                "mandate": returned_ref,
            }
        ],
        message_id="DEMO-RJCT-1",
    )
    wizard = env["payment.return.import"].create(
        {"data_file": base64.b64encode(content), "journal_id": journal.id}
    )
    action = wizard.import_file()
    env["payment.return"].browse(action["res_id"]).action_confirm()
    _offer_and_sign(env, company, today)
    return order


def _offer_and_sign(env, company, today):
    """The levels past the courtesy reminder offer the mandate; one customer signed it."""
    policy = company.ar_default_policy_id
    policy.level_ids.filtered(lambda level: level.delay > 0).write({"offer_direct_debit": True})
    printer = env["res.partner"].create(
        {
            "name": "Drukkerij Online Getekend B.V.",
            "is_company": True,
            "email": "boekhouding@getekend.example.nl",
            "lang": "nl_NL",
            "country_id": env.ref("base.nl").id,
        }
    )
    env["account.banking.mandate"]._ar_sign_online(
        printer,
        company,
        {
            "holder": "P. Drukker",
            "iban": "NL60RABO0154987321",
            "place": "Amersfoort",
            "accept": "1",
        },
        {"channel": "statement link", "ip": "203.0.113.7"},
    )
    _invoice(env, company, printer, today + timedelta(days=14), 605.0)


def _setup(env, company):
    company.sepa_creditor_identifier = company.sepa_creditor_identifier or CREDITOR_ID
    company_bank_account(env, company)
    sdd = env.ref("account_banking_sepa_direct_debit.sepa_direct_debit")
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    journal.bank_account_id = journal.bank_account_id or company.partner_id.bank_ids[:1]
    if sdd not in journal.inbound_payment_method_line_ids.payment_method_id:
        journal.inbound_payment_method_line_ids = [
            Command.create({"payment_method_id": sdd.id, "name": "SEPA-incasso"})
        ]
    mode = env["account.payment.mode"].create(
        {
            "name": "SEPA-incasso",
            "company_id": company.id,
            "payment_method_id": sdd.id,
            "bank_account_link": "fixed",
            "fixed_journal_id": journal.id,
            # the invoice prints the customer's account masked, as its pre-notification does
            "show_bank_account": "last",
            "show_bank_account_chars": 4,
        }
    )
    return mode, journal


def _invoice(env, company, partner, due, amount):
    invoice = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=14),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Maandelijkse levering",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(company.account_sale_tax_id.ids)],
                        }
                    )
                ],
            }
        )
    )
    invoice.action_post()
    return invoice


def _collect(env, invoices):
    """The invoices in one direct debit order, its SEPA file generated and uploaded."""
    action = invoices.create_account_payment_line()
    order = env["account.payment.order"].browse(action["res_id"])
    order.draft2open()
    order.open2generated()
    order.generated2uploaded()
    return order
