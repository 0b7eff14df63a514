"""Benchmark of ar_followup against OCA's account_credit_control on the same data.

Run through ``benchmarks/bench.sh`` (``make bench``); each step runs in its own process so that
its peak memory is its own:

    python bench.py CONFIG DB generate --customers 2000 --invoices 20000 [--seed 1]
    python bench.py CONFIG DB measure STEP [--analyze]
    python bench.py report RESULTS CUSTOMERS INVOICES    (the table and results JSON)

A measured step runs in one transaction that is rolled back: every step sees the same data,
with stale statistics (no ANALYZE after seeding; autovacuum is off on the bench tables) or
fresh ones (``--analyze``). It prints one JSON line: seconds, queries, peak memory (MB).
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api, sql_db

TABLES = (
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "res_partner",
    "ar_followup_history",
    "credit_control_line",
)


def environment(config, db):
    odoo.tools.config.parse_config(["-c", config, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})


def bench_date():
    return date.today()


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def generate(env, customers, invoices, seed):
    """Deterministic dataset: customers with invoices due from 120 days ago to 30 days ahead,
    5% partially paid, 2% open credit notes, 10% in a second currency (EUR at 1.1), one big
    customer with 1,000 open invoices for the portal statement."""
    rng = random.Random(seed)
    cr = env.cr
    for table in TABLES:
        cr.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    company = env.company
    today = bench_date()
    eur = env.ref("base.EUR")
    if company.currency_id != eur:
        eur.active = True
        env["res.currency.rate"].create(
            {"name": "2000-01-01", "rate": 1.1, "currency_id": eur.id, "company_id": company.id}
        )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {i:05d}",
                "is_company": True,
                "email": f"customer{i}@bench.example.com",
                "phone": "+31 20 000 0000",
            }
            for i in range(customers)
        ]
    )
    big = partners[0]
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    started = time.time()
    batch = []
    created = env["account.move"]

    def flush():
        nonlocal batch, created
        if batch:
            moves = env["account.move"].create(batch)
            moves.action_post()
            created |= moves
            env.invalidate_all()
            batch = []

    for index in range(invoices):
        partner = big if index < min(1000, invoices // 10) else partners[rng.randrange(customers)]
        due = today + timedelta(days=rng.randint(-120, 30))
        kind = "out_refund" if rng.random() < 0.02 else "out_invoice"
        batch.append(
            {
                "move_type": kind,
                "partner_id": partner.id,
                "journal_id": journal.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "currency_id": (eur if rng.random() < 0.1 else company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": round(rng.uniform(20, 5000), 2),
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if len(batch) == 500:
            flush()
            cr.commit()
    flush()
    cr.commit()
    to_pay = [m for m in created if m.move_type == "out_invoice" and rng.random() < 0.05]
    for move in to_pay:
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(
            {
                "amount": round(move.amount_residual / 2, 2),
                "payment_date": today - timedelta(days=5),
            }
        )._create_payments()
    cr.commit()
    return {
        "customers": customers,
        "invoices": invoices,
        "partial_payments": len(to_pay),
        "seconds": round(time.time() - started, 1),
    }


ORM_INVOICES = 20000  # above this, the dataset is generated once and copied in SQL


def _columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def _copy_rows(cr, table, where, overrides):
    """``INSERT INTO table SELECT ...`` of the rows matching ``where``, every column copied
    unless ``overrides`` gives its SQL expression (over the source row ``s``)."""
    columns = _columns(cr, table)
    select = ", ".join(overrides.get(c, f"s.{c}") for c in columns)
    cr.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} s WHERE {where}"
    )
    return cr.rowcount


def replicate(env, copies):
    """Copies the generated customers with their invoices, credit notes, payments and partial
    matchings ``copies - 1`` times in SQL, ids shifted by a fixed offset per table (posting
    200,000 invoices through the ORM would take more than an hour; the copies are rows
    like the ones the ORM wrote, with their own customers, numbers and e-mail addresses)."""
    cr = env.cr
    cr.execute("SELECT min(id), max(id) FROM res_partner WHERE name LIKE 'Bench customer %%'")
    p_min, p_max = cr.fetchone()
    bench_partner = f"BETWEEN {p_min} AND {p_max}"
    # the moves of the customers (payments have their partner on the lines only), their lines
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_moves AS
        SELECT id FROM account_move WHERE partner_id {bench_partner}
         UNION
        SELECT move_id FROM account_move_line WHERE partner_id {bench_partner};
        CREATE TEMP TABLE bench_lines AS
        SELECT l.id FROM account_move_line l JOIN bench_moves b ON b.id = l.move_id;
        """
    )
    cr.execute("SELECT max(id) FROM bench_moves")
    m_max = cr.fetchone()[0]
    cr.execute("SELECT max(id) FROM bench_lines")
    l_max = cr.fetchone()[0]
    cr.execute("SELECT coalesce(max(id), 0) FROM account_partial_reconcile")
    r_max = cr.fetchone()[0]
    offsets = {}
    for table, top in (
        ("res_partner", p_max),
        ("account_move", m_max),
        ("account_move_line", l_max),
        ("account_partial_reconcile", r_max),
    ):
        cr.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        offsets[table] = max(cr.fetchone()[0], top) + 1
    rows = 0
    for k in range(1, copies):
        p, m, ln, r = (
            k * offsets[t]
            for t in (
                "res_partner",
                "account_move",
                "account_move_line",
                "account_partial_reconcile",
            )
        )
        shift_partner = (
            f"CASE WHEN s.partner_id {bench_partner} THEN s.partner_id + {p} ELSE s.partner_id END"
        )
        rows += _copy_rows(
            cr,
            "res_partner",
            f"s.id {bench_partner}",
            {
                "id": f"s.id + {p}",
                "commercial_partner_id": f"s.commercial_partner_id + {p}",
                "name": f"s.name || ' / {k}'",
                "complete_name": f"s.complete_name || ' / {k}'",
                "email": f"'c{k}.' || s.email",
                "email_normalized": f"'c{k}.' || s.email_normalized",
            },
        )
        rows += _copy_rows(
            cr,
            "account_move",
            "s.id IN (SELECT id FROM bench_moves)",
            {
                "id": f"s.id + {m}",
                "partner_id": shift_partner,
                "commercial_partner_id": shift_partner.replace(
                    "partner_id", "commercial_partner_id"
                ),
                "partner_shipping_id": shift_partner.replace("partner_id", "partner_shipping_id"),
                "name": f"s.name || '/{k}'",
                "payment_reference": f"s.payment_reference || '/{k}'",
                "access_token": "CASE WHEN s.access_token IS NOT NULL "
                "THEN gen_random_uuid()::text END",
                "origin_payment_id": "NULL",
                "message_main_attachment_id": "NULL",
                "inalterable_hash": "NULL",
                "secure_sequence_number": "NULL",
            },
        )
        rows += _copy_rows(
            cr,
            "account_move_line",
            "s.id IN (SELECT id FROM bench_lines)",
            {
                "id": f"s.id + {ln}",
                "move_id": f"s.move_id + {m}",
                "partner_id": shift_partner,
                "move_name": f"s.move_name || '/{k}'",
                "payment_id": "NULL",
                "full_reconcile_id": "NULL",
                "matching_number": "CASE WHEN s.matching_number LIKE 'P%%' THEN 'P' || "
                f"(substr(s.matching_number, 2)::int + {r}) END",
            },
        )
        rows += _copy_rows(
            cr,
            "account_partial_reconcile",
            f"s.debit_move_id IN (SELECT id FROM bench_lines) AND s.id <= {r_max}",
            {
                "id": f"s.id + {r}",
                "debit_move_id": f"s.debit_move_id + {ln}",
                "credit_move_id": f"s.credit_move_id + {ln}",
                "full_reconcile_id": "NULL",
                "exchange_move_id": "NULL",
            },
        )
    cr.execute("DROP TABLE bench_moves; DROP TABLE bench_lines")
    for table in offsets:
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    cr.commit()
    env.invalidate_all()
    return rows


def oca_policy(env):
    """A credit control policy like our default ladder (5 levels, e-mail)."""
    company = env.company
    policy = env["credit.control.policy"].search([("name", "=", "Bench policy")], limit=1)
    if policy:
        return policy
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]
    )
    template = env.ref("account_credit_control.email_template_credit_control_base")
    # like with like: our reminders attach no PDF unless a level asks for it
    template.report_template_ids = [Command.clear()]
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench policy",
            "company_id": company.id,
            "account_ids": [Command.set(receivable.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": f"Level {n}",
                        "level": n,
                        "computation_mode": "net_days",
                        "delay_days": delay,
                        "channel": "email",
                        "custom_text": "Please pay.",
                        "custom_mail_text": "<p>Please pay.</p>",
                        "email_template_id": template.id,
                    }
                )
                for n, delay in enumerate((7, 14, 21, 30, 45), start=1)
            ],
        }
    )
    company.credit_policy_id = policy
    return policy


# ----------------------------------------------------------------------
# Steps
# ----------------------------------------------------------------------


def setup_ours(env):
    # batches of 500 customers (the system parameter; set before the clock starts, rolled back)
    env["ir.config_parameter"].sudo().set_param("ar_followup.batch_size", 500)


def step_ours(env):
    env["ar.followup.run"].process(bench_date())


def _floor_render(env, by_template, compile_once):
    """``{reminder id: (subject, body)}`` rendered by Odoo's ``mail.template`` (QWeb for
    the body, in the customer's language); with ``compile_once``, each template's QWeb code
    compiled once per language instead of once per e-mail."""
    rendered = {}
    for template, ids in by_template.items():
        template = template.sudo().with_context(ar_followup_compile_once=compile_once)
        subjects = template._render_field("subject", ids, compute_lang=True)
        bodies = template._render_field("body_html", ids, compute_lang=True)
        rendered.update({rid: (subjects[rid], bodies[rid]) for rid in ids})
    return rendered


def _floor_records(env, rendered, kept):
    """The same messages and mails as the run's, with what the floor rendered."""
    ids = list(rendered)
    messages = env["mail.message"].create(
        [
            {
                "model": "res.partner",
                "res_id": kept[rid]["partner"],
                "message_type": "email_outgoing",
                "subject": rendered[rid][0],
                # the run's chatter message: its summary of the reminder, its sender and the
                # customer's name as the run gave them (the same record)
                "body": kept[rid]["message_body"],
                **kept[rid]["message"],
            }
            for rid in ids
        ]
    )
    env["mail.mail"].create(
        [
            {
                "mail_message_id": message.id,
                "body_html": rendered[rid][1],
                "email_to": kept[rid]["email_to"],
                "recipient_ids": [Command.set(kept[rid]["recipients"])],
                "is_notification": False,
            }
            for rid, message in zip(ids, messages, strict=True)
        ]
    )
    env.flush_all()


def _timed(env, function, *args):
    env.invalidate_all()
    started, queries = time.time(), sql_db.sql_counter
    result = function(env, *args)
    env.flush_all()
    return result, time.time() - started, sql_db.sql_counter - queries


def step_floor(env):
    """Ours, then the floor on the same data in the same process and transaction: Odoo's own
    unavoidable work for the same reminders, nothing else: for each level's template, the
    subject and body rendered by Odoo's ``mail.template`` (QWeb, the customer's language) on
    the same reminders, then the same ``mail.message`` and ``mail.mail`` records created with
    what it rendered (recipients and the chatter's summary as the run had them). Two floors:
    Odoo's rendering as it is (its QWeb code generated and compiled for every e-mail) and
    with that code compiled once per template and language (the floor ours is compared
    with)."""
    setup_ours(env)
    env.flush_all()
    run, ours, ours_queries = _timed(env, lambda e: e["ar.followup.run"].process(bench_date()))
    lines = run.history_ids.filtered(lambda line: line.mail_id and line.reminder_id)
    by_template = {}
    for line in lines:
        by_template.setdefault(line.level_id.mail_template_id, []).append(line.reminder_id.id)
    kept = {
        line.reminder_id.id: {
            "partner": line.reminder_id.partner_id.id,
            "email_to": line.mail_id.email_to,
            "recipients": line.mail_id.recipient_ids.ids,
            "message_body": line.mail_id.mail_message_id.body,
            "message": {
                fname: line.mail_id.mail_message_id[fname]
                for fname in ("record_name", "email_from", "reply_to")
            }
            | {"author_id": line.mail_id.mail_message_id.author_id.id},
        }
        for line in lines
    }
    _rendered, as_is, _q = _timed(env, _floor_render, by_template, False)
    rendered, once, render_queries = _timed(env, _floor_render, by_template, True)
    _none, records, record_queries = _timed(env, _floor_records, rendered, kept)
    floor = once + records
    return {
        "seconds": round(floor, 2),
        "queries": render_queries + record_queries,
        "reminders": len(lines),
        "render_seconds": round(once, 2),
        "records_seconds": round(records, 2),
        "render_as_is_seconds": round(as_is, 2),
        "ours_seconds": round(ours, 2),
        "ours_queries": ours_queries,
        "ours_over_floor": round(ours / max(floor, 0.01), 2),
        "ours_over_floor_as_is": round(ours / max(as_is + records, 0.01), 2),
    }


def step_oca(env):
    policy = oca_policy(env)
    run = env["credit.control.run"].create(
        {"date": bench_date(), "policy_ids": [Command.set(policy.ids)]}
    )
    run.generate_credit_lines()
    run.set_to_ready_lines()
    run.run_channel_action()  # grouping into communications, e-mails queued


def step_credit_check(env):
    partner = env["res.partner"].search([("name", "=", "Bench customer 00001")], limit=1)
    partner.credit_limit = 1e9
    env.company.ar_credit_policy = "block"
    env.company.account_use_credit_limit = True
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_line_ids": [
                Command.create({"name": "x", "price_unit": 10.0, "tax_ids": [Command.clear()]})
            ],
        }
    )
    env.flush_all()
    env.invalidate_all()
    before = sql_db.sql_counter
    move._ar_check_credit()
    return {"credit_check_queries": sql_db.sql_counter - before}


def step_aging(env):
    rows = env["ar.kpi"].aging(bench_date() - timedelta(days=30))
    return {"rows": len(rows)}


def step_statement(env):
    big = env["res.partner"].search([("name", "=", "Bench customer 00000")], limit=1)
    statement = env["ar.followup.statement"]._ar_statement(big, bench_date(), env.company)
    html = env["ir.qweb"]._render("ar_followup.followup_open_items", {"statement": statement})
    return {"lines": len(statement["lines"]), "html_kb": len(html) // 1024}


PORTAL_LOGIN = "bench-portal"


def portal_user(env):
    """A portal login for the contact of the customer with 1,000 open invoices."""
    user = env["res.users"].search([("login", "=", PORTAL_LOGIN)])
    if not user:
        big = env["res.partner"].search([("name", "=", "Bench customer 00000")], limit=1)
        contact = env["res.partner"].create(
            {"name": "Bench portal contact", "parent_id": big.id, "email": "portal@example.com"}
        )
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": PORTAL_LOGIN,
                    "password": PORTAL_LOGIN,
                    "partner_id": contact.id,
                    "groups_id": [Command.set(env.ref("base.group_portal").ids)],
                }
            )
        )
        env.cr.commit()
    return user


def statement_page(env, config, db, port=8269, tries=3):
    """(e) through HTTP: a real Odoo server on ``port`` serves /my/statement to the portal
    user of the customer with 1,000 open invoices; the fastest of ``tries`` requests after a
    first one (assets, caches), with the server's own query count from its request log."""
    import re
    import subprocess

    import requests

    portal_user(env)
    log = f"/tmp/ar_bench_http_{port}.log"
    server = subprocess.Popen(
        [
            sys.executable,
            os.path.join(os.environ["ODOO_SRC"], "odoo-bin"),
            "-c",
            config,
            "-d",
            db,
            "--http-port",
            str(port),
            "--max-cron-threads=0",
            "--log-level=info",
            "--logfile",
            log,
        ]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/web/login", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        session = requests.Session()
        reply = session.post(
            f"{base}/web/session/authenticate",
            json={"params": {"db": db, "login": PORTAL_LOGIN, "password": PORTAL_LOGIN}},
            timeout=60,
        )
        reply.raise_for_status()
        timings = []
        for _ in range(tries + 1):
            started = time.time()
            page = session.get(f"{base}/my/statement", timeout=120)
            timings.append(time.time() - started)
            page.raise_for_status()
        time.sleep(0.5)
        with open(log, encoding="utf-8") as f:
            counts = [
                int(m.group(1))
                for m in re.finditer(r"GET /my/statement HTTP/1.1\" 200 - (\d+) ", f.read())
            ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "step": "statement_page",
        "statistics": "as is",
        "seconds": round(min(timings[1:]), 2),
        "queries": min(counts) if counts else None,
        "peak_mb": None,
        "first_request_seconds": round(timings[0], 2),
        "open_items": page.text.count("/my/invoices/"),
        "html_kb": len(page.content) // 1024,
    }


SETUPS = {"ours": setup_ours}

STEPS = {
    "ours": step_ours,
    "floor": step_floor,
    "oca": step_oca,
    "credit_check": step_credit_check,
    "aging": step_aging,
    "statement": step_statement,
}


def measure(env, name, analyze, profile=None):
    cr = env.cr
    if analyze:
        for table in TABLES:
            cr.execute(f"ANALYZE {table}")
    if name in SETUPS:
        SETUPS[name](env)
        env.flush_all()
    env.invalidate_all()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queries = sql_db.sql_counter
    started = time.time()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        extra = profiler.runcall(STEPS[name], env) or {}
        profiler.dump_stats(profile)
    else:
        extra = STEPS[name](env) or {}
    env.flush_all()
    result = {
        "step": name,
        "statistics": "fresh" if analyze else "stale",
        "seconds": round(time.time() - started, 2),
        "queries": sql_db.sql_counter - queries,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mb": round(rss_before / 1024, 1),
        **extra,
    }
    cr.rollback()
    return result


def main():
    if sys.argv[1:2] == ["report"]:  # no database: bench.py report RESULTS CUSTOMERS INVOICES
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("action", choices=["report"])
        parser.add_argument("results")
        parser.add_argument("customers", type=int)
        parser.add_argument("invoices", type=int)
        args = parser.parse_args()
        from bench_report import report

        return report(args.results, args.customers, args.invoices)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config")
    parser.add_argument("db")
    parser.add_argument("action", choices=["generate", "replicate", "measure", "page"])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("step", nargs="?", choices=sorted(STEPS))
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--analyze", action="store_true")
    parser.add_argument("--profile", help="write cProfile statistics of the step to this file")
    args = parser.parse_args()
    env = environment(args.config, args.db)
    try:
        if args.action == "generate":
            copies = max(1, args.invoices // ORM_INVOICES)
            if args.invoices % copies or args.customers % copies:
                parser.error(f"sizes above {ORM_INVOICES} invoices must be multiples of it")
            result = generate(env, args.customers // copies, args.invoices // copies, args.seed)
            if copies > 1:
                started = time.time()
                result["copied_rows"] = replicate(env, copies)
                result.update(customers=args.customers, invoices=args.invoices, copies=copies)
                result["copy_seconds"] = round(time.time() - started, 1)
        elif args.action == "replicate":
            started = time.time()
            result = {"copied_rows": replicate(env, args.copies), "copies": args.copies}
            result["copy_seconds"] = round(time.time() - started, 1)
        elif args.action == "page":
            result = statement_page(env, args.config, args.db)
        else:
            result = measure(env, args.step, args.analyze, args.profile)
    finally:
        env.cr.close()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
