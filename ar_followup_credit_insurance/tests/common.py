from odoo.addons.ar_followup.tests.common import D0, ArFollowupCase, days  # noqa: F401 (re-exported)


class InsuranceCase(ArFollowupCase):
    """A credit insurer whose policy stops deliveries 90 days after the due date, wants unpaid
    invoices reported within 60 days and claimed within 120 (warned 7 days ahead), and a
    customer insured by it for 25,000.00 EUR."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user(
            "ins_billing", "billing", groups="base.group_partner_manager", name="Billing User"
        )
        cls.insurer_contact = cls.env["res.partner"].create(
            {"name": "Verzekeraar Demo N.V.", "is_company": True, "email": "claims@insurer.example"}
        )
        cls.insurer = cls.env["credit.policy.company"].create(
            {
                "name": "Verzekeraar Demo",
                "partner_id": cls.insurer_contact.id,
                "ar_max_credit_days": 90,
                "ar_notification_days": 60,
                "ar_claim_days": 120,
                "ar_warning_days": 7,
            }
        )
        cls.granted = cls.env["credit.policy.state"].create(
            {"name": "Granted", "insure_invoices": True}
        )
        cls.refused = cls.env["credit.policy.state"].create(
            {"name": "Refused", "insure_invoices": False}
        )
        cls._insure(cls.customer, 25000.0)

    @classmethod
    def _insure(cls, partner, limit, state=None):
        partner.write(
            {
                "credit_policy_company_id": cls.insurer.id,
                "credit_policy_state_id": (state or cls.granted).id,
                "insurance_credit_limit": limit,
            }
        )

    def _activities_on(self, invoices):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "in", invoices.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "ar_followup_credit_insurance.mail_activity_type_insurer_deadline"
                    ).id,
                ),
            ]
        )
