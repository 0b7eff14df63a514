# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Accounts Receivable Follow-up: Job Queue",
    "summary": "The daily follow-up run of a company spread over Odoo's workers and servers "
    "with OCA's queue_job: planned once, its batches done as jobs in parallel",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "ar_followup developers",
    "website": "https://github.com/ar-followup/ar_followup",
    "license": "LGPL-3",
    "depends": ["ar_followup", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "data/queue_job_data.xml",
        "views/ar_followup_run_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
}
