# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Accounts Receivable Follow-up: Sales",
    "summary": "Credit holds and limits stop the confirmation of sales orders, not only the "
    "invoice; prepayment for risky and new customers (ar_followup and sale)",
    "version": "18.0.1.4.0",
    "category": "Accounting/Accounting",
    "author": "ar_followup developers",
    "website": "https://github.com/ar-followup/ar_followup",
    "license": "LGPL-3",
    "depends": ["ar_followup", "sale"],
    "data": [
        "views/sale_order_views.xml",
        "views/sale_portal_templates.xml",
        "views/res_config_settings_views.xml",
        "views/ar_customer_account_views.xml",
        "views/ar_followup_level_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "ar_followup_sale/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
}
