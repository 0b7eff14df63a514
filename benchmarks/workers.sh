#!/usr/bin/env bash
# `make bench-workers` (BASE=ar_bench WORKERS="1 2 4"): one company's follow-up run over N job
# workers (ar_followup_queue_job on OCA's queue_job), on a copy of the bench database BASE (made
# by `make bench`, of any size) for each N; then the runs' history, e-mails and holds are
# compared line by line with the first N's. Prints one JSON line per N and the comparison;
# writes benchmarks/results/workers-<size>.json. The copies are dropped after their digest
# (KEEP=1 keeps them).
set -euo pipefail
source "$(dirname "$0")/../scripts/prepare.sh"
ensure_odoo
ensure_venv
ensure_postgres
ensure_oca

BASE=${BASE:-ar_bench}
WORKERS=${WORKERS:-"1 2 4"}
OCA="$ROOT/benchmarks/.oca"
RESULTS="$ROOT/benchmarks/results"
mkdir -p "$RESULTS"
SIZE=$(cat "$RESULTS/$BASE.size" 2>/dev/null || echo unknown)
OUT="$RESULTS/workers-$SIZE.json"
: > "$OUT"
first=""
for n in $WORKERS; do
    DB="${BASE}_w$n"
    echo "Copying $BASE ($SIZE) into $DB, with queue_job and ar_followup_queue_job"
    dropdb --if-exists "$DB" 2>/dev/null
    createdb -T "$BASE" "$DB"
    CFG=$(write_config "$DB")
    sed -i "s|^addons_path = \(.*\)$|addons_path = \1,$OCA/addons|" "$CFG"
    odoo -c "$CFG" -d "$DB" -i ar_followup_queue_job --stop-after-init --log-level=warn \
        > "$RESULTS/workers-install.log" 2>&1 || { tail -n 40 "$RESULTS/workers-install.log"; exit 1; }
    echo "Running with $n job worker(s)"
    (cd "$ROOT/benchmarks" && PYTHONPATH="$ODOO_SRC" "$PY" workers.py "$CFG" "$DB" run --workers "$n") \
        | tee -a "$OUT"
    (cd "$ROOT/benchmarks" && PYTHONPATH="$ODOO_SRC" "$PY" workers.py "$CFG" "$DB" digest) \
        > "$RESULTS/digest-$n.json"
    if [ -z "$first" ]; then
        first=$n
    else
        "$PY" - "$RESULTS/digest-$first.json" "$RESULTS/digest-$n.json" <<'PYEOF' | tee -a "$OUT"
import difflib, json, sys
a, b = (json.load(open(path)) for path in sys.argv[1:3])
diff = list(difflib.unified_diff(a["lines"], b["lines"], lineterm="", n=0))
print(json.dumps({
    "compared": sys.argv[1].rsplit("-", 1)[1].split(".")[0] + " vs " + sys.argv[2].rsplit("-", 1)[1].split(".")[0] + " workers",
    "same": a["sha1"] == b["sha1"],
    "history": [a["history"], b["history"]], "mails": [a["mails"], b["mails"]],
    "holds": [a["holds"], b["holds"]], "differences": diff[:20],
}))
PYEOF
    fi
    [ "${KEEP:-0}" = 1 ] || dropdb "$DB"
done
