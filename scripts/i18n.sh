#!/usr/bin/env bash
# Regenerates <add-on>/i18n/<add-on>.pot of every add-on from the code (through the test
# database, which `make test` creates) and merges it into nl.po; lists the entries still to
# translate.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo
ensure_venv
ensure_oca
ensure_postgres
DB=${TEST_DB:-ar_followup_test}
CFG=$(write_config "$DB")
ADDONS=$(cd "$ROOT" && ls -d */__manifest__.py | sed 's|/__manifest__.py||')
odoo -c "$CFG" -d "$DB" -u "$(echo $ADDONS | tr ' ' ,)" --stop-after-init --log-level=warn
for addon in $ADDONS; do
I18N="$ROOT/$addon/i18n"
mkdir -p "$I18N"
odoo -c "$CFG" -d "$DB" --i18n-export="$I18N/$addon.pot" --modules="$addon" \
    --stop-after-init --log-level=warn
[ -f "$I18N/nl.po" ] || msginit --no-translator --locale=nl_NL --input="$I18N/$addon.pot" \
    --output-file="$I18N/nl.po" >/dev/null 2>&1
msgmerge --quiet --update --backup=none --no-fuzzy-matching "$I18N/nl.po" "$I18N/$addon.pot"
echo "$addon:"
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
done
