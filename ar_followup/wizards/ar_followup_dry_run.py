# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Today's follow-up as it would happen, before the scheduled action does it.

The dry run is the run itself, carried out in a savepoint that is rolled back: what it shows
is what the run would do (one implementation of the rules), with the e-mails as they would be
rendered, and nothing of it stays (no e-mail, no history, no hold, no fee invoice).
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ar_followup_history import CHANNELS

_logger = logging.getLogger(__name__)


class DryRunRollback(Exception):
    """Ends the savepoint of a dry run."""


class ArFollowupDryRun(models.TransientModel):
    _name = "ar.followup.dry.run"
    _description = "Follow-up Dry Run"

    date = fields.Date(default=fields.Date.context_today, required=True, readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        readonly=True,
        help="Only these customers, their next step now (Send the next reminder); empty: "
        "every customer, as the scheduled action would do it.",
    )
    line_ids = fields.One2many("ar.followup.dry.run.line", "wizard_id", string="Would do")
    email_count = fields.Integer(string="E-mails", compute="_compute_counts")
    letter_count = fields.Integer(string="Letters", compute="_compute_counts")
    activity_count = fields.Integer(string="Activities", compute="_compute_counts")
    hold_count = fields.Integer(string="Credit holds", compute="_compute_counts")
    fee_count = fields.Integer(string="Costs and interest", compute="_compute_counts")

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = (
                self.env._("Send the next reminder (dry run)")
                if wizard.partner_ids
                else self.env._("Today's follow-up (dry run)")
            )

    @api.depends("line_ids.channel")
    def _compute_counts(self):
        for wizard in self:
            channels = wizard.line_ids.mapped("channel")
            wizard.email_count = channels.count("email")
            wizard.letter_count = channels.count("letter")
            wizard.activity_count = channels.count("activity")
            wizard.hold_count = channels.count("hold")
            wizard.fee_count = channels.count("fee")

    @api.model
    def action_open(self):
        """'Preview today's follow-up' (menu): the dry run of today for the current company."""
        return self._ar_open()

    @api.model
    def _ar_open(self, partners=None):
        """The dry run of today, of every customer or of ``partners`` (their next step now,
        as *Send the next reminder* does it), shown before it is done."""
        partners = partners or self.env["res.partner"]
        lines = self._ar_simulate(partners=partners or None, force=bool(partners))
        wizard = self.create(
            {
                "partner_ids": [fields.Command.set(partners.ids)],
                "line_ids": [fields.Command.create(values) for values in lines],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": wizard.display_name,
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new" if partners else "current",
        }

    def action_run(self):
        """'Run the follow-up now', after the dry run showed what it does: the run of the
        current company (never of the company a crafted wizard names)."""
        self.ensure_one()
        if self.company_id != self.env.company:
            raise UserError(
                self.env._("This preview is of another company: open today's follow-up again.")
            )
        if self.partner_ids:
            run = self.env["ar.followup.run"].process(partners=self.partner_ids, force=True)
            return run._ar_by_hand_notification(self.partner_ids)
        return self.env["ar.followup.run"].action_process_now()

    @api.model
    def _ar_simulate(self, date=None, partners=None, force=False):
        """What the run of ``date`` (default today) would do, of every customer or of
        ``partners`` (``force``: their next step now): values of the lines."""
        self.env["ar.followup.run"]._ar_check_run_right()
        cr = self.env.cr
        self.env.flush_all()
        # what the transaction would do at commit must not learn of the rolled-back records
        pending = [
            (hooks, list(hooks._funcs), dict(hooks.data)) for hooks in (cr.precommit, cr.postcommit)
        ]
        lines = []
        Run = self.env["ar.followup.run"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        try:
            with cr.savepoint():
                run = Run.process(date, partners=partners, force=force)
                for line in run.history_ids.sorted(lambda h: (h.partner_id.display_name, h.id)):
                    mail = line.mail_id
                    lines.append(
                        {
                            "partner_id": line.partner_id.id,
                            "channel": line.channel,
                            "level_id": line.level_id.id,
                            "invoices": ", ".join(line.move_ids.mapped("name")),
                            "note": line.note,
                            "subject": mail.subject,
                            "email_to": ", ".join(mail.recipient_ids.mapped("email_formatted"))
                            or mail.email_to,
                            "body_html": mail.body_html,
                            "fee_amount": line.fee_amount + line.interest_amount,
                        }
                    )
                self.env.flush_all()
                raise DryRunRollback()
        except DryRunRollback:
            _logger.debug("Dry run of the follow-up rolled back")
        finally:
            self.env.invalidate_all()
            for hooks, funcs, data in pending:
                hooks.clear()
                hooks._funcs.extend(funcs)
                hooks.data.update(data)
        return lines


class ArFollowupDryRunLine(models.TransientModel):
    _name = "ar.followup.dry.run.line"
    _description = "Follow-up Dry Run Line"
    _order = "id"

    wizard_id = fields.Many2one("ar.followup.dry.run", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    level_id = fields.Many2one("ar.followup.level", readonly=True)
    invoices = fields.Char(readonly=True)
    note = fields.Text(readonly=True)
    subject = fields.Char(readonly=True)
    email_to = fields.Char(string="To", readonly=True)
    body_html = fields.Html(string="E-mail", readonly=True, sanitize=False)
    fee_amount = fields.Float(string="Costs and interest", readonly=True, digits="Account")
