# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, formatLang

CHANNELS = [
    ("email", "E-mail"),
    ("activity", "Activity"),
    ("letter", "Letter"),
    ("hold", "Credit hold"),
    ("release", "Hold released"),
    ("fee", "Fee"),
    ("promise", "Promise to pay"),
    ("plan", "Payment plan"),
    ("skip", "Skipped"),
    ("statement", "Statement by e-mail"),
    ("handover", "Handed over"),
    ("handback", "Back from the agency"),
    ("reply", "Customer replied"),
    ("resume", "Follow-up resumed"),
    ("payment", "Invoices paid"),
]

# The channels that are reminders: at most one a customer a day, and what sets its tone.
REMINDER_CHANNELS = ("email", "letter")

DELIVERY_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("bounced", "Bounced"),
    ("cancelled", "Cancelled"),
]
# a reminder in these states was not delivered, and never will be: it does not count
UNDELIVERED_STATES = ("failed", "bounced", "cancelled")
# failures of the mail server (not of the address) are tried again
TRANSIENT_FAILURES = ("mail_smtp", "unknown")


class ArFollowupHistory(models.Model):
    _name = "ar.followup.history"
    _description = "Follow-up Action"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.Many2many(
        "account.move",
        "ar_followup_history_move_rel",
        "history_id",
        "move_id",
        string="Invoices",
        help="The invoices this action was about (for a reminder: the invoices that reached "
        "its level in that run).",
    )
    level_id = fields.Many2one("ar.followup.level", ondelete="restrict", index=True)
    channel = fields.Selection(CHANNELS, required=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    run_id = fields.Many2one("ar.followup.run", ondelete="set null", index=True)
    reminder_id = fields.Many2one(
        "ar.followup.reminder",
        ondelete="set null",
        index="btree_not_null",
        help="The reminder this e-mail or letter sent: what it asked, at which date.",
    )
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    mail_id = fields.Many2one(
        "mail.mail",
        string="E-mail",
        ondelete="set null",
        help="The e-mail queued by this action.",
    )
    message_id = fields.Many2one(
        "mail.message",
        ondelete="set null",
        help="The message of the e-mail in the customer's chatter (kept after the e-mail is sent).",
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    note = fields.Text(
        translate=True,
        help="What happened, in the reader's language: the texts the system writes are "
        "written in every installed language (a note typed by a user stays as typed).",
    )
    fee_move_id = fields.Many2one(
        "account.move", string="Fee invoice", readonly=True, ondelete="set null", index=True
    )
    fee_amount = fields.Monetary(
        string="Collection costs", currency_field="fee_currency_id", readonly=True
    )
    interest_amount = fields.Monetary(
        string="Interest", currency_field="fee_currency_id", readonly=True
    )
    fee_currency_id = fields.Many2one("res.currency", readonly=True)
    fee_base = fields.Monetary(
        string="Computed on",
        currency_field="fee_currency_id",
        readonly=True,
        help="The open principal of the invoices the costs or the interest were computed on.",
    )
    fee_computation = fields.Text(
        string="Computation",
        readonly=True,
        help="How the collection costs or the interest were computed: the scale, the rates and "
        "the periods, so that they can be checked by hand.",
    )
    claim_history_id = fields.Many2one(
        "ar.followup.history",
        string="Claimed by",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The 14-day letter whose claim these collection costs were charged on.",
    )
    claim_move_ids = fields.Many2many(
        "account.move",
        "ar_followup_history_claim_rel",
        "history_id",
        "move_id",
        string="Invoices claimed",
        readonly=True,
        help="The overdue invoices a 14-day letter names and claims collection costs for.",
    )
    letter_state = fields.Selection(
        [("to_print", "To print"), ("printed", "Printed")],
        string="Letter",
        index=True,
        help="Letters are printed from Follow-up Actions > Letters to print.",
    )
    promise_date = fields.Date(string="Promised for")
    promise_amount = fields.Monetary(string="Promised amount", currency_field="currency_id")
    promise_state = fields.Selection(
        [("open", "Waiting"), ("kept", "Kept"), ("broken", "Broken")],
        string="Promise",
        index=True,
    )
    promise_paid = fields.Monetary(
        string="Paid against the promise", currency_field="currency_id", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    delivery_state = fields.Selection(
        DELIVERY_STATES,
        index=True,
        readonly=True,
        help="Whether the reminder reached the customer. Queued: waiting in the mail queue (or "
        "a letter not printed yet); sent: accepted by the mail server (a letter: printed); "
        "failed, bounced or cancelled: not delivered. The follow-up only moves on, puts on "
        "hold, charges costs and counts legal terms on delivered reminders.",
    )
    delivery_date = fields.Datetime(
        readonly=True, help="When the e-mail was sent or the letter printed."
    )
    delivery_attempts = fields.Integer(
        readonly=True, help="Times the mail server was tried for this e-mail."
    )
    delivery_error = fields.Text(
        string="Delivery problem", readonly=True, help="Why the reminder was not delivered."
    )
    body_html = fields.Html(
        string="As sent",
        compute="_compute_body_html",
        sanitize=False,
        help="The reminder e-mail as it was sent to the customer.",
    )
    email_to = fields.Char(string="Sent to", compute="_compute_body_html")
    subject = fields.Char(compute="_compute_body_html")

    # ------------------------------------------------------------------
    # The one way history lines are written
    # ------------------------------------------------------------------

    @api.model
    def _ar_line(
        self, partner, channel, date, company=None, level=None, moves=(), run=None, **vals
    ):
        """The values of one history line, for :meth:`_ar_record`.

        :param partner: the customer (a record or an id)
        :param date: the day it happened: the run's date for a run, never a default
        :param company: default: the run's company, else the current one
        :param moves: the ids of the invoices it is about
        """
        company = company or (run.company_id if run else self.env.company)
        if callable(vals.get("note")):
            # a text of the system: rendered in each installed language, for every reader
            vals["note"], vals["_note_langs"] = self._ar_note_texts(vals["note"])
        return {
            "partner_id": partner if isinstance(partner, int) else partner.id,
            "company_id": company.id,
            "run_id": run.id if run else False,
            "date": date,
            "channel": channel,
            "level_id": level.id if level else False,
            "move_ids": tuple(moves),
            **vals,
        }

    @api.model
    def _ar_note_texts(self, render):
        """``(text in the current language, {lang: text})`` of ``render(env)`` (a function of
        an environment, whose ``env._`` and formats give that environment's language)."""
        texts = {
            code: render(self.with_context(lang=code).env)
            for code, _name in self.env["res.lang"].get_installed()
        }
        return texts.get(self.env.lang) or texts.get("en_US") or next(iter(texts.values())), texts

    @api.model
    def _ar_record(self, vals_list):
        """Create history lines (values of :meth:`_ar_line`) with the system's rights, and link
        them to their invoices with one INSERT: a batch of 500 reminders names about 5,000
        invoices, which the ORM would link one history line at a time."""
        links = [tuple(vals.pop("move_ids", ())) for vals in vals_list]
        translations = [vals.pop("_note_langs", None) for vals in vals_list]
        histories = self.sudo().create(vals_list)
        rows = [(h.id, t) for h, t in zip(histories, translations, strict=True) if t]
        if rows:
            self.flush_model(["note"])
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE ar_followup_history h SET note = v.note
                      FROM unnest(%s::int[], %s::jsonb[]) AS v(id, note)
                     WHERE h.id = v.id
                    """,
                    [row[0] for row in rows],
                    [json.dumps(row[1]) for row in rows],
                )
            )
            histories.invalidate_recordset(["note"])
        history_ids, move_ids = [], []
        for history_id, ids in zip(histories.ids, links, strict=True):
            history_ids += [history_id] * len(ids)
            move_ids += ids
        if move_ids:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO ar_followup_history_move_rel (history_id, move_id)
                    SELECT unnest(%s::int[]), unnest(%s::int[])
                    ON CONFLICT DO NOTHING
                    """,
                    history_ids,
                    move_ids,
                )
            )
            histories.invalidate_recordset(["move_ids"])
            self.env["account.move"].invalidate_model(["ar_followup_history_ids"])
        return histories

    @api.depends("mail_id", "message_id")
    def _compute_body_html(self):
        """The e-mail as sent: the mail's body (kept after sending, the reminders' templates
        do not delete it), else the message's."""
        for line in self:
            mail = line.sudo().mail_id
            message = line.sudo().message_id
            line.body_html = mail.body_html or message.body or False
            line.subject = mail.subject or message.subject or False
            line.email_to = (
                ", ".join(mail.recipient_ids.mapped("email_formatted")) or mail.email_to or False
            )

    def action_print_letters(self):
        """Print the selected letters (one PDF) and mark them printed."""
        letters = self.filtered(lambda h: h.channel == "letter")
        if not letters:
            raise UserError(self.env._("Select the letters to print."))
        letters.sudo().write(
            {
                "letter_state": "printed",
                "delivery_state": "sent",
                "delivery_date": fields.Datetime.now(),
            }
        )
        return self.env.ref("ar_followup.action_report_letter").report_action(letters)

    @api.model
    def _ar_payments_received(self, partner, company, date_from, date_to):
        """Payments received from ``partner`` (commercial) between the two dates, in company
        currency: receivable credits of payment entries (credit notes excluded)."""
        groups = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "child_of", partner.id),
                ("company_id", "=", company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("move_id.move_type", "=", "entry"),
                ("credit", ">", 0),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            [],
            ["credit:sum"],
        )
        return groups[0][0] or 0.0

    @api.model
    def _cron_check_promises(self):
        """Daily: promises whose date and grace period have passed are kept (the amount was
        paid since the promise) or broken (an activity for the responsible, follow-up
        resumes)."""
        today = fields.Date.context_today(self)
        # the history is the system's: the scheduled action writes it with its rights
        promises = self.sudo().search([("channel", "=", "promise"), ("promise_state", "=", "open")])
        for promise in promises:
            company = promise.company_id
            deadline = promise.promise_date + timedelta(days=company.ar_promise_grace_days)
            if deadline >= today:
                continue
            paid = self._ar_payments_received(promise.partner_id, company, promise.date, deadline)
            partner = promise.partner_id.with_company(company)
            if company.currency_id.compare_amounts(paid, promise.promise_amount) >= 0:
                promise.write({"promise_state": "kept", "promise_paid": paid})
                continue
            promise.write({"promise_state": "broken", "promise_paid": paid})
            if partner.ar_followup_paused_until == deadline:
                partner.sudo().ar_followup_paused_until = False
            # the activity is the collector's: in its language, with Odoo's formats
            user = self.env["ar.customer.account"]._ar_collector(partner, company)
            env = self.with_context(lang=user.lang or company.partner_id.lang or "en_US").env
            currency = company.currency_id
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Broken promise to pay"),
                note=env._(
                    "%(amount)s was promised for %(date)s; %(paid)s has been received.",
                    amount=formatLang(env, promise.promise_amount, currency_obj=currency),
                    date=format_date(env, promise.promise_date),
                    paid=formatLang(env, paid, currency_obj=currency),
                ),
                user_id=user.id,
            )
