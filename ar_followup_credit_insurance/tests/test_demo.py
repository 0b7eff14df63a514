"""The demo's insurer (``make demo``): after today's run, the invoice never reported is
uninsured and the customer past the maximum credit period is on hold by the insurer."""

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase
from odoo.addons.ar_followup_credit_insurance.demo import generator

from .common import D0


@tagged("post_install", "-at_install")
class TestInsuranceDemo(ArFollowupCase):
    def test_demo_insurer_after_todays_run(self):
        with freeze_time(D0):
            insurer = generator.generate(self.env, self.company)
            self._run(D0)
        invoices = self.env["account.move"].search([("credit_policy_company_id", "=", insurer.id)])
        self.assertEqual(len(invoices), 3)
        # what the insurer's export and claim dossier name them by
        for customer in invoices.commercial_partner_id:
            self.assertTrue(customer.street and customer.vat and customer.company_registry)
        flagged = invoices.filtered("ar_insurer_uninsured")
        self.assertEqual(flagged.mapped("ar_insurer_uninsured"), ["notification"])
        self.assertEqual(flagged.commercial_partner_id.name, "Bouwbedrijf De Verzekerde B.V.")
        held = self._account(
            self.env["res.partner"].search([("name", "=", "Transport Zekerheid B.V.")])
        )
        self.assertEqual((held.credit_hold, held.credit_hold_origin), (True, "insurer"))
        insured = self._account(flagged.commercial_partner_id)
        self.assertFalse(insured.credit_hold and insured.credit_hold_origin == "insurer")
        # the flagged invoice (6,200 + the company's sales tax) is all uninsured exposure
        self.assertEqual(insured.uninsured_amount, flagged.amount_residual_signed)
