# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Accounts Receivable Follow-up: SEPA Direct Debit",
    "summary": "OCA's SEPA direct debit in the follow-up: an invoice being collected is not "
    "chased, a debit the bank returned enters the ladder at once with its reason in words",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "ar_followup developers",
    "website": "https://github.com/ar-followup/ar_followup",
    "license": "LGPL-3",
    "depends": [
        "ar_followup",
        "account_banking_sepa_direct_debit",
        "account_payment_return_import_iso20022",
    ],
    "data": [
        "data/mail_template_data.xml",
        "data/mail_activity_type_data.xml",
        "views/ar_followup_open_items_templates.xml",
        "views/report_invoice.xml",
        "views/ar_statement_portal_templates.xml",
        "views/ar_followup_level_views.xml",
        "report/mandate_b2b_report.xml",
        "report/mandate_signed_report.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
    ],
    "auto_install": True,
}
