#!/usr/bin/env bash
# `make lint`: ruff (lint and format check) and pylint-odoo on the whole tree (the virtualenv
# only: neither Odoo nor PostgreSQL).
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_venv
cd "$ROOT"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/pylint" --rcfile=.pylintrc ar_followup
echo "lint ok"
