# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The migration of company-dependent columns of ``res_partner`` (JSONB, one value per
company id) into ``ar_customer_account`` (one row per commercial partner and company), shared
by the core's and the bridges' migrations."""

from openupgradelib import openupgrade

from odoo.tools import SQL

# the partner's company-dependent columns of ar_followup 18.0.1.8.2 and their accounts' columns
COLUMNS = {
    "ar_followup_policy_id": ("followup_policy_id", "int", "ar_followup_policy"),
    "ar_followup_level_id": ("followup_level_id", "int", "ar_followup_level"),
    "ar_next_followup_date": ("next_followup_date", "date", None),
    "ar_followup_responsible_id": ("followup_responsible_id", "int", "res_users"),
    "ar_followup_paused_until": ("followup_paused_until", "date", None),
    "ar_credit_hold": ("credit_hold", "boolean", None),
    "ar_credit_hold_reason": ("credit_hold_reason", "varchar", None),
    "ar_credit_hold_date": ("credit_hold_date", "date", None),
    "ar_credit_hold_origin": ("credit_hold_origin", "varchar", None),
    "ar_credit_policy": ("credit_policy", "varchar", None),
    "ar_insured_limit": ("insured_limit", "numeric", None),
    "ar_credit_review_date": ("credit_review_date", "date", None),
    "ar_credit_review_notified": ("credit_review_notified", "date", None),
}

# what a company-dependent value that was never set, or was emptied, holds
EMPTY_JSON = "('null'::jsonb, 'false'::jsonb, '\"\"'::jsonb, '0'::jsonb)"


def aside(column):
    """The name a company-dependent column of the partner has between the pre- and the
    post-migration."""
    return f"{column}_before_accounts"


def set_aside(env, columns):
    """Pre-migration: rename the partner's company-dependent ``columns`` out of the way and
    mark their fields as no longer company-dependent, so that Odoo sets the new fields up as
    they are declared (it would keep a JSONB column of the same name company-dependent)."""
    cr = env.cr
    for column in columns:
        if openupgrade.column_exists(cr, "res_partner", column):
            openupgrade.rename_columns(cr, {"res_partner": [(column, aside(column))]})
    cr.execute(
        "UPDATE ir_model_fields SET company_dependent = FALSE"
        " WHERE model = 'res.partner' AND name = ANY(%s)",
        (list(columns),),
    )


def move_to_accounts(env, columns):
    """Post-migration: move ``columns`` (``{partner column: (account column, SQL type,
    referenced table or None)}``, set aside by :func:`set_aside`) into the accounts: an
    account for each commercial partner and company that has a value in one of them, the
    values set, the partner's columns dropped. Values of contacts (never read: a contact
    shows its company's) and of companies, or records, deleted since are left out. Returns
    the number of accounts created."""
    cr = env.cr
    present = {
        aside(column): spec
        for column, spec in columns.items()
        if openupgrade.column_exists(cr, "res_partner", aside(column))
    }
    created = 0
    for column, (account_column, sql_type, table) in present.items():
        valid = SQL("TRUE")
        if table:
            valid = SQL(
                "EXISTS (SELECT 1 FROM %s t WHERE t.id = (v.value #>> '{}')::int)",
                SQL.identifier(table),
            )
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE ar_move_values ON COMMIT DROP AS
                SELECT p.id AS partner_id, c.id AS company_id, v.value #>> '{}' AS value
                  FROM res_partner p
                 CROSS JOIN jsonb_each(p.%(column)s) v
                  JOIN res_company c ON c.id::text = v.key
                 WHERE p.%(column)s IS NOT NULL
                   AND p.id = p.commercial_partner_id
                   AND v.value NOT IN %(empty)s
                   AND %(valid)s
                """,
                column=SQL.identifier(column),
                empty=SQL(EMPTY_JSON),
                valid=valid,
            )
        )
        cr.execute(
            """
            INSERT INTO ar_customer_account
                   (partner_id, company_id, create_uid, create_date, write_uid, write_date)
            SELECT partner_id, company_id, 1, now() AT TIME ZONE 'UTC',
                   1, now() AT TIME ZONE 'UTC'
              FROM ar_move_values
                ON CONFLICT (partner_id, company_id) DO NOTHING
            """
        )
        created += cr.rowcount
        update = SQL(
            "UPDATE ar_customer_account a SET %s = v.value::%s FROM ar_move_values v"
            " WHERE v.partner_id = a.partner_id AND v.company_id = a.company_id",
            SQL.identifier(account_column),
            SQL(sql_type),
        )
        openupgrade.logged_query(cr, update.code, update.params)
        cr.execute("DROP TABLE ar_move_values")
        cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(column)))
    env["ar.customer.account"].invalidate_model()
    return created
