# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Accounts Receivable Follow-up: Bank Statements",
    "summary": "Bank statements in (CAMT.053, CODA) with OCA's import, payments matched on "
    "the reminder's structured reference on import: a customer who paid is not chased",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "ar_followup developers",
    "website": "https://github.com/ar-followup/ar_followup",
    "license": "LGPL-3",
    "depends": [
        "ar_followup",
        "account_statement_import_camt",
        "account_statement_import_coda",
        "account_reconcile_oca",
        "account_reconcile_model_oca",
    ],
    "data": [
        "security/res_groups.xml",
        "views/account_reconcile_model_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "auto_install": True,
}
