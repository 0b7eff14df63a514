# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.3.0, before the data: the rates this version ships that a user already entered.

The rates shipped since 2024-01-01 are new records of ``data/ar_fee_data.xml``; a rate of the
same kind and date entered by hand would make their creation fail (one rate per kind and
date). Such a row takes the shipped record's xml id (noupdate, as the file): the user's row
stays as it is and the file does not create a second one.
"""

from openupgradelib import openupgrade

SHIPPED = {
    "rate_nl_consumer_2024_01": ("nl_consumer", "2024-01-01"),
    "rate_nl_consumer_2024_07": ("nl_consumer", "2024-07-01"),
    "rate_nl_consumer_2025_01": ("nl_consumer", "2025-01-01"),
    "rate_nl_consumer_2025_07": ("nl_consumer", "2025-07-01"),
    "rate_nl_consumer_2026_01": ("nl_consumer", "2026-01-01"),
    "rate_be_legal_2024": ("be_legal", "2024-01-01"),
    "rate_be_legal_2025": ("be_legal", "2025-01-01"),
    "rate_be_legal_2026": ("be_legal", "2026-01-01"),
}


@openupgrade.migrate()
def migrate(env, version):
    for name, (kind, day) in SHIPPED.items():
        openupgrade.logged_query(
            env.cr,
            """
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
            SELECT 'ar_followup', %s, 'ar.interest.rate', r.id, TRUE
              FROM ar_interest_rate r
             WHERE r.kind = %s AND r.date_from = %s
               AND NOT EXISTS (
                   SELECT 1 FROM ir_model_data d WHERE d.module = 'ar_followup' AND d.name = %s)
            """,
            (name, kind, day, name),
        )
