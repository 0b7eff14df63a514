#!/usr/bin/env bash
# Functions shared by the scripts of `make demo`, `make test`, ...; sourcing this file only sets
# ROOT, ODOO_SRC, VENV and PY and defines the functions, each script calls the ones it needs:
#  - ensure_odoo: Odoo 18.0 at ODOO_SRC, else a shallow clone of it fetched into a cache folder
#    outside the repository (ODOO_FETCH=0: no fetching; check_odoo then stops with a message),
#  - ensure_venv: the virtual environment with requirements.txt,
#  - ensure_postgres: the local PostgreSQL server accepting connections from this user
#    (installed first when there is none: Debian's postgresql, as root; elsewhere it says
#    what to install),
#  - fresh_db: a new database with modules installed (odoo -i), its log checked.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
export ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
export VENV=${VENV:-$ROOT/.venv}
export PY=$VENV/bin/python
# where ensure_odoo clones Odoo 18.0 when ODOO_SRC has none, and from where
ODOO_CACHE=${ODOO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ar_followup/odoo-18.0}
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo}

die() { printf 'error: %s\n' "$*" >&2; exit 2; }

# Whether directory $1 holds an Odoo 18.0 tree.
is_odoo18() {
    [ -f "$1/odoo-bin" ] && [ -d "$1/addons/account" ] && grep -q "18, 0" "$1/odoo/release.py" 2>/dev/null
}

check_odoo() {
    if ! is_odoo18 "$ODOO_SRC"; then
        die "Odoo 18.0 was not found at ODOO_SRC=$ODOO_SRC.
  This project does not ship Odoo. Put an unmodified Odoo 18.0 Community tree there
  (odoo/, addons/, odoo-bin, requirements.txt from the 18.0 branch of odoo/odoo on GitHub,
  e.g. 'git clone --depth 1 -b 18.0 https://github.com/odoo/odoo $ODOO_SRC'),
  or point ODOO_SRC at an existing one: make test ODOO_SRC=/path/to/odoo-18.0"
    fi
}

# Odoo 18.0 at ODOO_SRC; when there is none, the one in ODOO_CACHE, cloned there first if need
# be (git clone --depth 1 -b 18.0 ODOO_GIT_URL, a few hundred MB), and ODOO_SRC then points
# there.
# ODOO_FETCH=0 turns the fetching off. Without Odoo, check_odoo says where to get it.
ensure_odoo() {
    if is_odoo18 "$ODOO_SRC" || [ "${ODOO_FETCH:-1}" = 0 ]; then
        check_odoo
        return
    fi
    if ! is_odoo18 "$ODOO_CACHE"; then
        [ ! -e "$ODOO_CACHE" ] \
            || die "$ODOO_CACHE exists but holds no Odoo 18.0: remove it, or set ODOO_SRC"
        echo "No Odoo 18.0 at ODOO_SRC=$ODOO_SRC: fetching it from $ODOO_GIT_URL into $ODOO_CACHE"
        local partial="$ODOO_CACHE.partial"
        rm -rf "$partial"
        mkdir -p "$(dirname "$ODOO_CACHE")"
        if git clone --depth 1 -b 18.0 --progress "$ODOO_GIT_URL" "$partial" \
            && is_odoo18 "$partial"; then
            mv "$partial" "$ODOO_CACHE"
        else
            rm -rf "$partial"
            echo "error: could not fetch Odoo 18.0 from $ODOO_GIT_URL" >&2
            check_odoo
        fi
    fi
    echo "Using Odoo 18.0 from $ODOO_CACHE (ODOO_SRC=$ODOO_SRC has none)"
    export ODOO_SRC=$ODOO_CACHE
}

ensure_venv() {
    local stamp="$VENV/.requirements.sha"
    local want
    want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
    if [ ! -x "$PY" ]; then
        echo "Creating virtual environment in $VENV"
        python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "Installing Python requirements (requirements.txt)"
        if ! command -v pg_config >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
            && [ "$(id -u)" = 0 ]; then
            apt-get install -y -q libpq-dev >/dev/null 2>&1 || true
        fi
        "$PY" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
        "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.txt" 2>&1 \
            | grep -v "^WARNING: Location" || true
        "$PY" -c "import psycopg2, lxml, werkzeug, pytest" \
            || die "the Python requirements did not install; see the messages above"
        echo "$want" > "$stamp"
    fi
}

# Where a Debian machine keeps its PostgreSQL servers, and what it says it is (the tests of
# the scripts point them at a pretend machine).
PG_LIB_DIR=${PG_LIB_DIR:-/usr/lib/postgresql}
OS_RELEASE=${OS_RELEASE:-/etc/os-release}

# The local PostgreSQL server: installed when there is none (on Debian as root, like the other
# packages; elsewhere it says exactly what to install), started when it is not running, and a
# superuser role for this user (createdb, dropdb).
ensure_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        postgres_installed || install_postgres
        start_postgres
    fi
    ensure_postgres_role
}

# Whether a PostgreSQL server (not only its client) is installed.
postgres_installed() {
    local bin
    command -v postgres >/dev/null 2>&1 && return 0
    for bin in "$PG_LIB_DIR"/*/bin/postgres; do
        [ -x "$bin" ] && return 0
    done
    return 1
}

# The newest PostgreSQL version installed the Debian way (e.g. 15), else nothing.
postgres_version() {
    local bin version=""
    for bin in "$PG_LIB_DIR"/*/bin/postgres; do
        [ -x "$bin" ] || continue
        bin=${bin%/bin/postgres}
        bin=${bin##*/}
        if [ -z "$version" ] || [ "${bin%%.*}" -gt "${version%%.*}" ]; then
            version=$bin
        fi
    done
    printf '%s' "$version"
}

# debian (Debian, Ubuntu and their kin), fedora (Fedora, RHEL, CentOS), macos, or nothing.
os_family() {
    if [ "$(uname -s 2>/dev/null)" = Darwin ]; then
        echo macos
        return
    fi
    [ -r "$OS_RELEASE" ] || return 0
    case " $(. "$OS_RELEASE" && echo "${ID:-} ${ID_LIKE:-}") " in
        *" debian "* | *" ubuntu "*) echo debian ;;
        *" fedora "* | *" rhel "* | *" centos "*) echo fedora ;;
    esac
}

install_postgres() {
    local user family
    user=$(id -un)
    family=$(os_family)
    if [ "$family" = debian ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL is not installed: installing Debian's postgresql (apt-get install postgresql)"
        apt-get update -q >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
            || die "apt-get install postgresql failed: run it to see why"
        postgres_installed || die "apt-get installed postgresql, but no PostgreSQL server was found in $PG_LIB_DIR"
        echo "Installed PostgreSQL $(postgres_version) (Debian's postgresql)"
        return
    fi
    case "$family" in
        debian) die "PostgreSQL is not installed. Install it as root and give $user a superuser role, then run this again:
  sudo apt-get install postgresql
  sudo -u postgres createuser --superuser $user" ;;
        fedora) die "PostgreSQL is not installed. Install and start it, give $user a superuser role, then run this again:
  sudo dnf install postgresql-server postgresql
  sudo postgresql-setup --initdb
  sudo systemctl enable --now postgresql
  sudo -u postgres createuser --superuser $user" ;;
        macos) die "PostgreSQL is not installed. Install and start it with Homebrew (its superuser is you), then run this again:
  brew install postgresql@15
  brew link --force postgresql@15
  brew services start postgresql@15" ;;
        *) die "PostgreSQL is not installed. Install PostgreSQL 15 (server and client) with your system's packages, start it, and give $user a superuser role (as the postgres user: createuser --superuser $user); then run this again." ;;
    esac
}

# Starts the Debian clusters that are down (and creates one when there is none).
start_postgres() {
    local version name port status rest clusters i
    echo "PostgreSQL is not accepting connections; starting it"
    if command -v pg_lsclusters >/dev/null 2>&1; then
        clusters=$(pg_lsclusters -h 2>/dev/null || true)
        if [ -z "$clusters" ] && [ -n "$(postgres_version)" ]; then
            version=$(postgres_version)
            echo "Creating the PostgreSQL cluster $version/main (pg_createcluster $version main)"
            pg_createcluster "$version" main >/dev/null || die "pg_createcluster $version main failed"
            clusters=$(pg_lsclusters -h 2>/dev/null || true)
        fi
        while read -r version name port status rest; do
            [ -n "$version" ] && [ "$status" != online ] || continue
            echo "Starting the PostgreSQL cluster $version/$name (pg_ctlcluster $version $name start)"
            pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start || true
        done <<<"$clusters"
    fi
    for ((i = 0; i < 30; i++)); do
        pg_isready -q 2>/dev/null && return
        sleep 1
    done
    die "PostgreSQL is not running and could not be started (Debian: pg_ctlcluster --skip-systemctl-redirect 15 main start; Fedora: sudo systemctl start postgresql; macOS: brew services start postgresql@15)"
}

# This user's role: created (a superuser) as root when it is missing, else the command said.
ensure_postgres_role() {
    local user
    psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1 && return
    user=$(id -un)
    if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1 \
        && [ -z "$(runuser -u postgres -- psql -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$user'" 2>/dev/null)" ]; then
        echo "Creating the PostgreSQL superuser role $user (runuser -u postgres -- createuser --superuser $user)"
        runuser -u postgres -- createuser --superuser "$user" || die "could not create the PostgreSQL role $user"
        return
    fi
    echo "warning: $user cannot connect to PostgreSQL; when it has no role there, give it one (as the postgres user: createuser --superuser $user)" >&2
}

# Tours (HttpCase.start_tour) need a Chrome-like browser: Debian's chromium.
ensure_chromium() {
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's chromium for the browser tests"
        apt-get update -q >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || true
    fi
    command -v chromium >/dev/null 2>&1 \
        || die "the browser tests need Chromium: apt-get install chromium (as root)"
}

# Real PDFs (statements, letters) need Debian's wkhtmltopdf; one test renders one.
ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's wkhtmltopdf for the PDF statements"
        apt-get update -q >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q wkhtmltopdf >/dev/null 2>&1 || true
    fi
    command -v wkhtmltopdf >/dev/null 2>&1 \
        || die "the PDF test needs wkhtmltopdf: apt-get install wkhtmltopdf (as root)"
}

# The real-PDF test reads the PDF's text with pdftotext (Debian's poppler-utils).
ensure_pdftotext() {
    command -v pdftotext >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's poppler-utils for the PDF text test"
        apt-get update -q >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils >/dev/null 2>&1 || true
    fi
    command -v pdftotext >/dev/null 2>&1 \
        || die "the PDF test needs pdftotext: apt-get install poppler-utils (as root)"
}

# OCA's add-ons the bridges depend on (ar_followup_bank: bank statement import and matching;
# ar_followup_credit_insurance: partner_risk_insurance; ar_followup_direct_debit: SEPA direct
# debit with mandates and payment orders, payment returns and their ISO 20022 import;
# ar_followup_queue_job: queue_job),
# each from its PyPI wheel (18.0, --no-deps), unpacked into .state/oca/addons, outside the
# add-ons of the repository and never committed. Their own OCA dependencies are named here
# one by one (read from each manifest's depends).
OCA_ADDONS="account_statement_base account_statement_import_base account_statement_import_file
    account_statement_import_camt account_statement_import_coda account_reconcile_model_oca
    account_reconcile_oca partner_risk_insurance account_payment_mode account_payment_partner
    account_payment_order account_banking_pain_base account_banking_mandate
    account_banking_sepa_direct_debit account_payment_return account_payment_return_import
    account_payment_return_import_iso20022 queue_job"
OCA_DIR="$ROOT/.state/oca"
ensure_oca() {
    local addon tmp whl
    mkdir -p "$OCA_DIR/wheels" "$OCA_DIR/addons"
    for addon in $OCA_ADDONS; do
        [ -f "$OCA_DIR/addons/$addon/__manifest__.py" ] && continue
        echo "Fetching OCA's $addon 18.0 wheel (no dependencies)"
        "$PY" -m pip download -q --disable-pip-version-check --no-deps -d "$OCA_DIR/wheels" \
            "odoo-addon-${addon//_/-}>=18.0,<18.1" 2>&1 | grep -v "^WARNING: Location" || true
        whl=$(ls "$OCA_DIR"/wheels/odoo_addon_"$addon"-18.0*.whl 2>/dev/null | sort -V | tail -n 1)
        [ -n "$whl" ] || die "the wheel of OCA's $addon could not be downloaded from PyPI"
        tmp=$(mktemp -d)
        "$PY" -m zipfile -e "$whl" "$tmp"
        rm -rf "$OCA_DIR/addons/$addon"
        cp -r "$tmp/odoo/addons/$addon" "$OCA_DIR/addons/"
        rm -rf "$tmp"
    done
}

# Writes an Odoo configuration file for database $1 and prints its path.
write_config() {
    local db=$1 cfg="$ROOT/.state/$1.cfg"
    mkdir -p "$ROOT/.state/data" "$OCA_DIR/addons"
    cat > "$cfg" <<CFG
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$ROOT,$OCA_DIR/addons
data_dir = $ROOT/.state/data
db_name = $db
dbfilter = ^$db\$
list_db = False
admin_passwd = admin
http_interface = 127.0.0.1
http_port = ${HTTP_PORT:-8069}
without_demo = False
max_cron_threads = 1
CFG
    printf '%s\n' "$cfg"
}

# Odoo with the Python of $PY (set PY=... for another interpreter).
odoo() {
    PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$PY" "$ODOO_SRC/odoo-bin" "$@"
}

# fresh_db DB CONFIG LOG MODULES [ODOO OPTION...]: drops database DB, creates it and installs
# MODULES (comma-separated) with Odoo's configuration CONFIG and the options given, writing
# Odoo's output to LOG; when the installation fails, shows the end of LOG and stops.
fresh_db() {
    local db=$1 cfg=$2 log=$3 modules=$4
    shift 4
    dropdb --if-exists "$db" 2>/dev/null
    createdb "$db"
    if ! odoo -c "$cfg" -d "$db" -i "$modules" --stop-after-init "$@" > "$log" 2>&1; then
        tail -n 60 "$log" >&2
        echo "error: installing $modules into the database $db failed (log: $log)" >&2
        exit 1
    fi
}
