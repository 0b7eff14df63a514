#!/usr/bin/env bash
# `make bench` (CUSTOMERS=2000 INVOICES=20000): ar_followup and OCA's account_credit_control
# 18.0 side by side on the same generated data; prints a table and writes
# benchmarks/results/latest.json (and <customers>x<invoices>.json). OCA's module comes from its
# PyPI wheel (--no-deps) into benchmarks/.oca/ (git-ignored), never into the repository.
#   REUSE=1    measure again on the database of the previous run of the same size
#   BASE=ar_bench  build a large dataset as a copy of that database (a default-size run) with
#              its data copied in SQL to the size asked, instead of generating it again
#   STATS=fresh  only with fresh (or stale) statistics (default: both)
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
DEFAULT_STEPS="ours floor oca credit_check aging statement"
if [ "$INVOICES" -gt 20000 ] && [ "${OCA:-0}" != 1 ]; then
    DEFAULT_STEPS="ours floor credit_check aging statement"
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
for stats in ${STATS:-stale fresh}; do
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
# the table, the OCA/ours ratios and the targets; results/latest.json and <size>.json
PYTHONPATH="$ODOO_SRC" "$PY" "$ROOT/benchmarks/bench.py" report "$RESULTS" "$CUSTOMERS" "$INVOICES"
