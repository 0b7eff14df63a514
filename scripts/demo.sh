#!/usr/bin/env bash
# `make demo`: database ar_followup_demo with demo data, one follow-up run, then Odoo on :8069.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"

ensure_wkhtmltopdf
DB=${DEMO_DB:-ar_followup_demo}
CFG=$(write_config "$DB")

if [ "${FRESH:-0}" = 1 ]; then
    dropdb --if-exists "$DB"
fi
if ! psql -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
    echo "Creating database $DB with ar_followup and demo data (a few minutes)"
    createdb "$DB"
    odoo -c "$CFG" -d "$DB" -i ar_followup --load-language=en_US,nl_NL --stop-after-init --log-level=warn
fi
echo "Running the follow-up procedure once"
odoo shell -c "$CFG" -d "$DB" --log-level=warn --no-http <<'PYEOF'
env.ref('base.user_admin').password = 'admin'
for company in env['res.company'].search([]):
    run = env['ar.followup.run'].with_company(company).process()
    print("%s: %s customers, %s e-mails, %s activities, %s holds" % (
        company.name, run.partner_count, run.email_count, run.activity_count, run.hold_count))
env.cr.commit()
PYEOF
echo "Odoo serves $DB on http://localhost:${HTTP_PORT:-8069} (login admin / admin); Ctrl-C stops it"
exec env PYTHONPATH="$ODOO_SRC" "$PY" "$ODOO_SRC/odoo-bin" -c "$CFG" -d "$DB"
