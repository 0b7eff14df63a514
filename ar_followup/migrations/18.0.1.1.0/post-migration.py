# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0:

- a reminder's chatter message is a one-line summary, the e-mail as sent stays on its mail
  (linked from the follow-up history), so the reminder templates no longer delete their e-mails
  after sending. The templates are ``noupdate`` data: set it on the existing ones;
- customer invoices get their portal access token when posted (the reminders link to it): the
  open ones without a token get one now, in one statement, instead of in the first run;
- the follow-up state of an invoice (level, last and next follow-up date) moves from three
  columns of ``account_move`` to the narrow table of ``ar.followup.move.state``; the invoice's
  fields of the same names read it from there.
"""

from openupgradelib import openupgrade

REMINDER_TEMPLATES = (
    "mail_template_courtesy",
    "mail_template_reminder",
    "mail_template_second_reminder",
    "mail_template_final_notice",
    "mail_template_fourteen_day_letter",
)


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE mail_template t
           SET auto_delete = FALSE
          FROM ir_model_data d
         WHERE d.module = 'ar_followup' AND d.model = 'mail.template'
           AND d.res_id = t.id AND d.name IN %s
        """,
        (REMINDER_TEMPLATES,),
    )
    if openupgrade.column_exists(env.cr, "account_move", "ar_followup_level_id"):
        openupgrade.logged_query(
            env.cr,
            """
            INSERT INTO ar_followup_move_state (move_id, level_id, last_date, next_date)
            SELECT id, ar_followup_level_id, ar_last_followup_date, ar_next_followup_date
              FROM account_move
             WHERE ar_followup_level_id IS NOT NULL OR ar_last_followup_date IS NOT NULL
                OR ar_next_followup_date IS NOT NULL
                ON CONFLICT (move_id) DO NOTHING
            """,
        )
        openupgrade.drop_columns(
            env.cr,
            [
                ("account_move", "ar_followup_level_id"),
                ("account_move", "ar_last_followup_date"),
                ("account_move", "ar_next_followup_date"),
            ],
        )
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE account_move SET access_token = gen_random_uuid()::text
         WHERE move_type = 'out_invoice' AND state = 'posted'
           AND amount_residual != 0 AND access_token IS NULL
        """,
    )
