# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Accounts Receivable Follow-up: Credit Insurance",
    "summary": "The credit insurer's data (OCA's partner_risk_insurance) in the credit decision "
    "and its policy's deadlines as duties: the uninsured part, the hold at the maximum credit "
    "period, the invoices to report, the claim",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "ar_followup developers",
    "website": "https://github.com/ar-followup/ar_followup",
    "license": "LGPL-3",
    "depends": ["ar_followup", "partner_risk_insurance"],
    "data": [
        "data/mail_activity_type_data.xml",
        "views/credit_policy_company_views.xml",
        "report/ar_collection_dossier_report.xml",
        "views/account_move_views.xml",
        "views/ar_customer_account_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
    ],
    "auto_install": True,
}
