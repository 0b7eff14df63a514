# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo (``make demo``): a credit insurer and two customers it insures, made before today's
run, which then does the insurer's duties:

* *Bouwbedrijf De Verzekerde B.V.*, insured for 25,000.00 EUR: one invoice past its
  notification deadline, never reported (today's run flags it uninsured, so the account shows
  it as uninsured exposure), one to report within the deadline (in *Insurer Notifications*);
* *Transport Zekerheid B.V.*, insured for 15,000.00 EUR: an invoice unpaid for longer than
  the insurer's maximum credit period, reported in time (today's run puts it on credit hold,
  origin insurer; it can be claimed)."""

from datetime import timedelta

from odoo import Command, fields

INSURER_TERMS = {
    "ar_max_credit_days": 90,
    "ar_notification_days": 45,
    "ar_claim_days": 150,
    "ar_warning_days": 7,
}


def generate(env, company):
    """The insurer, its policy states, the two customers and their invoices (posted)."""
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    today = fields.Date.context_today(company)
    contact = env["res.partner"].create(
        {
            "name": "Noordzee Kredietgarant N.V.",
            "is_company": True,
            "email": "schade@kredietverzekeraar.example.nl",
            "lang": "nl_NL",
            "country_id": env.ref("base.nl").id,
        }
    )
    insurer = env["credit.policy.company"].create(
        {"name": "Noordzee Kredietgarant", "partner_id": contact.id, **INSURER_TERMS}
    )
    granted = env["credit.policy.state"].create(
        {"name": "Limiet toegekend", "insure_invoices": True}
    )
    env["credit.policy.state"].create({"name": "Limiet geweigerd", "insure_invoices": False})
    customers = env["res.partner"].create(
        [
            {
                "name": name,
                "is_company": True,
                "email": email,
                "lang": "nl_NL",
                "country_id": env.ref("base.nl").id,
                "phone": "+31 30 123 4567",
                "credit_policy_company_id": insurer.id,
                "credit_policy_state_id": granted.id,
                "insurance_credit_limit": limit,
                "risk_insurance_grant_date": today - timedelta(days=200),
                "risk_insurance_code": code,
                "street": street,
                "zip": zip_code,
                "city": city,
                "vat": vat,
                "company_registry": registry,
            }
            for name, email, limit, code, (street, zip_code, city), vat, registry in (
                (
                    "Bouwbedrijf De Verzekerde B.V.",
                    "crediteuren@deverzekerde.example.nl",
                    25000.0,
                    "KV-10231",
                    ("Bouwlaan 12", "3511 AB", "Utrecht"),
                    "NL812345678B01",
                    "30123456",
                ),
                (
                    "Transport Zekerheid B.V.",
                    "administratie@zekerheid.example.nl",
                    15000.0,
                    "KV-10232",
                    ("Havenweg 7", "3089 JK", "Rotterdam"),
                    "NL823456705B01",
                    "24123457",
                ),
            )
        ]
    )
    taxes = company.account_sale_tax_id
    invoices = (
        env["account.move"]
        .with_company(company)
        .create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "invoice_date": today - timedelta(days=overdue + 30),
                    "invoice_date_due": today - timedelta(days=overdue),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Bouwmaterialen",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    ],
                }
                for partner, overdue, amount in (
                    (customers[0], 50, 6200.0),  # past the notification deadline (45 days)
                    (customers[0], 20, 14800.0),  # to report within 25 days
                    (customers[1], 95, 4300.0),  # past the maximum credit period (90 days)
                )
            ]
        )
    )
    invoices.action_post()
    # the transporter's invoice was reported in time (it can be claimed)
    invoices[2].sudo().write({"ar_insurer_notified_date": today - timedelta(days=60)})
    return insurer
