# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_followup_jobs = fields.Boolean(
        string="Follow-up run on job workers",
        help="The daily follow-up run is planned by the scheduled action, then its batches "
        "are done as jobs of the channel root.ar_followup by queue_job's workers, in parallel "
        "(on one or several Odoo servers). Only with queue_job's job runner running: without "
        "it, the jobs wait and no reminder goes out.",
    )
