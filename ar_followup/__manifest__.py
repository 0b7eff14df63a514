# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Accounts Receivable Follow-up",
    "summary": "Staged payment reminders, call activities and credit holds for "
    "overdue customer invoices (debiteurenbeheer)",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "ar_followup developers",
    "website": "https://github.com/ar-followup/ar_followup",
    "license": "LGPL-3",
    "depends": ["account", "mail", "portal"],
    "data": [
        "security/ar_followup_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "data/ar_followup_policy_data.xml",
        "data/ar_dispute_data.xml",
        "views/ar_followup_open_items_templates.xml",
        "views/ar_followup_level_views.xml",
        "views/ar_followup_policy_views.xml",
        "views/ar_followup_history_views.xml",
        "views/ar_followup_run_views.xml",
        "views/ar_dispute_views.xml",
        "views/ar_dispute_portal_templates.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "wizards/ar_followup_preview_views.xml",
        "wizards/ar_credit_hold_wizard_views.xml",
        "wizards/ar_dispute_resolve_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "ar_followup/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/ar_followup_demo.xml",
    ],
}
