# ar_followup: make demo | make test | make test-odoo | make wheel | make i18n
ODOO_SRC ?= /opt/odoo/18.0
export ODOO_SRC

.PHONY: demo test test-odoo test-upgrade test-wheel lint wheel i18n bench bench-workers screenshots clean

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

wheel:
	bash scripts/wheel.sh

# the wheel, installed with pip into a fresh virtualenv, installs the module into a database
test-wheel:
	bash scripts/test_wheel.sh

# install the released 18.0.1.0.0, create data, upgrade to this tree, check every record
test-upgrade:
	bash scripts/test_upgrade.sh

# ruff and pylint-odoo
lint:
	bash scripts/lint.sh

# Odoo's own account, portal and mail tests with ar_followup installed (about 10 minutes)
test-odoo:
	bash scripts/test_odoo.sh

# README screenshots from the demo, in headless Chromium
screenshots:
	bash scripts/screenshots.sh

# Regenerate the .pot from the code and merge it into nl.po
i18n:
	bash scripts/i18n.sh

# ar_followup against OCA's account_credit_control (CUSTOMERS=2000 INVOICES=20000)
bench:
	bash benchmarks/bench.sh

# one company's run over job workers (BASE=ar_bench WORKERS="1 2 4"), on copies of a bench database
bench-workers:
	bash benchmarks/workers.sh

clean:
	rm -rf .venv .state build dist *.egg-info
