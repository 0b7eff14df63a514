#!/usr/bin/env bash
# `make wheel`: builds dist/odoo_addon_ar_followup-*.whl and checks that the manifest is inside.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
[ -x "$PY" ] || PY=python3
cd "$ROOT"
rm -rf build dist ./*.egg-info
"$PY" -m pip wheel -q --no-deps --no-build-isolation -w dist . 2>&1 | grep -v "^WARNING: Location" || true
whl=$(ls dist/odoo_addon_ar_followup-*.whl 2>/dev/null | head -n 1)
[ -n "$whl" ] || { echo "error: no wheel was built" >&2; exit 1; }
"$PY" - "$whl" <<'PYEOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
needed = ["odoo/addons/ar_followup/__manifest__.py", "odoo/addons/ar_followup/security/ir.model.access.csv"]
missing = [n for n in needed if n not in names]
if missing:
    sys.exit("error: %s lacks %s" % (sys.argv[1], ", ".join(missing)))
print("wheel ok: %s (%d files)" % (sys.argv[1], len(names)))
PYEOF
rm -rf build ./*.egg-info
