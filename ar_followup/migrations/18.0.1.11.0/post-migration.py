# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.11.0: the customer's credit rating (rating, date, source) moves from the partner
into its account, as the rest of its credit data did in 18.0.1.9.0. The rating was the same
in every company: each company the customer belongs to gets it on its account (made where
missing); the partner's columns go."""

from openupgradelib import openupgrade

from odoo.tools import SQL

COLUMNS = ("ar_credit_rating", "ar_credit_rating_date", "ar_credit_rating_source")


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if not openupgrade.column_exists(cr, "res_partner", COLUMNS[0]):
        return
    cr.execute(
        SQL(
            "SELECT id, company_id FROM res_partner"
            " WHERE id = commercial_partner_id"
            " AND (ar_credit_rating IS NOT NULL OR ar_credit_rating_date IS NOT NULL"
            " OR ar_credit_rating_source IS NOT NULL)"
        )
    )
    rows = cr.fetchall()
    Account = env["ar.customer.account"].sudo()
    Partner = env["res.partner"].with_context(active_test=False)
    for company in env["res.company"].search([]):  # pylint: disable=no-search-all
        partners = Partner.browse([pid for pid, cid in rows if cid in (None, company.id)])
        Account._ar_get(partners, company)  # made where missing
    env.flush_all()
    cr.execute(
        SQL(
            """
            UPDATE ar_customer_account a
               SET credit_rating = p.ar_credit_rating,
                   credit_rating_date = p.ar_credit_rating_date,
                   credit_rating_source = p.ar_credit_rating_source
              FROM res_partner p
             WHERE p.id = a.partner_id AND p.id = ANY(%s)
            """,
            [pid for pid, _cid in rows],
        )
    )
    openupgrade.drop_columns(cr, [("res_partner", column) for column in COLUMNS])
    env.invalidate_all()
