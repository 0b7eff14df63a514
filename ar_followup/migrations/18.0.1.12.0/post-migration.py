# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.12.0, out of the partner:

- collection agencies get a model of their own (``ar.collection.agency``), per company. Every
  contact marked as an agency, bailiff or lawyer gets one in each company it belongs to (all
  of them for a contact of no company: it collected for every company), with its terms;
  the e-mail for new cases is the one it had, else the contact's e-mail (where its dossiers
  went); the partner's columns go.
- the statement sent by hand renders on the customer's account: its template (kept as the
  company edited it: it reads the same names) changes model and attaches the account's
  statement; the hand-over notice reads whom it goes to from the case."""

from openupgradelib import openupgrade

from odoo import Command
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
    move_agencies(env)
    move_templates(env)


def move_templates(env):
    statement = env.ref("ar_followup.mail_template_statement", raise_if_not_found=False)
    account = env["ir.model"]._get("ar.customer.account")
    if statement and statement.model_id != account:
        old = env.ref("ar_followup.action_report_statement")
        new = env.ref("ar_followup.action_report_account_statement")
        reports = [Command.unlink(old.id), Command.link(new.id)]
        linked = old in statement.report_template_ids
        statement.write({"model_id": account.id, "report_template_ids": reports if linked else []})
    notice = env.ref("ar_followup.mail_template_collection_notice", raise_if_not_found=False)
    if notice and notice.partner_to == "{{ object.partner_id.ar_followup_partner_to }}":
        notice.partner_to = "{{ object.ar_followup_partner_to }}"


def move_agencies(env):
    cr = env.cr
    if not openupgrade.column_exists(cr, "res_partner", COLUMNS[0]):
        return
    cr.execute(
        SQL(
            """
            INSERT INTO ar_collection_agency
                   (partner_id, company_id, kind, email, commission, keeps_costs,
                    email_payments, create_uid, create_date, write_uid, write_date)
            SELECT p.id, c.id, p.ar_agency_kind,
                   COALESCE(NULLIF(p.ar_agency_email, ''), p.email),
                   COALESCE(p.ar_agency_commission, 0), p.ar_agency_keeps_costs IS NOT FALSE,
                   p.ar_agency_email_payments IS TRUE,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM res_partner p
              JOIN res_company c ON p.company_id IS NULL OR p.company_id = c.id
             WHERE p.ar_agency_kind IS NOT NULL
               AND NOT EXISTS (
                   SELECT 1 FROM ar_collection_agency a
                    WHERE a.partner_id = p.id AND a.company_id = c.id
               )
            """,
            uid=env.uid,
        )
    )
    openupgrade.drop_columns(cr, [("res_partner", column) for column in COLUMNS])
    env.invalidate_all()
