#!/usr/bin/env bash
# `make screenshots`: brings up the demo (make demo) in the background, takes the README's
# screenshots in headless Chromium into ar_followup/static/description/, stops the demo.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo  # before the demo starts: its fetch, if any, is shown here
ensure_venv
ensure_oca
ensure_postgres
ensure_chromium
DB=${DEMO_DB:-ar_followup_demo}
PORT=${HTTP_PORT:-8069}
LOG="$ROOT/.state/screenshots-demo.log"
bash "$ROOT/scripts/demo.sh" > "$LOG" 2>&1 &
demo=$!
# the demo's Odoo is a child of demo.sh: stop both (else Odoo keeps the port after us)
trap 'pkill -TERM -P $demo 2>/dev/null || true; kill $demo 2>/dev/null || true; wait $demo 2>/dev/null || true' EXIT
echo "Waiting for the demo on port $PORT (log: $LOG)"
for _ in $(seq 1 900); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    kill -0 $demo 2>/dev/null || { tail -n 30 "$LOG" >&2; exit 1; }
    sleep 1
done
"$PY" "$ROOT/scripts/screenshots.py" "$DB" "$ROOT/ar_followup/static/description" \
    "http://127.0.0.1:$PORT"
