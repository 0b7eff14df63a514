# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.10.0: the reminders render on their own record, ``ar.followup.reminder``, not on
the customer. The templates of the follow-up levels are ``noupdate`` data, and may have been
changed or copied by hand: every template a level sends, and the five shipped ones, is moved
to the reminder's model. What such a template reads of ``object`` that the reminder does not
have (``object.name``, ``object.street``...) is read of its customer instead
(``object.partner_id.name``), in every language; what the reminder has (its statement, its
costs, ``object.lang``, ``object.ar_followup_partner_to``...) keeps its name."""

import re

from openupgradelib import openupgrade
from psycopg2.extras import Json

from odoo.tools import SQL

SHIPPED = [
    "mail_template_courtesy",
    "mail_template_reminder",
    "mail_template_second_reminder",
    "mail_template_final_notice",
    "mail_template_fourteen_day_letter",
]
# the fields of mail.template rendered on the record
RENDERED = [
    "subject",
    "body_html",
    "email_from",
    "email_to",
    "email_cc",
    "partner_to",
    "reply_to",
    "lang",
    "scheduled_date",
]
_OBJECT_RE = re.compile(r"\bobject\.([A-Za-z_]\w*)")


def rewrite(text, kept):
    """``text`` with every ``object.<name>`` the reminder does not have read of its customer."""
    return _OBJECT_RE.sub(
        lambda m: m[0] if m[1] in kept else f"object.partner_id.{m[1]}", text or ""
    )


def reminder_templates(env):
    """The templates on the partner that the follow-up sends: a level's, or a shipped one."""
    Template = env["mail.template"].with_context(active_test=False)
    levels = env["ar.followup.level"].with_context(active_test=False).search([])
    shipped = Template.browse(
        [
            template.id
            for xmlid in SHIPPED
            if (template := env.ref(f"ar_followup.{xmlid}", raise_if_not_found=False))
        ]
    )
    return (levels.mail_template_id | shipped).filtered(lambda t: t.model == "res.partner")


def move_reports(env, templates):
    """A report of the customer attached by such a template (the statement PDF) would be
    printed for the reminder's id: it leaves the template, and the levels that send the
    template attach the statement themselves (*Attach the statement*), as of the run's
    date."""
    levels = env["ar.followup.level"].with_context(active_test=False)
    for template in templates:
        reports = template.report_template_ids.filtered(lambda r: r.model == "res.partner")
        if not reports:
            continue
        template.report_template_ids -= reports
        statement = env.ref("ar_followup.action_report_statement", raise_if_not_found=False)
        if statement in reports:
            levels.search([("mail_template_id", "=", template.id)]).attach_statement = True


@openupgrade.migrate()
def migrate(env, version):
    templates = reminder_templates(env)
    if not templates:
        return
    Reminder = env["ar.followup.reminder"]
    kept = set(dir(type(Reminder)))  # its fields, its methods, env, id...
    for fname in RENDERED:
        translated = bool(env["mail.template"]._fields[fname].translate)
        env.cr.execute(
            SQL(
                "SELECT id, %s FROM mail_template WHERE id IN %s",
                SQL.identifier(fname),
                tuple(templates.ids),
            )
        )
        for template_id, value in env.cr.fetchall():
            if not value:
                continue
            if translated:
                new = {lang: rewrite(text, kept) for lang, text in value.items()}
            else:
                new = rewrite(value, kept)
            if new != value:
                env.cr.execute(
                    SQL(
                        "UPDATE mail_template SET %s = %s WHERE id = %s",
                        SQL.identifier(fname),
                        Json(new) if translated else new,
                        template_id,
                    )
                )
    move_reports(env, templates)
    model = env["ir.model"]._get("ar.followup.reminder")
    openupgrade.logged_query(
        env.cr,
        "UPDATE mail_template SET model_id = %s, model = %s WHERE id IN %s",
        (model.id, model.model, tuple(templates.ids)),
    )
    env.invalidate_all()
