# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the customer's account shows of its credit insurance (OCA's data on the customer,
read, not copied): the insurer, the policy state, the insured limit and when it was granted,
and the exposure above it, uninsured. A hold can be the insurer's (the maximum credit
period of its policy)."""

from odoo import api, fields, models

# OCA's insurance data of the customer: the credit-control manager's, as its credit limit
INSURANCE_FIELDS = {
    "insurance_credit_limit",
    "risk_insurance_coverage_percent",
    "risk_insurance_requested",
    "risk_insurance_grant_date",
    "risk_insurance_code",
    "risk_insurance_code_2",
    "credit_policy_state_id",
    "credit_policy_company_id",
}


class ArCustomerAccount(models.Model):
    _inherit = "ar.customer.account"

    credit_hold_origin = fields.Selection(
        selection_add=[("insurer", "Credit insurer")], ondelete={"insurer": "set null"}
    )
    insurer_id = fields.Many2one(
        "credit.policy.company",
        string="Credit insurer",
        compute="_compute_insurance",
        help="The customer's credit insurer (set on the customer, Credit Insurance tab).",
    )
    insurance_state_id = fields.Many2one(
        "credit.policy.state",
        string="Policy state",
        compute="_compute_insurance",
        help="The state of the insurer's decision; invoices are insured when it insures them.",
    )
    insurance_grant_date = fields.Date(string="Insurance granted on", compute="_compute_insurance")
    insured_amount = fields.Monetary(
        string="Insured by the insurer",
        compute="_compute_insurance",
        help="What the insurer covers for this customer (OCA's insured credit limit; nothing "
        "when the policy state does not insure invoices).",
    )
    uninsured_amount = fields.Monetary(
        string="Uninsured exposure",
        compute="_compute_insurance",
        help="The exposure above the insured limit, plus the open invoices flagged uninsured "
        "(a deadline of the policy missed).",
    )

    @api.model
    def _ar_credit_manager_fields(self):
        return super()._ar_credit_manager_fields() | INSURANCE_FIELDS

    @api.model
    def _ar_with_credit_data(self, partners, outside=None):
        """An insured customer carries credit data too: moving it under another company (or
        out of one) is the credit-control manager's, as with a credit limit."""
        found = super()._ar_with_credit_data(partners, outside)
        return found | partners.sudo().filtered("credit_policy_company_id").with_env(partners.env)

    def _compute_insurance(self):
        for company, accounts in self.grouped("company_id").items():
            figures = self.with_company(company)._ar_uninsured(accounts.partner_id)
            for account in accounts:
                partner = account.partner_id.sudo()
                cover = figures.get(partner.id)
                account.insurer_id = partner.credit_policy_company_id
                account.insurance_state_id = partner.credit_policy_state_id
                account.insurance_grant_date = partner.risk_insurance_grant_date
                account.insured_amount = cover.covered if cover else 0.0
                account.uninsured_amount = cover.uninsured if cover else 0.0
