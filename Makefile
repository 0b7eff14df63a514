# ar_followup: make demo | make test | make wheel
ODOO_SRC ?= /opt/odoo/18.0
export ODOO_SRC

.PHONY: demo test wheel clean

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

wheel:
	bash scripts/wheel.sh

clean:
	rm -rf .venv .state build dist *.egg-info
