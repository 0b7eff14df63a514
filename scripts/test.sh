#!/usr/bin/env bash
# `make test`: a fresh database with ar_followup installed, then pytest-odoo on its tests.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo
ensure_venv
ensure_postgres

ensure_chromium
ensure_wkhtmltopdf
ensure_pdftotext
DB=${TEST_DB:-ar_followup_test}
export HTTP_PORT=${HTTP_PORT:-8169}  # tests (HttpCase, tours) serve here, not on the demo port
CFG=$(write_config "$DB")
LOG="$ROOT/.state/$DB-install.log"

echo "Installing ar_followup into a fresh database $DB (log: $LOG)"
fresh_db "$DB" "$CFG" "$LOG" ar_followup,payment_demo --load-language=en_US,nl_NL --without-demo=all \
    --log-level=warn
if grep -E "ERROR|CRITICAL|WARNING.*ar_followup" "$LOG" >&2; then
    echo "error: errors or warnings about ar_followup while installing it (see $LOG)" >&2
    exit 1
fi

cd "$ROOT"
PYTHONPATH="$ODOO_SRC" exec "$PY" -m pytest -p no:cacheprovider \
    --odoo-config="$CFG" --odoo-database="$DB" --odoo-http "${@:-ar_followup/tests}"
