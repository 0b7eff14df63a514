# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The demo data of ar_followup, generated (dates relative to the day the demo is made):
``generate(env, company_ids)``, called by ``demo/ar_followup_demo.xml`` (through
``res.company._ar_followup_demo_data``) and by ``scripts/demo.sh``. Deterministic (seeded):
every step below draws from the same random generator, in this order."""

import random
from datetime import datetime, time, timedelta

from odoo import Command, fields

from .company import company_bank_account, company_logo, demo_interest_rates

SEED = 20261124

# the demo's 14-day letter on paper (its customers read Dutch)
FOURTEEN_DAY_LETTER_NL = (
    "<p>Geachte heer, mevrouw,</p>"
    "<p>Ondanks onze eerdere herinneringen zijn de hieronder als vervallen gemarkeerde facturen "
    "nog altijd niet betaald: samen {amount_overdue}.</p>"
    "<p>Wij stellen u in de gelegenheid dit bedrag binnen 14 dagen na de dag van ontvangst van "
    "deze brief te betalen, zonder extra kosten. Hebt u niet binnen die termijn betaald, dan "
    "brengen wij u incassokosten in rekening van {collection_costs}, naast de wettelijke "
    "rente.</p>"
    "<p>Met vriendelijke groet,<br/>{company}</p>"
)

ACCOUNT_MANAGERS = (("Sanne de Vries", "sanne"), ("Pieter Janssens", "pieter"))

# name, language, e-mail address (one has none)
CUSTOMERS = (
    ("Bakkerij Van Dam B.V.", "nl_NL", "info@bakkerijvandam.example.nl"),
    ("Houthandel Jansen", "nl_NL", "administratie@houthandeljansen.example.nl"),
    ("Brouwerij De Gouden Leeuw", "nl_NL", "finance@goudenleeuw.example.be"),
    ("Installatiebedrijf Smit", "nl_NL", "boekhouding@smit.example.nl"),
    ("Drukkerij Peeters BV", "nl_NL", "facturen@peeters.example.be"),
    ("Tuincentrum Groen", "nl_NL", "info@tuincentrumgroen.example.nl"),
    ("Autobedrijf Visser", "nl_NL", False),
    ("Schildersbedrijf Bakker", "nl_NL", "info@schildersbakker.example.nl"),
    ("Café De Hoek", "nl_NL", "dehoek@example.nl"),
    ("Fietsenwinkel Mulder", "nl_NL", "mulder@example.nl"),
    ("Northwind Traders Ltd", "en_US", "accounts@northwind.example.com"),
    ("Blue Harbour Logistics", "en_US", "ap@blueharbour.example.com"),
    ("Kingsley & Partners", "en_US", "billing@kingsley.example.co.uk"),
    ("Green Valley Foods", "en_US", "finance@greenvalley.example.com"),
    ("Atlas Engineering", "en_US", "invoices@atlas.example.com"),
    ("Maison Dubois SPRL", "en_US", "compta@dubois.example.be"),
    ("Nordic Timber AB", "en_US", "ekonomi@nordictimber.example.se"),
    ("Riverside Dental Clinic", "en_US", "office@riverside.example.com"),
    ("Sunrise Hotels", "en_US", "ap@sunrise.example.com"),
    ("Oak & Iron Furniture", "en_US", "accounts@oakiron.example.com"),
)

# the business customers' VAT numbers: with them Odoo's fiscal positions apply (the Dutch
# chart's domestic one at home, 21 % BTW; abroad its intra-EU B2B reverse charge, and outside
# the EU export, at 0 %)
VAT_NUMBERS = {
    "Bakkerij Van Dam B.V.": "NL812345678B01",
    "Houthandel Jansen": "NL813580249B01",
    "Installatiebedrijf Smit": "NL814814827B01",
    "Tuincentrum Groen": "NL816049397B01",
    "Autobedrijf Visser": "NL817283973B01",
    "Schildersbedrijf Bakker": "NL818518546B01",
    "Café De Hoek": "NL819753117B01",
    "Fietsenwinkel Mulder": "NL820987694B01",
    "Brouwerij De Gouden Leeuw": "BE0412345614",
    "Drukkerij Peeters BV": "BE0423456765",
    "Maison Dubois SPRL": "BE0434567819",
    "Nordic Timber AB": "SE556000000101",
    "Northwind Traders Ltd": "GB123456041",
    "Blue Harbour Logistics": "GB234567008",
    "Kingsley & Partners": "GB345678030",
    "Green Valley Foods": "GB456789039",
    "Atlas Engineering": "GB567890036",
    "Riverside Dental Clinic": "GB678901001",
    "Sunrise Hotels": "GB789012018",
    "Oak & Iron Furniture": "GB890123003",
}

# a postal address for each customer (letters go by post): street, zip, city, country
ADDRESSES = (
    ("Dorpsstraat 12", "1191 BK", "Ouderkerk aan de Amstel", "nl"),
    ("Industrieweg 40", "3401 MA", "IJsselstein", "nl"),
    ("Grote Markt 7", "2000", "Antwerpen", "be"),
    ("Energieweg 3", "3542 DZ", "Utrecht", "nl"),
    ("Brusselsesteenweg 101", "9000", "Gent", "be"),
    ("Tuinbouwweg 18", "2645 EE", "Delfgauw", "nl"),
    ("Garageweg 5", "7511 JJ", "Enschede", "nl"),
    ("Schildersstraat 22", "3011 AB", "Rotterdam", "nl"),
    ("Hoekstraat 1", "5211 CD", "'s-Hertogenbosch", "nl"),
    ("Fietspad 9", "9711 LH", "Groningen", "nl"),
    ("12 Harbour Road", "E14 5AB", "London", "gb"),
    ("4 Dockside Way", "L3 1DP", "Liverpool", "gb"),
    ("27 Chancery Lane", "WC2A 1PL", "London", "gb"),
    ("8 Valley Road", "BS1 4DJ", "Bristol", "gb"),
    ("91 Foundry Street", "M4 6EE", "Manchester", "gb"),
    ("Avenue Louise 250", "1050", "Bruxelles", "be"),
    ("Sågverksgatan 3", "411 04", "Göteborg", "se"),
    ("3 Riverside Walk", "YO1 7EH", "York", "gb"),
    ("55 Sunrise Boulevard", "EH1 1YZ", "Edinburgh", "gb"),
    ("2 Oak Lane", "OX1 2JD", "Oxford", "gb"),
)

PHONE_PREFIXES = {"nl": "+31 20 555 ", "be": "+32 3 555 ", "gb": "+44 20 7946 "}
PRODUCTS = (
    "Consultancy",
    "Delivery of goods",
    "Installation",
    "Maintenance contract",
    "Spare parts",
)
PRICES = (45.0, 120.0, 250.0, 399.0, 875.5, 1250.0)

# name, e-mail address, street, zip, city, country of the consumers on the 14-day letter
CONSUMERS = (
    ("J. de Boer", "j.deboer@example.nl", "Kerkstraat 4", "1017 GC", "Amsterdam", "nl"),
    ("K. Visser", False, "Molenweg 8", "8011 AB", "Zwolle", "nl"),
    ("M. Peeters", "m.peeters@example.be", "Naamsestraat 30", "3000", "Leuven", "be"),
)
# name (English, Dutch), delay, template, claims costs and interest of the consumers' policy's
# levels: every user reads them in its language (#33: English users read Dutch level names)
CONSUMER_LEVELS = (
    (("Reminder", "Herinnering"), 7, "reminder", True),
    (("14-day letter", "Veertiendagenbrief"), 14, "fourteen_day_letter", True),
    (("Final notice", "Laatste aanmaning"), 35, "final_notice", True),
)
CONSUMER_POLICY = ("Consumers (14-day letter)", "Consumenten (veertiendagenbrief)")


def generate(env, company_ids):
    """Demo: about 20 customers and 100 posted invoices due from 60 days ago to 30 days
    from now (a few partially paid; the business customers with VAT numbers, under Odoo's
    fiscal positions), two account managers, two disputes, collection costs for three consumers,
    statutory interest rates for the demo's dates, eight weeks of follow-up history; the
    company's bank account and logo. Nothing without a sales journal."""
    rng = random.Random(SEED)
    company = env["res.company"].browse(company_ids).exists()[:1]
    if not company or not env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
    ):
        return
    env = env(
        context=dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    )
    company = env["res.company"].browse(company.id)
    today = fields.Date.context_today(company)
    lang_nl = env["res.lang"]._activate_lang("nl_NL") and "nl_NL"
    lang_gb = (env["res.lang"]._activate_lang("en_GB") and "en_GB") or "en_US"
    company_bank_account(env, company)
    company_logo(company)
    demo_interest_rates(env, today)
    _credit_controller(env, company)
    managers = _account_managers(env, company, lang_nl)
    partners = _customers(env, company, managers, lang_nl, lang_gb)
    _portal_login(env, company, partners[10])
    term = env.ref("account.account_payment_term_30days", raise_if_not_found=False)
    # the company's sales tax (21% BTW with the Dutch chart of accounts)
    taxes = company.account_sale_tax_id
    invoices = _invoices(env, company, partners, today, term, taxes, rng)
    _partial_payments(env, invoices, today)
    _early_discount_invoice(env, company, partners[10], today, taxes)
    _disputes(env, company, partners, invoices)
    _collection_costs(env, company, today, term, taxes, rng)
    _history(env, company, today)
    _collection_cases(env, company, partners, today)


def _credit_controller(env, company):
    """The administrator, the company's first credit-control manager, gets a name and a
    direct line: dossiers and e-mails name their sender as the creditor's contact."""
    admin = env.ref("base.user_admin", raise_if_not_found=False)
    if admin and admin.name == "Administrator" and admin in company._ar_credit_manager():
        admin.partner_id.write(
            {
                "name": "Marieke Bakker",
                "function": "Credit controller",
                "email": "marieke.bakker@example.com",
                "phone": "+31 20 555 0140",
            }
        )


def _account_managers(env, company, lang_nl):
    """Two credit-control users, the customers' account managers."""
    user_group = env.ref("ar_followup.group_ar_user")
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@example.com",
                    "lang": lang_nl or "en_US",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.link(user_group.id)],
                }
                for name, login in ACCOUNT_MANAGERS
            ]
        )
    )


def _customers(env, company, managers, lang_nl, lang_gb):
    """The 20 customers (Dutch, Belgian, English-speaking; some with an account manager),
    one with a separate invoice address."""
    vals_list = []
    for index, (name, lang, email) in enumerate(CUSTOMERS):
        street, zip_code, city, country = ADDRESSES[index]
        vals_list.append(
            {
                "name": name,
                "is_company": True,
                "email": email,
                "vat": VAT_NUMBERS.get(name, False),
                "street": street,
                "zip": zip_code,
                "city": city,
                # Odoo names the United Kingdom base.uk
                "country_id": env.ref("base." + {"gb": "uk"}.get(country, country)).id,
                "phone": PHONE_PREFIXES.get(country, "+46 31 555 ") + f"{index:04d}",
                # British customers read British dates
                "lang": (lang_gb if country == "gb" else lang)
                if lang == "en_US" or lang_nl
                else "en_US",
                "user_id": managers[index % 2].id if index % 3 == 0 else False,
                "company_id": False,
            }
        )
    partners = env["res.partner"].create(vals_list)
    partners[1].with_company(company).ar_followup_responsible_id = managers[1]
    env["res.partner"].create(
        {
            "name": "Crediteurenadministratie",
            "type": "invoice",
            "parent_id": partners[2].id,
            "email": "crediteuren@goudenleeuw.example.be",
            "lang": partners[2].lang,
        }
    )
    return partners


def _portal_login(env, company, customer):
    """A customer's portal login (statement, payment, disputes, payment plans):
    northwind / northwind."""
    contact = env["res.partner"].create(
        {
            "name": "Emma Clarke",
            "parent_id": customer.id,
            "email": "emma.clarke@northwind.example.com",
            "lang": "en_US",
        }
    )
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "login": "northwind",
            "password": "northwind",
            "partner_id": contact.id,
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set(env.ref("base.group_portal").ids)],
        }
    )


def _invoices(env, company, partners, today, term, taxes, rng):
    """100 posted invoices due from 60 days ago to 30 days from now, round the customers."""
    partner_taxes = _partner_taxes(env, company, partners, taxes)
    vals_list = []
    for index in range(100):
        due = today + timedelta(days=rng.randint(-60, 30))
        partner = partners[index % len(partners)]
        line = {
            "name": rng.choice(PRODUCTS),
            "quantity": rng.randint(1, 10),
            "price_unit": rng.choice(PRICES),
            "tax_ids": [Command.set(partner_taxes[partner].ids)],
        }
        vals_list.append(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_payment_term_id": term.id if term else False,
                **({} if term else {"invoice_date_due": due}),
                "invoice_line_ids": [Command.create(line)],
            }
        )
    invoices = env["account.move"].with_company(company).create(vals_list)
    invoices.action_post()
    return invoices


def _partner_taxes(env, company, partners, taxes):
    """``{partner: taxes}``: ``taxes`` mapped by the fiscal position Odoo gives each
    partner (by its country and VAT number, as on an invoice made by hand): an invoice
    line's explicit taxes are not mapped by Odoo."""
    FiscalPosition = env["account.fiscal.position"].with_company(company)
    return {
        partner: FiscalPosition._get_fiscal_position(partner).map_tax(taxes) for partner in partners
    }


def _early_discount_invoice(env, company, customer, today, taxes):
    """An invoice of three days ago whose terms give 2% for paying within 10 days (net 30):
    its reminders, statement, pay page and QR code show the discounted amount for a week."""
    term = env["account.payment.term"].create(
        {
            "name": "2% binnen 10 dagen, netto 30 dagen",
            "company_id": company.id,
            "early_discount": True,
            "discount_percentage": 2,
            "discount_days": 10,
            "early_pay_discount_computation": "included",
            "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
        }
    )
    invoice = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=3),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Spring inventory",
                            "quantity": 4,
                            "price_unit": 250.0,
                            "tax_ids": [
                                Command.set(
                                    _partner_taxes(env, company, customer, taxes)[customer].ids
                                )
                            ],
                        }
                    )
                ],
            }
        )
    )
    invoice.action_post()


def _partial_payments(env, invoices, today):
    """Every ninth invoice half paid."""
    for invoice in invoices[::9]:
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "amount": round(invoice.amount_residual / 2, 2),
                "payment_date": min(today, invoice.invoice_date_due),
            }
        )._create_payments()


def _disputes(env, company, partners, invoices):
    """Two disputes of an invoice each (a disputed amount is not chased)."""
    Dispute = env["ar.dispute"].with_company(company)
    for partner, reason, description in (
        (partners[0], "quality", "Twee dozen met beschadigde verpakking."),
        (partners[12], "pricing", "The unit price differs from the quotation."),
    ):
        invoice = invoices.filtered(lambda m, p=partner: m.partner_id == p)[:1]
        if invoice and not invoice.currency_id.is_zero(invoice.amount_residual):
            Dispute.create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "reason": reason,
                    "description": description,
                }
            )


def _collection_costs(env, company, today, term, taxes, rng):
    """Demo of the collection costs and interest: the default final notice claims them
    from businesses; three consumers (Dutch by e-mail and by post, Belgian) on a policy
    with a 14-day letter, with invoices old enough for its term to have passed."""
    default = company.ar_default_policy_id.level_ids
    default.filtered(lambda lvl: lvl.delay == 30).write(
        {"charge_costs": True, "charge_interest": True}
    )
    policy = _consumer_policy(env, company)
    consumers = _consumers(env, company, policy)
    _consumer_invoices(env, company, consumers, today, term, taxes, rng)


def _consumer_policy(env, company):
    """The consumers' policy: a reminder, the 14-day letter, a final notice, all claiming
    collection costs and interest."""
    templates = {
        name: env.ref(f"ar_followup.mail_template_{name}").id
        for name in ("reminder", "fourteen_day_letter", "final_notice")
    }
    policy = env["ar.followup.policy"].create(
        {
            "name": CONSUMER_POLICY[0],
            "company_id": company.id,
            "level_ids": [
                Command.create(
                    {
                        "name": name[0],
                        "sequence": sequence,
                        "delay": delay,
                        "send_email": True,
                        "mail_template_id": templates[template],
                        "charge_costs": costs,
                        "charge_interest": costs,
                        "is_fourteen_day_letter": template == "fourteen_day_letter",
                        "is_final_notice": template == "final_notice",
                        "letter_text": FOURTEEN_DAY_LETTER_NL
                        if template == "fourteen_day_letter"
                        else False,
                    }
                )
                for sequence, (name, delay, template, costs) in enumerate(CONSUMER_LEVELS, start=1)
            ],
        }
    )
    if env["res.lang"]._lang_get("nl_NL"):
        policy.update_field_translations("name", {"nl_NL": CONSUMER_POLICY[1]})
        for level, (name, *_rest) in zip(
            policy.level_ids.sorted("delay"), CONSUMER_LEVELS, strict=True
        ):
            level.update_field_translations("name", {"nl_NL": name[1]})
    return policy


def _consumers(env, company, policy):
    """Three consumers (one without e-mail address: letters by post) on ``policy``."""
    consumers = env["res.partner"].create(
        [
            {
                "name": name,
                "is_company": False,
                "email": email,
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": env.ref(f"base.{country}").id,
                "lang": (env["res.lang"]._activate_lang("nl_NL") and "nl_NL") or "en_US",
                "company_id": False,
            }
            for name, email, street, zip_code, city, country in CONSUMERS
        ]
    )
    for consumer in consumers:
        consumer.with_company(company).ar_followup_policy_id = policy
    return consumers


def _consumer_invoices(env, company, consumers, today, term, taxes, rng):
    """Two posted invoices per consumer, due 50 and 45 days ago."""
    partner_taxes = _partner_taxes(env, company, consumers, taxes)
    env["account.move"].with_company(company).create(
        [
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": consumer.id,
                "invoice_date": today - timedelta(days=80 - shift),
                "invoice_payment_term_id": term.id if term else False,
                **({} if term else {"invoice_date_due": today - timedelta(days=50 - shift)}),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Levering en montage",
                            "quantity": 1,
                            "price_unit": rng.choice([180.0, 240.0, 410.0]),
                            "tax_ids": [Command.set(partner_taxes[consumer].ids)],
                        }
                    )
                ],
            }
            for consumer in consumers
            for shift in (0, 5)
        ]
    ).action_post()


def _history(env, company, today):
    """A realistic history: the weekly follow-up of the last eight weeks. Its e-mails stay in
    the customers' chatter; they are recorded as sent then (the mail queue leaves them), the
    e-mails of today's run go through the mail queue for real."""
    Run = env["ar.followup.run"].with_company(company)
    for weeks_ago in range(8, 0, -1):
        run = Run.process(today - timedelta(weeks=weeks_ago))
        mails = run.history_ids.mail_id.sudo()
        mails.write({"state": "sent"})
        env["ar.followup.history"]._ar_mails_processed(mails)
        letters = run.history_ids.filtered(lambda h: h.channel == "letter")
        if letters:
            letters.action_print_letters()
        # sent and printed on the day of their run, not today
        run.history_ids.filtered("delivery_date").sudo().write(
            {"delivery_date": datetime.combine(run.date, time(9, 0))}
        )


def _collection_cases(env, company, partners, today):
    """A collection agency (the company's default; 15 % commission, it keeps the collection
    costs) with two cases handed over today, after the replayed history: one open, one paid
    through the agency (its remittance posted)."""
    _collection_agency(env, company)
    Case = env["ar.collection.case"].with_company(company)
    cases = []
    for partner in partners:
        if len(cases) == 2:
            break
        if partner.name in ("Houthandel Jansen", "Northwind Traders Ltd"):
            continue
        invoices = Case._ar_overdue_invoices(partner, today).filtered(
            lambda m: m.invoice_date_due < today - timedelta(days=30)
        )
        if invoices:
            cases.append(
                Case.create(
                    {
                        "partner_id": partner.id,
                        "move_ids": [Command.set(invoices.ids)],
                        "notify_customer": True,
                        "user_id": env.ref("base.user_admin").id,
                    }
                )
            )
    for case in cases:
        case.action_hand_over()
    if len(cases) == 2:
        paid = cases[1]
        bank = env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        principal = sum(paid._ar_principal_invoices().mapped("amount_residual"))
        # all of it: the principal and the fee invoices (costs, which the agency keeps, and
        # interest), so that the case ends paid
        fees = sum(paid._ar_fee_invoices().mapped("amount_residual"))
        interest = min(paid.amount_interest, fees)
        env["ar.collection.remittance"].create(
            {
                "case_id": paid.id,
                "journal_id": bank.id,
                "date": today,
                "principal": principal,
                "costs": fees - interest,
                "interest": interest,
                "final": True,
            }
        ).action_confirm()


def _collection_agency(env, company):
    """Incasso Noord B.V., the company's default agency, and the accounts of its
    commissions and of bad debts."""
    Account = env["account.account"].with_company(company)

    def expense(code, name):
        return Account.search(
            [("code", "=", code), ("company_ids", "in", company.id)], limit=1
        ) or Account.create(
            {
                "code": code,
                "name": name,
                "account_type": "expense",
                "company_ids": [Command.set(company.ids)],
            }
        )

    agency = env["res.partner"].create(
        {
            "name": "Incasso Noord B.V.",
            "is_company": True,
            "email": "info@incassonoord.example.nl",
            "lang": (env["res.lang"]._activate_lang("nl_NL") and "nl_NL") or "en_US",
            "street": "Stationsweg 8",
            "zip": "9726 AC",
            "city": "Groningen",
            "country_id": env.ref("base.nl").id,
        }
    )
    terms = {"kind": "agency", "commission": 15.0, "keeps_costs": True}
    env["ar.collection.agency"].create(
        {"partner_id": agency.id, "email": "nieuwezaken@incassonoord.example.nl", **terms}
    )
    company.write(
        {
            "ar_default_agency_id": agency.id,
            "ar_agency_expense_account_id": expense("461900", "Incassoprovisie").id,
            "ar_bad_debt_account_id": expense("461910", "Oninbare vorderingen").id,
        }
    )
