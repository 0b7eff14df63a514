"""Benchmark of ar_followup against OCA's account_credit_control on the same data.

Run through ``benchmarks/bench.sh`` (``make bench``); each step runs in its own process so that
its peak memory is its own:

    python bench.py CONFIG DB generate --customers 2000 --invoices 20000 [--seed 1]
    python bench.py CONFIG DB measure STEP [--analyze]

A measured step runs in one transaction that is rolled back: every step sees the same data,
with stale statistics (no ANALYZE after seeding; autovacuum is off on the bench tables) or
fresh ones (``--analyze``). It prints one JSON line: seconds, queries, peak memory (MB).
"""

import argparse
import json
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


def step_ours(env):
    env["ar.followup.run"].with_context(ar_followup_batch_size=500).process(bench_date())


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
    statement = big._ar_followup_statements(bench_date())[big.id]
    html = env["ir.qweb"]._render("ar_followup.followup_open_items", {"statement": statement})
    return {"lines": len(statement["lines"]), "html_kb": len(html) // 1024}


STEPS = {
    "ours": step_ours,
    "oca": step_oca,
    "credit_check": step_credit_check,
    "aging": step_aging,
    "statement": step_statement,
}


def measure(env, name, analyze):
    cr = env.cr
    if analyze:
        for table in TABLES:
            cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queries = sql_db.sql_counter
    started = time.time()
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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config")
    parser.add_argument("db")
    parser.add_argument("action", choices=["generate", "measure"])
    parser.add_argument("step", nargs="?", choices=sorted(STEPS))
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--analyze", action="store_true")
    args = parser.parse_args()
    env = environment(args.config, args.db)
    try:
        if args.action == "generate":
            result = generate(env, args.customers, args.invoices, args.seed)
        else:
            result = measure(env, args.step, args.analyze)
    finally:
        env.cr.close()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
