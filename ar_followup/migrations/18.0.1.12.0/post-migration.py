# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.12.0: collection agencies get a model of their own (``ar.collection.agency``), out of
the partner. Every contact marked as an agency, bailiff or lawyer gets one, with its terms; the
e-mail for new cases is the one it had, else the contact's e-mail (where its dossiers went);
the partner's columns go."""

from openupgradelib import openupgrade

from odoo.tools import SQL

COLUMNS = (
    "ar_agency_kind",
    "ar_agency_email",
    "ar_agency_commission",
    "ar_agency_keeps_costs",
    "ar_agency_email_payments",
)


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if not openupgrade.column_exists(cr, "res_partner", COLUMNS[0]):
        return
    cr.execute(
        SQL(
            """
            INSERT INTO ar_collection_agency
                   (partner_id, kind, email, commission, keeps_costs, email_payments,
                    create_uid, create_date, write_uid, write_date)
            SELECT p.id, p.ar_agency_kind, COALESCE(NULLIF(p.ar_agency_email, ''), p.email),
                   COALESCE(p.ar_agency_commission, 0), p.ar_agency_keeps_costs IS NOT FALSE,
                   p.ar_agency_email_payments IS TRUE,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM res_partner p
             WHERE p.ar_agency_kind IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM ar_collection_agency a WHERE a.partner_id = p.id)
            """,
            uid=env.uid,
        )
    )
    openupgrade.drop_columns(cr, [("res_partner", column) for column in COLUMNS])
    env.invalidate_all()
