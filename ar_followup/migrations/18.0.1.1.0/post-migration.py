# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0:

- a reminder's chatter message is a one-line summary, the e-mail as sent stays on its mail
  (linked from the follow-up history), so the reminder templates no longer delete their e-mails
  after sending. The templates are ``noupdate`` data: set it on the existing ones;
- customer invoices get their portal access token when posted (the reminders link to it): the
  open ones without a token get one now, in one statement, instead of in the first run.
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
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE account_move SET access_token = gen_random_uuid()::text
         WHERE move_type = 'out_invoice' AND state = 'posted'
           AND amount_residual != 0 AND access_token IS NULL
        """,
    )
