# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.2.0: reminders have a delivery state (an undelivered reminder does not count).

The reminders recorded before the upgrade get theirs from their e-mail (sent, failed,
cancelled, still queued; an e-mail deleted after sending counts as sent) and letters from
whether they were printed.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE ar_followup_history h
           SET delivery_state = CASE
                   WHEN m.id IS NULL OR m.state IN ('sent', 'received') THEN 'sent'
                   WHEN m.state = 'exception' THEN 'failed'
                   WHEN m.state = 'cancel' THEN 'cancelled'
                   ELSE 'queued' END,
               delivery_error = CASE WHEN m.state = 'exception' THEN m.failure_reason END
          FROM ar_followup_history h2
          LEFT JOIN mail_mail m ON m.id = h2.mail_id
         WHERE h2.id = h.id AND h.channel = 'email' AND h.delivery_state IS NULL
        """,
    )
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE ar_followup_history
           SET delivery_state = CASE WHEN letter_state = 'printed' THEN 'sent' ELSE 'queued' END
         WHERE channel = 'letter' AND delivery_state IS NULL
        """,
    )
