"""OCA's own form test of the insured limit (``partner_risk_insurance``'s
``test_default_company_credit_limit``), which `make test-odoo` leaves out because its user is a
billing user and ar_followup reserves credit limits and insurance data to credit-control
managers: the same steps by a credit-control manager give the same figures, and the billing
user is refused with a sentence."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestOcaInsuranceForm(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.config.settings"].create(
            {"account_use_credit_limit": True, "account_default_credit_limit": 100}
        ).execute()
        cls.billing = cls._user(
            "oca_billing", "billing", groups="base.group_partner_manager", name="Billing"
        )

    def test_default_company_credit_limit_by_a_credit_manager(self):
        partner_f = Form(self.env["res.partner"].with_user(self.credit_manager))
        partner_f.name = "You"
        self.assertFalse(partner_f.use_partner_credit_limit)
        self.assertEqual(partner_f.credit_limit, 100.00)
        self.assertEqual(partner_f.company_credit_limit, 100.00)
        partner_f.credit_limit = 50
        self.assertEqual(partner_f.company_credit_limit, 50.00)
        partner_f.insurance_credit_limit = 25
        self.assertEqual(partner_f.credit_limit, 50.00)
        self.assertEqual(partner_f.company_credit_limit, 25.00)
        partner_f.insurance_credit_limit = 100
        self.assertEqual(partner_f.credit_limit, 100.00)
        self.assertEqual(partner_f.company_credit_limit, 0.00)
        partner = partner_f.save()
        self.assertEqual(partner.credit_limit, 100.00)
        self.assertEqual(partner.company_credit_limit, 0.00)
        self.assertEqual(partner.insurance_credit_limit, 100.00)

    def test_billing_user_is_refused_the_insured_limit(self):
        partner_f = Form(self.env["res.partner"].with_user(self.billing))
        partner_f.name = "You"
        partner_f.insurance_credit_limit = 25
        with self.assertRaisesRegex(AccessError, r"credit-control manager.*Insured credit limit"):
            partner_f.save()
