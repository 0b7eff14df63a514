"""The insurance's screens without Odoo's sales credit limit in use (the demo's set-up): the
setting of the uninsured exposure and the customer's Credit Insurance tab are there (a new
user found neither)."""

from odoo.tests import Form, tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestInsuranceScreens(ArFollowupCase):
    def test_setting_and_tab_without_the_sales_credit_limit(self):
        self.env.company.account_use_credit_limit = False
        with Form(self.env["res.config.settings"]) as settings:
            settings.ar_uninsured_policy = "block"
        self.assertEqual(self.env.company.ar_uninsured_policy, "block")
        with Form(self.customer.with_user(self.credit_manager)) as partner:
            partner.insurance_credit_limit = 25000.0
        self.assertEqual(self.customer.insurance_credit_limit, 25000.0)
