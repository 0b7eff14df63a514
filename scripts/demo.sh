#!/usr/bin/env bash
# `make demo`: database ar_followup_demo, a Dutch wholesaler (EUR, the Dutch chart of accounts
# l10n_nl, A4, an IBAN, a Dutch address and VAT number; Sales and Inventory, with the bridges
# ar_followup_sale and ar_followup_stock; OCA's bank statement import and matching with
# ar_followup_bank; OCA's credit insurance with ar_followup_credit_insurance; OCA's SEPA direct
# debit and payment returns with ar_followup_direct_debit) with Dutch, Belgian and
# English-speaking customers, eight weeks of follow-up history, a customer on credit hold with
# a quotation, one who pays in advance, yesterday's bank statement and a customer's reply, a
# credit insurer's customers, direct debits collected and returned, and today's run; its
# e-mails are delivered to a local mail sink (files under .state/mail/); then Odoo on :8069
# (HTTP_PORT=... for another), and once it serves, the collection dossiers' PDFs rendered again
# with their styles (wkhtmltopdf fetches them from Odoo, which an Odoo shell does not serve).
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo
ensure_venv
ensure_oca
ensure_postgres
ensure_wkhtmltopdf

DB=${DEMO_DB:-ar_followup_demo}
CFG=$(write_config "$DB")
SINK_PORT=${MAIL_SINK_PORT:-2525}
MAILDIR="$ROOT/.state/mail/$DB"

# the mail sink: an SMTP server on 127.0.0.1 that keeps every e-mail as a file
"$PY" "$ROOT/scripts/mail_sink.py" "$MAILDIR" "$SINK_PORT" > "$ROOT/.state/mail-sink.log" 2>&1 &
SINK_PID=$!
trap 'kill "$SINK_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 40); do
    (echo > "/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && break
    kill -0 "$SINK_PID" 2>/dev/null || die "the mail sink did not start (port $SINK_PORT taken? MAIL_SINK_PORT=... for another; see .state/mail-sink.log)"
    sleep 0.25
done

if [ "${FRESH:-0}" = 1 ]; then
    dropdb --if-exists "$DB"
fi
if ! psql -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
    echo "Creating database $DB: a Dutch company with Accounting, Sales, Inventory, ar_followup and its bridges, and demo data (a few minutes)"
    # without Odoo's own demo data (its demo companies and partners): the customers, invoices
    # and history are this module's (ar_followup/demo/generator.py)
    fresh_db "$DB" "$CFG" "$ROOT/.state/$DB-install.log" base --without-demo=all --log-level=warn
    # the company is Dutch before the accounting is installed: Odoo then loads the Dutch chart
    # of accounts (l10n_nl) and its taxes
    odoo shell -c "$CFG" -d "$DB" --log-level=warn --no-http <<'PYEOF'
eur = env.ref('base.EUR')
eur.active = True
env.ref('base.main_company').write({
    'name': 'Groothandel Van der Berg B.V.',
    'street': 'Keizersgracht 123',
    'zip': '1015 CJ',
    'city': 'Amsterdam',
    'country_id': env.ref('base.nl').id,
    'vat': 'NL004495445B01',
    'company_registry': '12345678',
    'currency_id': eur.id,
    'email': 'debiteuren@vanderberg.example.nl',
    'phone': '+31 20 123 4567',
    'website': 'https://www.vanderberg.example.nl',
    'paperformat_id': env.ref('base.paperformat_euro').id,
})
env.cr.commit()
PYEOF
    odoo -c "$CFG" -d "$DB" -i l10n_nl,ar_followup,payment_demo,sale_management,stock,ar_followup_sale,ar_followup_stock,ar_followup_bank,ar_followup_credit_insurance,ar_followup_direct_debit \
        --without-demo=all --load-language=en_US,nl_NL \
        --stop-after-init --log-level=warn
    echo "Generating the demo data: customers, invoices, eight weeks of follow-up"
    SINK_PORT=$SINK_PORT odoo shell -c "$CFG" -d "$DB" --log-level=warn --no-http <<'PYEOF'
import os
from odoo.addons.ar_followup.demo import generator
# the e-mails of the demo data (dispute acknowledgements, ...) go to the mail sink as well
env['ir.mail_server'].create({'name': 'Demo mail sink', 'smtp_host': '127.0.0.1',
    'smtp_port': int(os.environ['SINK_PORT']), 'smtp_encryption': 'none', 'sequence': 1})
company = env.ref('base.main_company')
company.partner_id.lang = 'nl_NL'
from odoo.addons.ar_followup_bank.demo import generator as bank_generator
bank_generator.prepare(env, company)
generator.generate(env, company.ids)
from odoo.addons.ar_followup_sale.demo import generator as sale_generator
sale_generator.generate(env, company)
# yesterday's bank statement (CAMT.053) and a customer's reply, before today's run
bank_generator.generate(env, company)
# a credit insurer and two customers it insures (today's run does its duties)
from odoo.addons.ar_followup_credit_insurance.demo import generator as insurance_generator
insurance_generator.generate(env, company)
# SEPA direct debit: a customer collected, one whose debit its bank returned (PAIN.002 import)
from odoo.addons.ar_followup_direct_debit.demo import generator as debit_generator
debit_generator.generate(env, company)
env.cr.commit()
PYEOF
fi
echo "Running today's follow-up; its e-mails go to the mail sink on 127.0.0.1:$SINK_PORT"
HTTP_PORT=${HTTP_PORT:-8069} SINK_PORT=$SINK_PORT odoo shell -c "$CFG" -d "$DB" --log-level=warn --no-http <<'PYEOF'
import os
env.ref('base.user_admin').password = 'admin'
# the links in the e-mails lead to this Odoo; wkhtmltopdf fetches the reports' styles from it
http_port = os.environ['HTTP_PORT']
env['ir.config_parameter'].set_param('web.base.url', f'http://localhost:{http_port}')
env['ir.config_parameter'].set_param('report.url', f'http://127.0.0.1:{http_port}')
port = int(os.environ['SINK_PORT'])
server = env['ir.mail_server'].search([('name', '=', 'Demo mail sink')], limit=1)
values = {'name': 'Demo mail sink', 'smtp_host': '127.0.0.1', 'smtp_port': port,
          'smtp_encryption': 'none', 'sequence': 1}
server.write(values) if server else env['ir.mail_server'].create(values)
env.cr.commit()
# what the demo queued before today's run (the returned debit's e-mail) goes out first, as
# Odoo's mail scheduler sends it within minutes: a reminder waits for a queued one
env['mail.mail'].process_email_queue()
env.cr.commit()
for company in env['res.company'].search([]):
    run = env['ar.followup.run'].with_company(company).process()
    env.cr.commit()
    env['mail.mail'].process_email_queue()
    run.invalidate_recordset()
    print("%s, %s customers: %s (e-mails sent: %s, not delivered: %s)" % (
        company.name, run.partner_count, "; ".join(run._ar_done_texts()) or "nothing to do",
        run.email_sent_count, run.email_failed_count))
env.cr.commit()
PYEOF
echo "E-mails sent by the demo: $MAILDIR (index.txt lists them; open a .eml with any mail program)"
# Odoo itself in the background (not the odoo function: $! is then Odoo's pid, which the trap
# stops), the dossiers rendered again once it serves, then it runs until Ctrl-C
PYTHONPATH="$ODOO_SRC" "$PY" "$ODOO_SRC/odoo-bin" -c "$CFG" -d "$DB" &
ODOO_PID=$!
trap 'kill "$ODOO_PID" "$SINK_PID" 2>/dev/null || true' EXIT
echo "Starting Odoo on http://localhost:${HTTP_PORT:-8069} (pid $ODOO_PID)"
for _ in $(seq 1 240); do
    kill -0 "$ODOO_PID" 2>/dev/null || die "Odoo stopped (port ${HTTP_PORT:-8069} taken? HTTP_PORT=... for another)"
    "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" \
        "http://127.0.0.1:${HTTP_PORT:-8069}/web/login" 2>/dev/null && break
    sleep 0.5
done
# the dossiers were rendered in an Odoo shell, where wkhtmltopdf could not fetch the reports'
# styles: again, now that Odoo serves them, into the same attachments
echo "Rendering the collection dossiers' PDFs again, with their styles"
odoo shell -c "$CFG" -d "$DB" --log-level=warn --no-http <<'PYEOF'
from odoo.addons.ar_followup.demo.company import render_documents
for company in env['res.company'].search([]):
    cases = render_documents(env, company)
    env.cr.commit()
    print("%s: %s dossiers rendered" % (company.name, len(cases)))
PYEOF
echo "Odoo serves $DB on http://localhost:${HTTP_PORT:-8069} (login admin / admin); Ctrl-C stops it"
wait "$ODOO_PID"
