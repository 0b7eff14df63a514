#!/usr/bin/env bash
# `make bench` (CUSTOMERS=2000 INVOICES=20000): ar_followup and OCA's account_credit_control
# 18.0 side by side on the same generated data; prints a table and writes
# benchmarks/results/latest.json (and <customers>x<invoices>.json). OCA's module comes from its
# PyPI wheel (--no-deps) into benchmarks/.oca/ (git-ignored), never into the repository.
#   REUSE=1    measure again on the database of the previous run of the same size
#   BASE=ar_bench  build a large dataset as a copy of that database (a default-size run) with
#              its data copied in SQL to the size asked, instead of generating it again
#   STEPS="ours aging"   only these steps (default: all; OCA's run is left out above 20,000
#              invoices, where it takes hours: OCA=1 keeps it)
set -euo pipefail
source "$(dirname "$0")/../scripts/prepare.sh"
ensure_odoo
ensure_venv
ensure_postgres

CUSTOMERS=${CUSTOMERS:-2000}
INVOICES=${INVOICES:-20000}
DB=${BENCH_DB:-ar_bench}
OCA="$ROOT/benchmarks/.oca"
RESULTS="$ROOT/benchmarks/results"
mkdir -p "$OCA/wheels" "$OCA/addons" "$RESULTS"

if [ ! -d "$OCA/addons/account_credit_control" ]; then
    echo "Fetching OCA's account_credit_control 18.0 wheel (no dependencies)"
    "$PY" -m pip download -q --no-deps -d "$OCA/wheels" \
        "odoo-addon-account-credit-control>=18.0,<18.1" 2>&1 | grep -v "^WARNING: Location" || true
    tmp=$(mktemp -d)
    "$PY" -m zipfile -e "$OCA"/wheels/odoo_addon_account_credit_control-*.whl "$tmp"
    cp -r "$tmp/odoo/addons/account_credit_control" "$OCA/addons/"
    rm -rf "$tmp"
fi

CFG=$(write_config "$DB")
sed -i "s|^addons_path = \(.*\)$|addons_path = \1,$OCA/addons|" "$CFG"
bench() { PYTHONPATH="$ODOO_SRC" "$PY" "$ROOT/benchmarks/bench.py" "$CFG" "$DB" "$@"; }
SIZE="${CUSTOMERS}x${INVOICES}"
if [ "${REUSE:-0}" = 1 ] && [ "$(cat "$RESULTS/$DB.size" 2>/dev/null)" = "$SIZE" ] \
    && psql -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
    echo "Reusing $DB ($SIZE)"
    odoo -c "$CFG" -d "$DB" -u ar_followup --stop-after-init --log-level=warn \
        > "$RESULTS/install.log" 2>&1 || { tail -n 40 "$RESULTS/install.log"; exit 1; }
elif [ -n "${BASE:-}" ]; then
    base_size=$(cat "$RESULTS/$BASE.size")
    copies=$((INVOICES / ${base_size#*x}))
    echo "Copying $BASE ($base_size) into $DB, then its data $copies times in SQL"
    dropdb --if-exists "$DB" 2>/dev/null
    createdb -T "$BASE" "$DB"
    odoo -c "$CFG" -d "$DB" -u ar_followup --stop-after-init --log-level=warn \
        > "$RESULTS/install.log" 2>&1 || { tail -n 40 "$RESULTS/install.log"; exit 1; }
    bench replicate --copies "$copies" > "$RESULTS/generate.json"
    echo "$SIZE" > "$RESULTS/$DB.size"
else
    echo "Installing ar_followup and account_credit_control into $DB"
    fresh_db "$DB" "$CFG" "$RESULTS/install.log" ar_followup,account_credit_control \
        --without-demo=all --log-level=warn
    echo "Generating $CUSTOMERS customers / $INVOICES invoices"
    bench generate --customers "$CUSTOMERS" --invoices "$INVOICES" > "$RESULTS/generate.json"
    echo "$SIZE" > "$RESULTS/$DB.size"
fi
cat "$RESULTS/generate.json"
DEFAULT_STEPS="ours oca credit_check aging statement"
if [ "$INVOICES" -gt 20000 ] && [ "${OCA:-0}" != 1 ]; then
    DEFAULT_STEPS="ours credit_check aging statement"
fi
STEPS=${STEPS:-$DEFAULT_STEPS}
# Every step runs in a transaction that is rolled back; its dead rows are vacuumed before the
# next step (plain VACUUM: the table statistics stay as stale as they were).
VACUUM_TABLES="account_move, account_move_line, account_partial_reconcile, res_partner,
    mail_mail, mail_message, mail_activity, mail_message_res_partner_rel,
    ar_followup_history, ar_followup_history_move_rel"
psql -d "$DB" -tAc "SELECT 1 FROM pg_class WHERE relname = 'credit_control_line'" | grep -q 1 \
    && VACUUM_TABLES="$VACUUM_TABLES, credit_control_line, credit_control_communication"
: > "$RESULTS/steps.jsonl"
for stats in stale fresh; do
    flag=""; [ "$stats" = fresh ] && flag="--analyze"
    for step in $STEPS; do
        echo "Measuring $step ($stats statistics)"
        psql -q -d "$DB" -c "VACUUM $VACUUM_TABLES"
        bench measure "$step" $flag >> "$RESULTS/steps.jsonl"
    done
done
if [[ " $STEPS " == *" statement "* ]]; then
    echo "Measuring the portal statement page over HTTP"
    ODOO_SRC="$ODOO_SRC" bench page >> "$RESULTS/steps.jsonl"
fi
"$PY" - "$RESULTS" "$CUSTOMERS" "$INVOICES" <<'PYEOF'
import json, os, platform, sys
results, customers, invoices = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
steps = [json.loads(line) for line in open(os.path.join(results, "steps.jsonl"))]
by = {(s["step"], s["statistics"]): s for s in steps}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"\n{customers} customers / {invoices} invoices on {os.cpu_count()} x {cpu}")
print(f"{'step':<15}{'stats':<7}{'seconds':>9}{'queries':>9}{'peak MB':>9}  details")
base = {"step", "statistics", "seconds", "queries", "peak_mb", "rss_before_mb"}
for s in steps:
    details = ", ".join(f"{k}={v}" for k, v in s.items() if k not in base)
    print(f"{s['step']:<15}{s['statistics']:<7}{s['seconds']:>9}{s['queries'] or '-':>9}{s['peak_mb'] or '-':>9}  {details}")
ratios = {}
for stats in ("stale", "fresh"):
    ours, oca = by.get(("ours", stats)), by.get(("oca", stats))
    if not (ours and oca):
        continue
    ratios[stats] = {
        "time_oca_over_ours": round(oca["seconds"] / max(ours["seconds"], 0.01), 1),
        "queries_oca_over_ours": round(oca["queries"] / max(ours["queries"], 1), 1),
    }
    print(f"OCA / ours ({stats}): {ratios[stats]['time_oca_over_ours']}x time, "
          f"{ratios[stats]['queries_oca_over_ours']}x queries")
# the targets of the benchmark issue
large = invoices >= 200000
checks = []
for stats in ("stale", "fresh"):
    ours = by.get(("ours", stats))
    if ours and not large and stats in ratios:
        checks.append((f"(a) at least 5x faster than OCA ({stats})", ratios[stats]["time_oca_over_ours"] >= 5))
    if ours and large:
        checks.append((f"(a) under 60 s on the large size ({stats})", ours["seconds"] < 60))
        checks.append((f"(a) peak memory under 1 GB ({stats})", ours["peak_mb"] < 1024))
    for step, label, ok in (
        ("credit_check", "(c) under 10 queries", lambda s: s["credit_check_queries"] < 10),
        ("aging", "(d) under 2 s", lambda s: s["seconds"] < 2),
    ):
        if (step, stats) in by:
            checks.append((f"{label} ({stats})", ok(by[step, stats])))
page = by.get(("statement_page", "as is"))
if page:
    checks.append(("(e) portal statement page under 1 s", page["seconds"] < 1))
for label, ok in checks:
    print(f"{'ok  ' if ok else 'MISS'} {label}")
summary = {
    "customers": customers, "invoices": invoices, "machine": {"cpus": os.cpu_count(), "cpu": cpu,
    "python": platform.python_version()}, "generate": json.load(open(os.path.join(results, "generate.json"))),
    "steps": steps, "ratios": ratios, "targets": {label: ok for label, ok in checks},
}
for name in ("latest.json", f"{customers}x{invoices}.json"):
    json.dump(summary, open(os.path.join(results, name), "w"), indent=1)
PYEOF
