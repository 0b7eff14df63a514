# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Accounts Receivable Follow-up: Deliveries",
    "summary": "A credit hold stops the delivery of goods to the customer, not only its "
    "next invoice (ar_followup and stock)",
    "version": "18.0.1.1.0",
    "category": "Accounting/Accounting",
    "author": "ar_followup developers",
    "website": "https://github.com/ar-followup/ar_followup",
    "license": "LGPL-3",
    "depends": ["ar_followup", "stock"],
    "data": [
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
}
