#!/usr/bin/env bash
# `make test`: a fresh database with the add-ons installed (ar_followup and its bridges, with
# sale and stock), then pytest-odoo on their tests.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo
ensure_venv
ensure_oca
ensure_postgres

ensure_chromium
ensure_wkhtmltopdf
ensure_pdftotext
DB=${TEST_DB:-ar_followup_test}
export HTTP_PORT=${HTTP_PORT:-8169}  # tests (HttpCase, tours) serve here, not on the demo port
CFG=$(write_config "$DB")
LOG="$ROOT/.state/$DB-install.log"

echo "Installing ar_followup and its bridges into a fresh database $DB (log: $LOG)"
# every add-on of the repository (the core and its bridges, with sale and stock) and Odoo's
# demo payment provider (the payment tour)
ADDONS=$(cd "$ROOT" && ls -d */__manifest__.py | sed 's|/__manifest__.py||' | paste -sd, -)
fresh_db "$DB" "$CFG" "$LOG" "$ADDONS,payment_demo" --load-language=en_US,nl_NL --without-demo=all \
    --log-level=warn
if grep -E "ERROR|CRITICAL|WARNING.*ar_followup" "$LOG" >&2; then
    echo "error: errors or warnings about ar_followup while installing it (see $LOG)" >&2
    exit 1
fi

cd "$ROOT"
[ $# -gt 0 ] || set -- */tests  # the tests of every add-on
PYTHONPATH="$ODOO_SRC" exec "$PY" -m pytest -p no:cacheprovider \
    --odoo-config="$CFG" --odoo-database="$DB" --odoo-http "$@"
