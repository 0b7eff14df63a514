# ar_followup: make demo | make test | make test-odoo | make wheel | make i18n
ODOO_SRC ?= /opt/odoo/18.0
export ODOO_SRC

.PHONY: demo test test-odoo lint wheel i18n bench clean

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

wheel:
	bash scripts/wheel.sh

# ruff and pylint-odoo
lint:
	bash scripts/lint.sh

# Odoo's own account, portal and mail tests with ar_followup installed (about 10 minutes)
test-odoo:
	bash scripts/test_odoo.sh

# Regenerate the .pot from the code and merge it into nl.po
i18n:
	bash scripts/i18n.sh

# ar_followup against OCA's account_credit_control (CUSTOMERS=2000 INVOICES=20000)
bench:
	bash benchmarks/bench.sh

clean:
	rm -rf .venv .state build dist *.egg-info
