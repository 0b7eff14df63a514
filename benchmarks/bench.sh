#!/usr/bin/env bash
# `make bench` (CUSTOMERS=2000 INVOICES=20000): ar_followup and OCA's account_credit_control
# 18.0 side by side on the same generated data; prints a table and writes
# benchmarks/results/latest.json. OCA's module comes from its PyPI wheel (--no-deps) into
# benchmarks/.oca/ (git-ignored), never into the repository.
set -euo pipefail
source "$(dirname "$0")/../scripts/prepare.sh"

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
dropdb --if-exists "$DB" 2>/dev/null
createdb "$DB"
echo "Installing ar_followup and account_credit_control into $DB"
odoo -c "$CFG" -d "$DB" -i ar_followup,account_credit_control --without-demo=all \
    --stop-after-init --log-level=warn > "$RESULTS/install.log" 2>&1 \
    || { tail -n 40 "$RESULTS/install.log"; exit 1; }

bench() { PYTHONPATH="$ODOO_SRC" "$PY" "$ROOT/benchmarks/bench.py" "$CFG" "$DB" "$@"; }
echo "Generating $CUSTOMERS customers / $INVOICES invoices"
bench generate --customers "$CUSTOMERS" --invoices "$INVOICES" > "$RESULTS/generate.json"
cat "$RESULTS/generate.json"
: > "$RESULTS/steps.jsonl"
for stats in stale fresh; do
    flag=""; [ "$stats" = fresh ] && flag="--analyze"
    for step in ours oca credit_check aging statement; do
        echo "Measuring $step ($stats statistics)"
        bench measure "$step" $flag >> "$RESULTS/steps.jsonl"
    done
done
"$PY" - "$RESULTS" "$CUSTOMERS" "$INVOICES" <<'PYEOF'
import json, os, platform, sys
results, customers, invoices = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
steps = [json.loads(line) for line in open(os.path.join(results, "steps.jsonl"))]
by = {(s["step"], s["statistics"]): s for s in steps}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"\n{customers} customers / {invoices} invoices on {os.cpu_count()} x {cpu}")
print(f"{'step':<14}{'stats':<7}{'seconds':>9}{'queries':>9}{'peak MB':>9}  details")
base = {"step", "statistics", "seconds", "queries", "peak_mb", "rss_before_mb"}
for s in steps:
    details = ", ".join(f"{k}={v}" for k, v in s.items() if k not in base)
    print(f"{s['step']:<14}{s['statistics']:<7}{s['seconds']:>9}{s['queries']:>9}{s['peak_mb']:>9}  {details}")
ratios = {}
for stats in ("stale", "fresh"):
    ours, oca = by[("ours", stats)], by[("oca", stats)]
    ratios[stats] = {
        "time_oca_over_ours": round(oca["seconds"] / max(ours["seconds"], 0.01), 1),
        "queries_oca_over_ours": round(oca["queries"] / max(ours["queries"], 1), 1),
    }
    print(f"OCA / ours ({stats}): {ratios[stats]['time_oca_over_ours']}x time, "
          f"{ratios[stats]['queries_oca_over_ours']}x queries")
summary = {
    "customers": customers, "invoices": invoices, "machine": {"cpus": os.cpu_count(), "cpu": cpu,
    "python": platform.python_version()}, "generate": json.load(open(os.path.join(results, "generate.json"))),
    "steps": steps, "ratios": ratios,
}
json.dump(summary, open(os.path.join(results, "latest.json"), "w"), indent=1)
PYEOF
