"""Data for the second upgrade test (scripts/test_upgrade.sh): the company-dependent fields of
the partner (ar_followup 18.0.1.8.2 and its bridges) moved into ``ar.customer.account``.

    python upgrade_accounts.py CONFIG DB populate SNAPSHOT   # 18.0.1.8.2 installed
    python upgrade_accounts.py CONFIG DB verify SNAPSHOT     # after -u of the three add-ons

``populate`` creates three companies and customers with every kind of value in each of them
(policies, responsibles, levels and next dates, paused customers, holds of every origin,
credit policies, insured limits, review dates, prepayments of every origin; a contact's
stray value; a value in one company only) and writes what the partner shows in each company
to SNAPSHOT. ``verify`` reads the same fields in each company after the upgrade and fails
(exit 1) on any value that changed, on an account missing or in excess, and on a
company-dependent column left on res_partner.
"""

import json
import re
from datetime import date

from psycopg2.extras import Json
from upgrade_data import run  # scripts/, beside this one

FIELDS = [
    "ar_followup_policy_id",
    "ar_followup_level_id",
    "ar_next_followup_date",
    "ar_followup_responsible_id",
    "ar_followup_paused_until",
    "ar_credit_hold",
    "ar_credit_hold_reason",
    "ar_credit_hold_date",
    "ar_credit_hold_origin",
    "ar_credit_policy",
    "ar_insured_limit",
    "ar_credit_review_date",
    "ar_credit_review_notified",
    "ar_prepayment_required",
    "ar_prepayment_percent",
    "ar_prepayment_origin",
    "ar_prepayment_date",
]
# the rating, the same in every company before 18.0.1.11.0, moves into each account
RATING = ["ar_credit_rating", "ar_credit_rating_date", "ar_credit_rating_source"]
# the agencies' terms move into their own model in 18.0.1.12.0
AGENCY = [
    "ar_agency_kind",
    "ar_agency_email",
    "ar_agency_commission",
    "ar_agency_keeps_costs",
    "ar_agency_email_payments",
]
D0 = date(2026, 11, 2)


def populate(env):
    main = env.company
    others = env["res.company"].create(
        [
            {"name": "Upgrade BV Twee", "currency_id": main.currency_id.id},
            {"name": "Upgrade BV Drie", "currency_id": main.currency_id.id},
        ]
    )
    companies = main | others
    env.user.company_ids |= others  # each gets its default policy when created
    admin = env.ref("base.user_admin")
    admin.company_ids |= others
    Partner = env["res.partner"]
    customers = Partner.create(
        [{"name": f"Account customer {i}", "is_company": True} for i in range(6)]
    )
    contact = Partner.create({"name": "Account contact", "parent_id": customers[0].id})
    values = {}
    for n, company in enumerate(companies):
        policy = company.ar_default_policy_id
        level = policy.level_ids.sorted("delay")[-1:]
        rows = [
            # policy, responsible, pause, level and next date
            {
                "ar_followup_policy_id": policy.id,
                "ar_followup_responsible_id": admin.id,
                "ar_followup_paused_until": date(2026, 12, 1 + n),
                "ar_followup_level_id": level.id,
                "ar_next_followup_date": date(2026, 11, 10 + n),
            },
            # held by the follow-up, with a credit policy and insurance
            {
                "ar_credit_hold": True,
                "ar_credit_hold_reason": f"Level reached ({company.name})",
                "ar_credit_hold_date": D0,
                "ar_credit_hold_origin": "followup",
                "ar_credit_policy": "block",
                "ar_insured_limit": 12500.5 + n,
                "ar_credit_review_date": date(2027, 1, 15),
                "ar_credit_review_notified": date(2026, 1, 15),
            },
            # held by hand, prepayment by hand
            {
                "ar_credit_hold": True,
                "ar_credit_hold_reason": "By hand",
                "ar_credit_hold_date": D0,
                "ar_credit_hold_origin": "manual",
                "ar_prepayment_required": True,
                "ar_prepayment_percent": 0.3333,
                "ar_prepayment_origin": "manual",
                "ar_prepayment_date": D0,
            },
            # held by a collection case, prepayment of the follow-up
            {
                "ar_credit_hold": True,
                "ar_credit_hold_reason": "Handed over",
                "ar_credit_hold_date": D0,
                "ar_credit_hold_origin": "collection",
                "ar_prepayment_required": True,
                "ar_prepayment_percent": 1.0,
                "ar_prepayment_origin": "followup",
                "ar_prepayment_date": D0,
            },
            # a new customer's prepayment, a warning policy
            {
                "ar_credit_policy": "warn",
                "ar_prepayment_required": True,
                "ar_prepayment_percent": 0.5,
                "ar_prepayment_origin": "new_customer",
                "ar_prepayment_date": D0,
            },
        ]
        if n == 0:
            # a value in the first company only
            rows.append({"ar_followup_paused_until": date(2027, 2, 1)})
        for customer, vals in zip(customers, rows, strict=False):
            customer.with_company(company).write(vals)
            values.setdefault(company.id, []).append(customer.id)
    # a contact's stray value (never read: a contact shows its company's)
    env.cr.execute(
        "UPDATE res_partner SET ar_credit_hold = jsonb_build_object(%s::text, true) WHERE id = %s",
        (main.id, contact.id),
    )
    customers[1].write(
        {
            "ar_credit_rating": "A2",
            "ar_credit_rating_date": date(2026, 10, 1),
            "ar_credit_rating_source": "Graydon",
        }
    )
    customise_templates(env, main)
    # collection agencies (their own model after 18.0.1.12.0): one with an address for new
    # cases, one whose dossiers went to the contact's e-mail
    Partner = env["res.partner"]
    Partner.create(
        {
            "name": "Agency c1",
            "is_company": True,
            "email": "info@agency-c1.example",
            "ar_agency_kind": "agency",
            "ar_agency_email": "cases@agency-c1.example",
            "ar_agency_commission": 12.5,
            "ar_agency_keeps_costs": False,
            "ar_agency_email_payments": True,
        }
    )
    Partner.create(
        {
            "name": "Agency c2",
            "is_company": True,
            "email": "office@bailiff-c2.example",
            "ar_agency_kind": "bailiff",
        }
    )
    return customers | contact, companies


def customise_templates(env, company):
    """A reminder template changed by hand (it names the customer, ``object.name``), and a
    copy of it that a level sends: 18.0.1.10.0 moves them to the reminder's model, and what
    they read of the customer is read of the reminder's customer."""
    friendly = env.ref("ar_followup.mail_template_reminder")
    # as a user's edit in each language leaves it (the ORM's write of an html_translate
    # field keeps the old terms here)
    greetings = {
        "en_US": ("<p>Dear Sir or Madam,</p>", '<p>Dear <t t-out="object.name"/>,</p>'),
        "nl_NL": ("<p>Geachte heer, mevrouw,</p>", '<p>Geachte <t t-out="object.name"/>,</p>'),
    }
    env.flush_all()
    env.cr.execute("SELECT body_html, subject FROM mail_template WHERE id = %s", (friendly.id,))
    body, subject = env.cr.fetchone()
    for lang, (greeting, named) in greetings.items():
        if lang in body:
            body[lang] = body[lang].replace(greeting, named)
        if lang in subject:
            subject[lang] = "{{ object.name }}: " + subject[lang].split(": ", 1)[-1]
    env.cr.execute(
        "UPDATE mail_template SET body_html = %s, subject = %s WHERE id = %s",
        (Json(body), Json(subject), friendly.id),
    )
    env.invalidate_all()
    # the statement PDF attached by the template (a report of the customer)
    friendly.report_template_ids = [(4, env.ref("ar_followup.action_report_statement").id)]
    copy = friendly.copy()
    copy.name = "Upgrade copy"  # (copy() names it itself)
    company.ar_default_policy_id.level_ids.sorted("delay")[:1].mail_template_id = copy


def verify_templates(env):
    """The reminder templates render on the reminder, the changed ones naming the customer in
    every language; the statement sent by hand renders on the customer's account."""
    problems = []
    Template = env["mail.template"].with_context(active_test=False)
    shipped = [
        "mail_template_courtesy",
        "mail_template_reminder",
        "mail_template_second_reminder",
        "mail_template_final_notice",
        "mail_template_fourteen_day_letter",
    ]
    friendly = env.ref("ar_followup.mail_template_reminder")
    company = env.company
    level = company.ar_default_policy_id.level_ids.sorted("delay")[:1]
    copy = level.mail_template_id
    if not copy or copy == friendly or friendly.body_html != copy.body_html:
        problems.append(f"the level sends {copy.name}, not the copy of the friendly reminder")
    templates = copy | Template.browse([env.ref(f"ar_followup.{x}").id for x in shipped])
    for template in templates:
        if template.model != "ar.followup.reminder":
            problems.append(f"template {template.name} still renders on {template.model}")
    if (friendly | copy).report_template_ids:
        problems.append("a reminder template still attaches a report of the customer")
    if not level.attach_statement:
        problems.append("the level that sent the statement by its template no longer does")
    # 18.0.1.12.0: the statement sent by hand renders on the customer's account, with the
    # account's statement attached, and still renders
    statement = env.ref("ar_followup.mail_template_statement")
    if statement.model != "ar.customer.account":
        problems.append(f"the statement sent by hand renders on {statement.model}")
    if statement.report_template_ids != env.ref("ar_followup.action_report_account_statement"):
        problems.append("the statement sent by hand does not attach the account's statement")
    account = env["ar.customer.account"].search([], limit=1)
    body = statement._render_field("body_html", account.ids)[account.id]
    if "the statement of your account" not in str(body):
        problems.append("the statement sent by hand renders without its statement")
    customer = env["res.partner"].search([("name", "=", "Account customer 0")])
    reminder = env["ar.followup.reminder"].new(
        {
            "company_id": company.id,
            "date": D0,
            "partner_id": customer.id,
            "level_id": level.id,
            "channel": "email",
        }
    )
    for template in friendly | copy:
        for lang in ("en_US", "nl_NL"):
            localized = template.with_context(lang=lang)
            if re.search(r"object\.name\b", localized.body_html + localized.subject):
                problems.append(f"{template.name} ({lang}) still reads object.name")
            body = localized._render_field("body_html", [reminder.id])[reminder.id]
            subject = localized._render_field("subject", [reminder.id])[reminder.id]
            if customer.name not in body or customer.name not in subject:
                problems.append(f"{template.name} ({lang}) does not name the customer")
            if company.name not in body:
                problems.append(f"{template.name} ({lang}) does not name the company")
    return problems, len(templates)


def snapshot(env):
    """What each partner shows in each company: its own fields before 18.0.1.11.0, its
    account's after (the partner keeps the follow-up fields; the credit data are the
    account's page's, ``ar_`` + the account's field)."""
    partners = env["res.partner"].search([("name", "like", "Account c")], order="id")
    companies = env["res.company"].search([], order="id")
    Account = env.get("ar.customer.account")  # none before 18.0.1.9.0
    on_partner = [name for name in FIELDS + RATING if name in partners._fields]
    on_account = [name for name in FIELDS + RATING if name not in partners._fields]
    data = {}
    for company in companies:
        rows = partners.with_company(company).read(on_partner, load=None)
        accounts = Account._ar_get(partners, company, create=False) if on_account else {}
        for row, partner in zip(rows, partners.with_company(company), strict=True):
            if not on_account:
                continue
            account = accounts.get(partner.commercial_partner_id.id) or Account.new({})
            for name in on_account:
                value = account[name[3:]]
                row[name] = value.id if hasattr(value, "_name") else value
        data[str(company.id)] = {str(row.pop("id")): row for row in rows}
    data["agencies"] = agencies(env)
    return json.loads(json.dumps(data, default=str))


def agencies(env):
    """``{name: terms}`` of the collection agencies: the partner's fields before 18.0.1.12.0,
    ``ar.collection.agency`` after; the address of new cases as the dossiers went to it."""
    Agency = env.get("ar.collection.agency")
    if Agency is None:
        partners = env["res.partner"].search([("ar_agency_kind", "!=", False)], order="name")
        return {
            p.name: [
                p.ar_agency_kind,
                p.ar_agency_email or p.email,
                p.ar_agency_commission,
                p.ar_agency_keeps_costs,
                p.ar_agency_email_payments,
            ]
            for p in partners
        }
    return {
        a.partner_id.name: [a.kind, a.email, a.commission, a.keeps_costs, a.email_payments]
        for a in Agency.sudo().search([])
    }


def verify(env, before):
    problems = []
    after = snapshot(env)
    checked = 0
    partners = env["res.partner"].search([("name", "like", "Account c")])
    contact = partners.filtered(lambda p: p.parent_id)
    if after["agencies"] != before["agencies"] or len(before["agencies"]) != 2:
        problems.append(f"agencies {before['agencies']!r} became {after['agencies']!r}")
    # one record per agency and company (the contacts are of no company: every company)
    companies = env["res.company"].search_count([])
    if env["ar.collection.agency"].sudo().search_count([]) != 2 * companies:
        problems.append(f"not one agency record per agency and company ({companies} companies)")
    checked += 5 * len(before["agencies"])
    for company_id, rows in before.items():
        if company_id == "agencies":
            continue
        for pid, values in rows.items():
            now = after.get(company_id, {}).get(pid)
            if now is None:
                problems.append(f"partner {pid} in company {company_id}: missing")
                continue
            if int(pid) in contact.ids:
                # a contact shows its company's values now (its own were never read)
                values = rows[str(contact.browse(int(pid)).parent_id.id)]
            for name, value in values.items():
                checked += 1
                if now.get(name) != value:
                    problems.append(
                        f"partner {pid} in company {company_id}: {name} {value!r} became "
                        f"{now.get(name)!r}"
                    )
    # an account for each customer and company with a value, none for the contact
    Account = env["ar.customer.account"]
    if Account.search_count([("partner_id", "in", contact.ids)]):
        problems.append("an account was created for a contact")
    expected = sum(
        1
        for company_id, rows in before.items()
        if company_id != "agencies"
        for pid, values in rows.items()
        if int(pid) not in contact.ids and any(v for v in values.values())
    )
    found = Account.search_count([("partner_id", "in", partners.ids)])
    if found != expected:
        problems.append(f"{found} accounts for {expected} customers and companies with values")
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'"
        " AND column_name = ANY(%s)",
        (FIELDS + RATING + AGENCY,),
    )
    left = [row[0] for row in env.cr.fetchall()]
    if left:
        problems.append(f"columns of the account's data left on res_partner: {left}")
    return problems, checked


def main():
    def verify_values(env, before):
        problems, checked = verify(env, before)
        template_problems, templates = verify_templates(env)
        return (
            problems + template_problems,
            f"{checked} values of partners per company, {templates} reminder templates",
        )

    run(populate, snapshot, verify_values)


if __name__ == "__main__":
    main()
