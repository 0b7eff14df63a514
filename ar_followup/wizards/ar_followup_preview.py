# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ArFollowupPreview(models.TransientModel):
    _name = "ar.followup.preview"
    _description = "Follow-up Reminder Preview"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    level_id = fields.Many2one(
        "ar.followup.level",
        compute="_compute_level_id",
        store=True,
        readonly=False,
        domain="[('send_email', '=', True)]",
        help="The e-mail level to preview: by default the level the customer's next reminder "
        "will have, else its current level.",
    )
    lang = fields.Char(compute="_compute_preview")
    email_to = fields.Char(string="To", compute="_compute_preview")
    subject = fields.Char(compute="_compute_preview")
    body_html = fields.Html(string="Body", compute="_compute_preview", sanitize=False)

    @api.depends("partner_id")
    def _compute_level_id(self):
        Run = self.env["ar.followup.run"]
        for wizard in self:
            partner = wizard.partner_id.commercial_partner_id
            policy = partner._ar_followup_policy()
            levels = policy.level_ids.filtered(lambda lvl: lvl.active and lvl.send_email)
            current = partner.ar_followup_level_id
            due = fields.Date.context_today(self)
            wizard.level_id = (
                Run._ar_next_level(levels, current, due, due)
                or current.filtered("send_email")
                or levels[:1]
            )

    @api.depends("partner_id", "level_id")
    def _compute_preview(self):
        for wizard in self:
            template = wizard.level_id.mail_template_id
            if not template or not wizard.partner_id:
                wizard.update(
                    {
                        "lang": False,
                        "email_to": False,
                        "subject": False,
                        "body_html": False,
                    }
                )
                continue
            partner = wizard.partner_id.commercial_partner_id
            values = template.sudo()._generate_template(
                [partner.id], ["subject", "body_html", "partner_to", "lang"]
            )[partner.id]
            recipients = self.env["res.partner"].browse(values.get("partner_ids") or [])
            wizard.lang = values.get("lang") or partner.lang
            wizard.email_to = ", ".join(recipients.mapped("email_formatted"))
            wizard.subject = values.get("subject")
            wizard.body_html = values.get("body_html")
