#!/usr/bin/env bash
# `make lint`: ruff (lint and format check) and pylint-odoo on the whole tree (the virtualenv
# only: neither Odoo nor PostgreSQL).
set -euo pipefail
source "$(dirname "$0")/prepare.sh"
ensure_venv
cd "$ROOT"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
# every add-on of the repository
"$VENV/bin/pylint" --rcfile=.pylintrc $(ls -d */__manifest__.py | sed 's|/__manifest__.py||')
echo "lint ok"
