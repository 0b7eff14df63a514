"""pytest-odoo on Odoo 18: mark the running test as Odoo's own test runner does
(``odoo.tests.suite`` sets ``odoo.modules.module.current_test``; pytest-odoo only does so from
Odoo 19). Odoo relies on it to stay off the network in tests: the mail server then accepts
every e-mail without connecting, as in Odoo's own test suites."""

import pytest


@pytest.fixture(autouse=True)
def _odoo_current_test(request):
    from odoo.modules import module

    previous = module.current_test
    module.current_test = getattr(request, "instance", None) or True
    yield
    module.current_test = previous
