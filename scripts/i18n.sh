#!/usr/bin/env bash
# Regenerates ar_followup/i18n/ar_followup.pot from the code (through the test database, which
# `make test` creates) and merges it into nl.po; lists the entries still to translate.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo
ensure_venv
ensure_postgres
DB=${TEST_DB:-ar_followup_test}
CFG=$(write_config "$DB")
I18N="$ROOT/ar_followup/i18n"
odoo -c "$CFG" -d "$DB" -u ar_followup --stop-after-init --log-level=warn
odoo -c "$CFG" -d "$DB" --i18n-export="$I18N/ar_followup.pot" --modules=ar_followup \
    --stop-after-init --log-level=warn
msgmerge --quiet --update --backup=none --no-fuzzy-matching "$I18N/nl.po" "$I18N/ar_followup.pot"
"$PY" - "$I18N/nl.po" <<'PYEOF'
import sys, polib
po = polib.pofile(sys.argv[1])
todo = [e for e in po if not e.obsolete and (not e.msgstr or "fuzzy" in e.flags)]
obsolete = [e for e in po if e.obsolete]
for e in obsolete:
    po.remove(e)
po.save()
print("%d entries, %d to translate, %d obsolete removed" % (len(po), len(todo), len(obsolete)))
for e in todo:
    print("  ", repr(e.msgid))
PYEOF
