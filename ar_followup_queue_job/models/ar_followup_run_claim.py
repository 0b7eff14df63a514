# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Which job acts on which customer in a company's run of a date: one row a customer, claimed
in the job's own transaction before it acts. Two workers on one batch (a job started twice)
cannot both claim a customer: the second waits for the first's transaction and finds its
claim, or gets a serialization failure that queue_job retries; a job whose transaction is
rolled back (killed, failed) leaves no claim, so its retry acts."""

from odoo import fields, models
from odoo.tools import SQL


class ArFollowupRunClaim(models.Model):
    _name = "ar.followup.run.claim"
    _description = "Follow-up Run Claim"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    date = fields.Date(required=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    run_id = fields.Many2one("ar.followup.run", required=True, ondelete="cascade", index=True)
    job_id = fields.Many2one("ar.followup.run.job", ondelete="cascade", index=True)

    _sql_constraints = [
        (
            "customer_once_a_day",
            "UNIQUE (company_id, date, partner_id)",
            "A customer is followed up once a day.",
        )
    ]

    def _ar_claim(self, job, partner_ids):
        """Claim ``partner_ids`` for ``job`` (``ar.followup.run.job``): the ids of those no
        job of the company's run of that date claimed before, in one statement."""
        run = job.run_id
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ar_followup_run_claim (company_id, date, partner_id, run_id, job_id)
                SELECT %s, %s, pid, %s, %s FROM unnest(%s::int[]) AS pid
                ON CONFLICT (company_id, date, partner_id) DO NOTHING
                RETURNING partner_id
                """,
                run.company_id.id,
                run.date,
                run.id,
                job.id,
                list(partner_ids),
            )
        )
        return sorted(row[0] for row in self.env.cr.fetchall())
