#!/usr/bin/env bash
# `make wheel`: builds dist/odoo_addon_<add-on>-*.whl for each add-on of the repository (the
# core and its bridges, one wheel each) and checks that each manifest is inside its wheel.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
[ -x "$PY" ] || PY=python3
cd "$ROOT"
rm -rf build dist ./*.egg-info
for manifest in */__manifest__.py; do
    addon=${manifest%/__manifest__.py}
    rm -rf build ./*.egg-info
    ADDON=$addon "$PY" -m pip wheel -q --no-deps --no-build-isolation -w dist . 2>&1 \
        | grep -v "^WARNING: Location" || true
    whl=$(ls dist/odoo_addon_"$addon"-*.whl 2>/dev/null | head -n 1)
    [ -n "$whl" ] || { echo "error: no wheel was built for $addon" >&2; exit 1; }
    "$PY" - "$whl" "$addon" <<'PYEOF'
import sys, zipfile
whl, addon = sys.argv[1:3]
names = zipfile.ZipFile(whl).namelist()
needed = [f"odoo/addons/{addon}/__manifest__.py"]
if addon == "ar_followup":
    needed.append("odoo/addons/ar_followup/security/ir.model.access.csv")
missing = [n for n in needed if n not in names]
if missing:
    sys.exit("error: %s lacks %s" % (whl, ", ".join(missing)))
if any(not n.startswith((f"odoo/addons/{addon}/", "odoo_addon_")) for n in names):
    sys.exit("error: %s holds files of other add-ons" % whl)
print("wheel ok: %s (%d files)" % (whl, len(names)))
PYEOF
done
rm -rf build ./*.egg-info
