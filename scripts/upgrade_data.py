"""Data for the upgrade test (scripts/test_upgrade.sh).

    python upgrade_data.py CONFIG DB populate SNAPSHOT   # with the released version installed
    python upgrade_data.py CONFIG DB verify SNAPSHOT     # after ``-u ar_followup``

``populate`` creates records in every model of ar_followup through its own API (policies and
levels, follow-up runs with e-mails, activities, holds, letters and fees, a dispute, a payment
plan, a promise, an interest rate), then writes every stored field of every record to
SNAPSHOT. ``verify`` reads them again after the upgrade and fails (exit 1) on any record that is
missing or any value that changed; fields that the new version dropped or renamed must be
listed in ``RENAMED``/``DROPPED`` (the migration scripts' counterpart).
"""

import json
import math
import sys
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api

MODELS = (
    "ar.followup.policy",
    "ar.followup.level",
    "ar.followup.run",
    "ar.followup.history",
    "ar.dispute",
    "ar.payment.plan",
    "ar.payment.plan.line",
    "ar.interest.rate",
)
# ar_followup's fields on Odoo's models
EXTENDED = {
    "res.partner": [("name", "like", "Upgrade customer")],
    "account.move": [("partner_id.name", "like", "Upgrade customer")],
}
# {model: {old field name: new field name}} and {model: {field, ...}} between the versions
RENAMED = {}
DROPPED = {"ar.followup.level": {"fee_policy", "fee_fixed_amount"}}
# {model: {field, ...}} that a migration fills where it was empty (checked in check_migrations)
FILLED = {"ar.followup.level": {"letter_text"}}
# {model: ({field, ...}, which records)} that a migration rewrites (checked in check_migrations)
REWRITTEN = {
    # 18.0.1.3.0: a commercial rate's source says how it is derived from the ECB rate
    "ar.interest.rate": ({"source"}, lambda row: row["kind"] in ("nl_commercial", "be_commercial")),
}
# the partner's fields shown on its account's page since 18.0.1.11.0, where not ``ar_`` + name
MOVED_TO_ACCOUNT = {"ar_followup_history_ids": "history_ids"}
SKIPPED_FIELDS = {"write_date", "write_uid", "__last_update", "message_main_attachment_id"}
D0 = date(2026, 3, 2)


def environment(config, db):
    odoo.tools.config.parse_config(["-c", config, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    return api.Environment(registry.cursor(), SUPERUSER_ID, {"tracking_disable": True})


def _invoice(env, partner, amount, due):
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": due - timedelta(days=30),
            "invoice_date_due": due,
            "invoice_payment_term_id": False,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []}
                )
            ],
        }
    )
    move.action_post()
    return move


def populate(env):
    company = env.company
    policy = company.ar_default_policy_id
    levels = {level.delay: level for level in policy.level_ids}
    levels[14].write({"fee_policy": "fixed", "fee_fixed_amount": 15.0})
    levels[7].send_letter = "always"
    manager = env.ref("base.user_admin")
    Partner = env["res.partner"]
    customers = Partner.create(
        [
            {
                "name": f"Upgrade customer {i}",
                "is_company": True,
                "email": f"upgrade{i}@example.com",
                "phone": "+31 20 123 4567",
                "lang": lang,
                "user_id": manager.id,
            }
            for i, lang in enumerate(("en_US", "nl_NL", "en_US", "nl_NL"))
        ]
    )
    invoices = [
        _invoice(env, p, 100.0 * (i + 1), D0 - timedelta(days=10)) for i, p in enumerate(customers)
    ]
    extra = _invoice(env, customers[0], 250.0, D0 - timedelta(days=3))
    consumers = env["ar.followup.policy"].create(
        {
            "name": "Upgrade consumers",
            "company_id": company.id,
            "level_ids": [
                Command.create(
                    {
                        "name": "First",
                        "delay": 5,
                        "send_email": True,
                        "mail_template_id": levels[7].mail_template_id.id,
                    }
                ),
                Command.create(
                    {"name": "Hold", "delay": 20, "credit_hold": True, "send_email": False}
                ),
            ],
        }
    )
    customers[3].with_company(company).ar_followup_policy_id = consumers
    Run = env["ar.followup.run"].with_company(company)
    for offset in (0, 7, 14, 21, 30):
        Run.process(D0 + timedelta(days=offset))
    dispute = env["ar.dispute"].create(
        {
            "partner_id": customers[1].id,
            "move_ids": [Command.set(invoices[1].ids)],
            "reason": "quality",
            "description": "Two boxes were damaged.",
            "amount_disputed": 50.0,
        }
    )
    dispute.action_start()
    resolved = env["ar.dispute"].create(
        {
            "partner_id": customers[0].id,
            "move_ids": [Command.set(extra.ids)],
            "reason": "pricing",
            "amount_disputed": 25.0,
        }
    )
    resolved.action_resolve("Price corrected by a credit note.", credit_note=True)
    plan = env["ar.payment.plan"].create(
        {"partner_id": customers[2].id, "move_ids": [Command.set(invoices[2].ids)]}
    )
    plan._set_instalments(3, D0 + timedelta(days=40))
    plan.action_activate()
    env["ar.followup.history"].create(
        {
            "partner_id": customers[0].id,
            "company_id": company.id,
            "channel": "promise",
            "date": D0 + timedelta(days=31),
            "promise_date": D0 + timedelta(days=45),
            "promise_amount": 100.0,
            "move_ids": [Command.set(extra.ids)],
            "note": "Promised on the phone",
        }
    )
    env["ar.interest.rate"].create(
        {"kind": "nl_commercial", "date_from": date(2030, 1, 1), "rate": 10.15}
    )
    # Sales and Inventory are installed before the bridges exist: a quotation of each customer
    # (one of them held by the run's hold level), for check_bridges()
    goods = env["product.product"].create({"name": "Upgrade goods", "list_price": 80.0})
    for customer in customers:
        env["sale.order"].create(
            {
                "partner_id": customer.id,
                "client_order_ref": "UPGRADE",
                "order_line": [Command.create({"product_id": goods.id})],
            }
        )
    env.flush_all()


def _read(env, model, domain=(), names=None):
    """Every stored field of the records (or ``names``, stored or not: after an upgrade, the
    fields that the snapshot holds, wherever the new version keeps them)."""
    Model = env[model].with_context(active_test=False)
    if names is None:
        names = [
            name
            for name, field in Model._fields.items()
            if field.store
            and field.type not in ("binary",)
            and name not in SKIPPED_FIELDS
            and (model in MODELS or name.startswith("ar_") or name in ("id", "name"))
        ]
        moved = []
    else:
        # the partner's fields whose values are its account's since 18.0.1.11.0
        moved = [name for name in names if name not in Model._fields and model == "res.partner"]
        names = [name for name in names if name in Model._fields]
    records = Model.search(list(domain), order="id")
    rows = {}
    for row, record in zip(records.read(names, load=None), records, strict=True):
        account = (record.ar_account_id or env["ar.customer.account"].new({})) if moved else None
        for name in moved:
            fname = MOVED_TO_ACCOUNT.get(name, name[3:])
            value = account[fname] if fname in account._fields else False
            if hasattr(value, "_name"):
                value = value.ids if account._fields[fname].type.endswith("2many") else value.id
            row[name] = value
        rows[str(row["id"])] = {
            k: (sorted(v) if isinstance(v, list) else v) for k, v in row.items()
        }
    return json.loads(json.dumps(rows, default=str))


def snapshot(env, before=None):
    def names(model):
        if before is None:
            return None
        renamed = RENAMED.get(model, {})
        fields = next(iter(before[model].values()), {}) if before.get(model) else {}
        return [renamed.get(name, name) for name in fields]

    data = {model: _read(env, model, names=names(model)) for model in MODELS}
    for model, domain in EXTENDED.items():
        data[model] = _read(env, model, domain, names=names(model))
    return data


def verify(env, before):
    after = snapshot(env, before)
    problems = []
    counts = {}
    for model, records in before.items():
        renamed = RENAMED.get(model, {})
        dropped = DROPPED.get(model, set())
        filled = FILLED.get(model, set())
        rewritten, rewrites = REWRITTEN.get(model, (set(), None))
        counts[model] = len(records)
        for rid, values in records.items():
            now = after[model].get(rid)
            if now is None:
                problems.append(f"{model} {rid}: missing after the upgrade")
                continue
            for name, value in values.items():
                if name in dropped:
                    continue
                new_name = renamed.get(name, name)
                if new_name not in now:
                    problems.append(f"{model} {rid}: field {name} is gone (not in DROPPED)")
                elif (name in filled and not value) or (name in rewritten and rewrites(values)):
                    continue
                elif now[new_name] != value:
                    problems.append(f"{model} {rid}.{name}: {value!r} became {now[new_name]!r}")
    empty = [model for model in MODELS if not before.get(model)]
    if empty:
        problems.append(f"no data was created in {', '.join(empty)}")
    channels = {row["channel"] for row in before["ar.followup.history"].values()}
    missing = {"email", "activity", "letter", "hold", "fee", "promise"} - channels
    if missing:
        problems.append(f"no history of the channels {sorted(missing)} was created")
    problems += check_migrations(env)
    return problems, counts


def check_migrations(env):
    """What the migration scripts of the versions after the release must have done."""
    problems = []
    # 18.0.1.1.0: the reminder templates keep the e-mails they send
    for name in (
        "mail_template_courtesy",
        "mail_template_reminder",
        "mail_template_second_reminder",
        "mail_template_final_notice",
        "mail_template_fourteen_day_letter",
    ):
        if env.ref(f"ar_followup.{name}").auto_delete:
            problems.append(f"ar_followup.{name} still deletes its e-mails (18.0.1.1.0)")
    # 18.0.1.1.0: the follow-up state of invoices lives in ar_followup_move_state
    env.cr.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'account_move' "
        "AND column_name IN ('ar_followup_level_id', 'ar_last_followup_date', "
        "'ar_next_followup_date')"
    )
    if env.cr.fetchone()[0]:
        problems.append("account_move still has the follow-up state columns (18.0.1.1.0)")
    if not env["ar.followup.move.state"].search_count([("level_id", "!=", False)]):
        problems.append("no follow-up state was moved to ar_followup_move_state (18.0.1.1.0)")
    # 18.0.1.2.0: every reminder has a delivery state; the default e-mail levels a letter text
    History = env["ar.followup.history"]
    if History.search_count(
        [("channel", "in", ("email", "letter")), ("delivery_state", "=", False)]
    ):
        problems.append("reminders without a delivery state (18.0.1.2.0)")
    if not History.search_count([("channel", "=", "email"), ("delivery_state", "!=", False)]):
        problems.append("no e-mail reminder got its delivery state (18.0.1.2.0)")
    levels = env["res.company"].search([]).ar_default_policy_id.level_ids
    if levels.filtered(lambda lvl: lvl.send_email and not lvl.letter_text):
        problems.append("default e-mail levels without a letter text (18.0.1.2.0)")
    # 18.0.1.3.0: the level that charged fixed costs claims costs, by the company's amount;
    # invoices charged costs before are never charged again
    company = env.company
    if not company.ar_default_policy_id.level_ids.filtered(
        lambda lvl: lvl.delay == 14
    ).charge_costs:
        problems.append("the level that charged costs claims none (18.0.1.3.0)")
    if (company.ar_costs_b2b, company.ar_costs_b2b_fixed) != ("fixed", 15.0):
        problems.append("the company lost its fixed collection costs (18.0.1.3.0)")
    charged = History.search([("channel", "=", "fee"), ("fee_amount", ">", 0)]).move_ids
    states = env["ar.followup.move.state"].search([("move_id", "in", charged.ids)])
    if not charged or len(states.filtered("costs_date")) != len(charged):
        problems.append("invoices charged costs before are not marked so (18.0.1.3.0)")
    # 18.0.1.3.0: the commercial rates are derived from the ECB reference rates, the rate
    # entered in populate() (handelsrente 10.15% from 2030-01-01) gave its ECB rate
    Rate = env["ar.interest.rate"]
    for row in Rate.search([("kind", "in", ("nl_commercial", "be_commercial"))]):
        base = row.base_rate_id
        expected = base and (
            base.rate + 8.0
            if row.kind == "nl_commercial"
            else math.ceil(round(base.rate * 2, 6)) / 2.0 + 8.0
        )
        if not base or round(row.rate - expected, 4) or row.date_from != base.date_from:
            problems.append(f"{row.kind} {row.date_from} not derived from an ECB rate (18.0.1.3.0)")
    ecb_2030 = Rate.search([("kind", "=", "ecb_refi"), ("date_from", "=", "2030-01-01")])
    if [round(r, 4) for r in ecb_2030.mapped("rate")] != [2.15]:
        problems.append("no ECB rate 2.15% from 2030-01-01 derived from the handelsrente")
    if (
        round(ecb_2030.derived_rate_ids.filtered(lambda r: r.kind == "be_commercial").rate, 4)
        != 10.5
    ):
        problems.append("no Belgian commercial rate 10.50% derived for 2030-01-01")
    shipped = env.ref("ar_followup.rate_be_commercial_2026_01", raise_if_not_found=False)
    if not shipped or shipped.rate != 10.5:
        problems.append("the derived rates of the shipped ECB rates are not named (18.0.1.3.0)")
    return (
        problems
        + check_migrations_1_4(env)
        + check_migrations_1_5(env)
        + check_migrations_1_6(env)
        + check_bridges(env)
    )


def check_migrations_1_4(env):
    """18.0.1.4.0: a dispute says whether it is open; statement links valid 60 days."""
    problems = []
    Dispute = env["ar.dispute"]
    if Dispute.search_count([("is_open", "!=", True), ("state", "in", ("new", "in_progress"))]):
        problems.append("open disputes not marked open (18.0.1.4.0)")
    if Dispute.search_count([("is_open", "=", True), ("state", "not in", ("new", "in_progress"))]):
        problems.append("closed disputes marked open (18.0.1.4.0)")
    if env["res.company"].search([("ar_statement_link_days", "!=", 60)]):
        problems.append("companies without the default validity of statement links (18.0.1.4.0)")
    return problems


def check_migrations_1_5(env):
    """18.0.1.5.0: the SEPA QR codes need Odoo's account_qr_code_sepa, installed by the
    upgrade as a new dependency."""
    module = env["ir.module.module"].search([("name", "=", "account_qr_code_sepa")])
    if module.state != "installed":
        return ["account_qr_code_sepa not installed by the upgrade (18.0.1.5.0)"]
    return []


def check_migrations_1_6(env):
    """18.0.1.6.0: collection agencies and cases are new; nothing is handed over, no level
    hands off, no contact is an agency, and the invoices are still chased."""
    problems = []
    if env["ar.collection.case"].search_count([]):
        problems.append("collection cases made by the upgrade (18.0.1.6.0)")
    if env["account.move"].search_count([("ar_in_collection", "=", True)]):
        problems.append("invoices marked handed over by the upgrade (18.0.1.6.0)")
    if (
        env["ar.followup.level"]
        .with_context(active_test=False)
        .search_count([("handoff", "=", True)])
    ):
        problems.append("levels that hand off after the upgrade (18.0.1.6.0)")
    if env["ar.collection.agency"].search_count([]):
        problems.append("contacts made agencies by the upgrade (18.0.1.6.0)")
    # 18.0.1.6.1: the hand-over notice goes to whom the reminders go
    notice = env.ref("ar_followup.mail_template_collection_notice")
    if notice.partner_to != "{{ object.ar_followup_partner_to }}":  # (the case's, 18.0.1.12.0)
        problems.append("the hand-over notice's recipient is not the reminders' (18.0.1.6.1)")
    # 18.0.1.7.0: credit overrides are new; none is made by the upgrade
    if env["ar.credit.override"].search_count([]):
        problems.append("credit overrides made by the upgrade (18.0.1.7.0)")
    return problems


def check_bridges(env):
    """ar_followup_sale and ar_followup_stock installed into a database that had Sales and
    Inventory: their fields exist with their defaults on the existing records (nobody pays in
    advance, no level asks for it, the companies' options off), and the quotations from
    before keep what they asked, while a held customer's shows the hold."""
    problems = []
    modules = env["ir.module.module"].search(
        [("name", "in", ("ar_followup_sale", "ar_followup_stock")), ("state", "=", "installed")]
    )
    if len(modules) != 2:
        return ["the bridges ar_followup_sale and ar_followup_stock are not installed"]
    company = env.company
    if env["ar.customer.account"].search_count([("prepayment_required", "=", True)]):
        problems.append("customers made to pay in advance by the upgrade")
    levels = env["ar.followup.level"].with_context(active_test=False).search([])
    if levels.filtered("ar_prepayment") or set(levels.mapped("ar_prepayment_percent")) != {1.0}:
        problems.append("levels without the default prepayment settings (off, 100 %)")
    if (
        company.ar_prepayment_new_customers,
        company.ar_prepayment_new_customer_invoices,
        company.ar_prepayment_new_customer_percent,
        company.ar_credit_check_delivered,
        company.ar_block_delivery_over_limit,
    ) != (False, 3, 1.0, False, False):
        problems.append("the company's new credit options are not at their defaults")
    orders = env["sale.order"].search([("client_order_ref", "=", "UPGRADE")])
    if len(orders) != 4 or orders.filtered(
        lambda o: o.require_payment != company.portal_confirmation_pay
    ):
        problems.append("the quotations from before changed what they ask")
    held = orders.filtered(lambda o: o.partner_id.with_company(company).ar_credit_hold)
    if not held or held.filtered(lambda o: not o.ar_partner_credit_hold):
        problems.append("the quotation of a held customer does not show the hold")
    return problems


def run(populate_, snapshot_, verify_):
    """``CONFIG DB populate|verify SNAPSHOT``: ``populate_(env)`` and write ``snapshot_(env)``,
    or ``verify_(env, before)`` (problems, and what it checked), exit 1 on a problem."""
    config, db, action, path = sys.argv[1:5]
    env = environment(config, db)
    try:
        if action == "populate":
            populate_(env)
            env.cr.commit()
            data = snapshot_(env)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            print(f"populated: {sum(len(v) for v in data.values())} records")
        else:
            with open(path, encoding="utf-8") as f:
                before = json.load(f)
            problems, checked = verify_(env, before)
            for problem in problems:
                print("upgrade problem:", problem)
            print("checked after the upgrade:", checked)
            if problems:
                sys.exit(1)
    finally:
        env.cr.close()


def main():
    def verify_counts(env, before):
        problems, counts = verify(env, before)
        return problems, ", ".join(f"{m} {n}" for m, n in counts.items())

    run(populate, snapshot, verify_counts)


if __name__ == "__main__":
    main()
