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
    level_note = fields.Char(
        string="Which reminder",
        compute="_compute_level_note",
        help="Where the previewed reminder stands on the customer's ladder: its next step, or "
        "how many steps ahead.",
    )
    unchased_note = fields.Char(
        string="Not sent today",
        compute="_compute_unchased_note",
        help="Why the run sends this customer no reminder today although invoices are "
        "open: none of them is chased.",
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
            policy = self.env["ar.customer.account"]._ar_policy_of(partner)
            levels = policy.level_ids.filtered(lambda lvl: lvl.active and lvl.send_email)
            current = partner.ar_followup_level_id
            today = fields.Date.context_today(self)
            # the level the oldest invoice the run chases reaches (a customer without a level
            # whose invoices are overdue does not get the courtesy reminder)
            dues = wizard._ar_candidate_dues(partner) if partner else []
            wizard.level_id = (
                Run._ar_next_level(levels, current, min(dues, default=today), today)
                or current.filtered("send_email")
                or levels[:1]
            )

    @api.depends("partner_id", "level_id")
    def _compute_level_note(self):
        """Say which reminder the preview shows: the e-mail levels skip the steps that send
        no e-mail (the call), so the next e-mail may be two steps ahead of the customer."""
        for wizard in self:
            partner = wizard.partner_id.commercial_partner_id
            level = wizard.level_id
            if not partner or not level:
                wizard.level_note = False
                continue
            current = partner.ar_followup_level_id
            steps = self._ar_steps_ahead(partner, current)
            if level == current:
                wizard.level_note = self.env._(
                    "The customer's current level, %(level)s: the reminder it already received.",
                    level=level.name,
                )
            elif level not in steps and not current:
                wizard.level_note = self.env._(
                    "%(level)s: a reminder before the due date, sent only while nothing is "
                    "overdue; this customer has overdue invoices.",
                    level=level.name,
                )
            elif level not in steps:
                wizard.level_note = self.env._(
                    "%(level)s: a level the customer has already passed (it is at %(current)s).",
                    level=level.name,
                    current=current.name,
                )
            elif level == steps[0]:
                wizard.level_note = self.env._(
                    "%(level)s: the customer's next step.", level=level.name
                )
            else:
                values = {
                    "level": level.name,
                    "count": steps.index(level) + 1,
                    "current": current.name or self.env._("no level yet"),
                    "next": steps[0].name,
                }
                if steps[0].send_email:
                    wizard.level_note = self.env._(
                        "%(level)s is %(count)s steps ahead: the customer is at %(current)s "
                        "and its next step is %(next)s.",
                        **values,
                    )
                else:
                    wizard.level_note = self.env._(
                        "%(level)s is %(count)s steps ahead: the customer is at %(current)s and "
                        "its next step is %(next)s, which sends no e-mail.",
                        **values,
                    )

    def _ar_steps_ahead(self, partner, current):
        """The active levels of ``partner``'s ladder after its ``current`` level, in order."""
        ladder = (
            self.env["ar.customer.account"]
            ._ar_policy_of(partner)
            .level_ids.filtered("active")
            .sorted("delay")
        )
        if current:
            return [lvl for lvl in ladder if lvl.delay > current.delay]
        # courtesy levels (before the due date) only while nothing is overdue
        overdue = partner.ar_amount_overdue > 0
        return [lvl for lvl in ladder if lvl.delay >= 0 or not overdue]

    @api.depends("partner_id")
    def _compute_unchased_note(self):
        for wizard in self:
            partner = wizard.partner_id.commercial_partner_id
            unchased = wizard._ar_open_unchased(partner) if partner else None
            wizard.unchased_note = unchased and wizard._ar_unchased_note(partner, unchased) or False

    def _ar_candidate_dues(self, partner):
        """The due dates of ``partner``'s invoices the run chases today (its candidates,
        :meth:`ar.followup.rules._ar_candidate_query`)."""
        rules = self.env["ar.followup.reminder"].new(
            {
                "company_id": self.env.company.id,
                "date": fields.Date.context_today(self),
                "partner_id": partner.id,
            }
        )
        self.env.flush_all()
        self.env.cr.execute(rules._ar_candidate_query(partner.ids))
        return [row[2] for row in self.env.cr.fetchall()]

    def _ar_open_unchased(self, partner):
        """``partner``'s open invoices when the run chases none of them today, else an empty
        recordset."""
        self.ensure_one()
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
            ]
        )
        if not invoices or self._ar_candidate_dues(partner):
            return invoices.browse()
        return invoices

    def _ar_unchased_note(self, partner, invoices):
        """What the preview says when the run chases none of the open ``invoices`` (other
        modules say why for their own exclusions)."""
        if len(invoices) == 1:
            return self.env._(
                "No reminder goes out to %(customer)s today: its open invoice is not chased "
                "(disputed, in a payment plan, excluded from the follow-up or handed over to a "
                "collection agency). Below is what this level says, not what the customer "
                "receives.",
                customer=partner.display_name,
            )
        return self.env._(
            "No reminder goes out to %(customer)s today: none of its %(count)s open "
            "invoices is chased (disputed, in a payment plan, excluded from the follow-up or "
            "handed over to a collection agency). Below is what this level says, not what the "
            "customer receives.",
            customer=partner.display_name,
            count=len(invoices),
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
            reminder = wizard._ar_reminder()
            values = template.sudo()._generate_template(
                [reminder.id], ["subject", "body_html", "partner_to", "lang"]
            )[reminder.id]
            recipients = self.env["res.partner"].browse(values.get("partner_ids") or [])
            wizard.lang = values.get("lang") or partner.lang
            wizard.email_to = ", ".join(recipients.mapped("email_formatted"))
            wizard.subject = values.get("subject")
            wizard.body_html = values.get("body_html")

    def _ar_reminder(self):
        """The reminder of the previewed level to the customer today, as the run builds it,
        not saved."""
        self.ensure_one()
        return self.env["ar.followup.reminder"].new(
            {
                "company_id": self.env.company.id,
                "date": fields.Date.context_today(self),
                "partner_id": self.partner_id.commercial_partner_id.id,
                "level_id": self.level_id.id,
                "channel": "email",
            }
        )
