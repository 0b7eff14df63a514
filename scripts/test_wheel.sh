#!/usr/bin/env bash
# `make test-wheel`: builds the wheel (make wheel), installs it with pip into a fresh virtual
# environment that has Odoo on its path (ODOO_SRC and Odoo's requirements, as a pip-installed
# Odoo would be), then installs the module from there into a fresh database: with the
# repository itself off the addons path, so that the wheel alone must be enough.
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo
ensure_venv
ensure_oca
ensure_postgres
ensure_wkhtmltopdf

bash "$ROOT/scripts/wheel.sh"
whl=$(ls "$ROOT"/dist/odoo_addon_ar_followup-*.whl | head -n 1)
ADDONS=$(cd "$ROOT" && ls -d */__manifest__.py | sed 's|/__manifest__.py||' | paste -sd, -)
WVENV="$ROOT/.state/wheel-venv"
DB=${WHEEL_DB:-ar_followup_wheel}
rm -rf "$WVENV"
python3 -m venv "$WVENV"
site=$("$WVENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
deps=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n%s\n' "$ODOO_SRC" "$deps" > "$site/odoo18.pth"
# every add-on's wheel and the OCA wheels a bridge requires (PyPI's, downloaded by ensure_oca),
# without their dependencies: OCA's wheels require odoo 18.0, which is not on PyPI
"$WVENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
    "$ROOT"/dist/odoo_addon_*.whl "$OCA_DIR"/wheels/odoo_addon_*.whl 2>&1 \
    | grep -v "^WARNING: Location" || true
where=$(cd / && "$WVENV/bin/python" -c \
    'import importlib.util, os; print(os.path.dirname(importlib.util.find_spec("odoo.addons.ar_followup").origin))')
case "$where" in
    "$site"/*) echo "ar_followup is imported from the wheel: $where" ;;
    *) echo "error: ar_followup was imported from $where, not from the wheel" >&2; exit 1 ;;
esac

CFG="$ROOT/.state/$DB.cfg"
cat > "$CFG" <<CFG
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons
data_dir = $ROOT/.state/data
list_db = False
without_demo = all
CFG
echo "Installing ar_followup from the wheel into $DB"
# Odoo run by the wheel's virtualenv, from outside the repository
(cd / && PY="$WVENV/bin/python" fresh_db "$DB" "$CFG" "$ROOT/.state/$DB.log" "$ADDONS" \
    --log-level=warn)
for addon in ${ADDONS//,/ }; do
    state=$(psql -d "$DB" -tAc "SELECT state || ' ' || latest_version FROM ir_module_module WHERE name = '$addon'")
    [[ "$state" == installed* ]] || { echo "error: $addon is '$state' in $DB" >&2; exit 1; }
    echo "wheel install ok: $addon $state"
done
