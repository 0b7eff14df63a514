#!/usr/bin/env bash
# `make test-upgrade`: installs the first released version of ar_followup (git tag 18.0.1.0.0)
# into a fresh database with Sales and Inventory, creates data in every model with it,
# upgrades to the code of this tree (-u ar_followup, which runs migrations/<version>/ scripts,
# and -i of the bridges ar_followup_sale and ar_followup_stock) and checks that every record
# and every value is still there and the bridges' fields have their defaults
# (scripts/upgrade_data.py).
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_odoo
ensure_venv
ensure_postgres
ensure_wkhtmltopdf

# upgrade CONFIG DB LOG ODOO-OPTION...: odoo -u/-i with the options, its migrations listed, no
# error in its log, and no company-dependent field kept so by Odoo ("Patching ... with
# company_dependent=True": a column a migration should have set aside)
upgrade() {
    local cfg=$1 db=$2 log=$3
    shift 3
    odoo -c "$cfg" -d "$db" "$@" --stop-after-init --log-level=info >> "$log" 2>&1 \
        || { tail -n 40 "$log" >&2; exit 1; }
    grep -E "ar_followup[a-z_]*: (running migration|Running migration)|migrations/" "$log" || true
    if grep -E "ERROR|CRITICAL|Patching .* company_dependent" "$log" >&2; then
        echo "error: errors while upgrading (see $log)" >&2
        exit 1
    fi
}

# The released version: its tag, or the commit it names (a clone without tags still has it)
RELEASE=${RELEASE:-18.0.1.0.0}
RELEASE_COMMIT=a1070fdaeccfb9e5e376c19ea4912bafd3dc8845
DB=${UPGRADE_DB:-ar_followup_upgrade}
OLD="$ROOT/.state/upgrade/$RELEASE"
SNAPSHOT="$ROOT/.state/upgrade/snapshot.json"

ref=$(git -C "$ROOT" rev-parse -q --verify "$RELEASE^{commit}" 2>/dev/null || echo "$RELEASE_COMMIT")
rm -rf "$OLD"
mkdir -p "$OLD"
git -C "$ROOT" archive "$ref" ar_followup | tar -x -C "$OLD"
old_version=$("$PY" -c "import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" \
    "$OLD/ar_followup/__manifest__.py")
new_version=$("$PY" -c "import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" \
    "$ROOT/ar_followup/__manifest__.py")
echo "Upgrade test: $old_version ($ref) -> $new_version (this tree)"

CFG_OLD=$(write_config "$DB-old")
sed -i "s|^addons_path = .*$|addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$OLD|" "$CFG_OLD"
CFG_NEW=$(write_config "$DB")
LOG="$ROOT/.state/$DB.log"

echo "Installing ar_followup $old_version into $DB (log: $LOG)"
# with Sales and Inventory, which the bridges (new since) extend
fresh_db "$DB" "$CFG_OLD" "$LOG" ar_followup,sale_management,stock --load-language=en_US,nl_NL \
    --without-demo=all --log-level=warn
PYTHONPATH="$ODOO_SRC" "$PY" "$ROOT/scripts/upgrade_data.py" "$CFG_OLD" "$DB" populate "$SNAPSHOT"

echo "Upgrading $DB to ar_followup $new_version and installing its bridges"
# a bridge installs itself with Sales or Inventory; in a database that had them before, it is
# installed by hand (Apps, or -i), as here
upgrade "$CFG_NEW" "$DB" "$LOG" -u ar_followup -i ar_followup_sale,ar_followup_stock
PYTHONPATH="$ODOO_SRC" "$PY" "$ROOT/scripts/upgrade_data.py" "$CFG_NEW" "$DB" verify "$SNAPSHOT"
installed=$(psql -d "$DB" -tAc "SELECT latest_version FROM ir_module_module WHERE name = 'ar_followup'")
[ "$installed" = "$new_version" ] || { echo "error: installed version is $installed" >&2; exit 1; }
echo "upgrade ok: $old_version -> $installed"

# Second: the version before the customer accounts (18.0.1.8.2, with its bridges) in three
# companies, to this tree: the company-dependent fields of the partner move into
# ar.customer.account (scripts/upgrade_accounts.py)
ACCOUNTS_COMMIT=566a07fe9e782395222af2ee4a67ee53f1eb5b1c
DB2="$DB-accounts"
OLD2="$ROOT/.state/upgrade/18.0.1.8.2"
SNAPSHOT2="$ROOT/.state/upgrade/snapshot-accounts.json"
LOG2="$ROOT/.state/$DB2.log"
rm -rf "$OLD2"
mkdir -p "$OLD2"
git -C "$ROOT" archive "$ACCOUNTS_COMMIT" ar_followup ar_followup_sale ar_followup_stock \
    | tar -x -C "$OLD2"
CFG_OLD2=$(write_config "$DB2-old")
sed -i "s|^addons_path = .*$|addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$OLD2|" "$CFG_OLD2"
CFG_NEW2=$(write_config "$DB2")
echo "Installing ar_followup 18.0.1.8.2 and its bridges into $DB2 (log: $LOG2)"
fresh_db "$DB2" "$CFG_OLD2" "$LOG2" ar_followup,ar_followup_sale,ar_followup_stock \
    --load-language=en_US,nl_NL --without-demo=all --log-level=warn
PYTHONPATH="$ODOO_SRC" "$PY" "$ROOT/scripts/upgrade_accounts.py" "$CFG_OLD2" "$DB2" populate "$SNAPSHOT2"
echo "Upgrading $DB2 to this tree"
upgrade "$CFG_NEW2" "$DB2" "$LOG2" -u ar_followup,ar_followup_sale,ar_followup_stock
PYTHONPATH="$ODOO_SRC" "$PY" "$ROOT/scripts/upgrade_accounts.py" "$CFG_NEW2" "$DB2" verify "$SNAPSHOT2"
echo "upgrade ok: 18.0.1.8.2 with its bridges -> $new_version (customer accounts)"
