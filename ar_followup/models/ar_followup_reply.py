# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A customer's reply to its reminders: the ladder listens before it chases.

An e-mail from the customer (any of its contacts, or an address a reminder went to) that
reaches Odoo through its mail gateway on the customer's thread pauses the customer's
follow-up in the company of its reminders (company setting, default 3 working days, or until
the follow-up responsible marks it handled) and gives the responsible one activity
*Customer replied*: one waiting reply a customer and company, later replies join it. What the
text hints at (it says it paid, it may be a dispute, a date it promises) is shown, never acted
on by itself: one click opens a dispute with the invoices the message names, or logs a
promise to pay. Auto-replies and out-of-office messages do not pause
(``mail_thread.py``, ``res_partner_reply.py``). The pause and its end are in the
follow-up history."""

import re
from datetime import date as Date
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize, format_date, html2plaintext

from .ar_credit_override import server_today

USER = "ar_followup.group_ar_user"

# what a reply says, in English and Dutch (lower case, matched on word boundaries)
PAID_WORDS = (
    "betaald",
    "overgemaakt",
    "overgeboekt",
    "voldaan",
    "paid",
    "transferred",
    "payment was made",
    "remitted",
)
DISPUTE_WORDS = (
    "klopt niet",
    "niet ontvangen",
    "beschadigd",
    "onjuist",
    "fout",
    "betwist",
    "incorrect",
    "not received",
    "damaged",
    "wrong",
    "dispute",
)
# 15-12-2026, 15/12, 2026-12-15; "the 15th", "de 15e", "op de 15de"
NUMERIC_DATE = re.compile(r"\b(\d{1,4})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?\b")
DAY_OF_MONTH = re.compile(r"\b(?:the|de|op de)\s+(\d{1,2})(?:st|nd|rd|th|e|de|ste)\b")
# the months in English and Dutch (and their abbreviations): "15 december", "December 15th",
# "15 dec. 2026"
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "januari", "jan"),
            ("february", "februari", "feb"),
            ("march", "maart", "mar", "mrt"),
            ("april", "apr"),
            ("may", "mei"),
            ("june", "juni", "jun"),
            ("july", "juli", "jul"),
            ("august", "augustus", "aug"),
            ("september", "sep", "sept"),
            ("october", "oktober", "oct", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|e|ste|de)?\s+({_MONTH})\.?(?:\s+(\d{{4}}))?\b"
)
MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")


# what the gateway and the buttons write, nobody else
REPLY_FIELDS = frozenset(
    {
        "partner_id",
        "company_id",
        "message_ids",
        "author_id",
        "email_from",
        "date",
        "summary",
        "says_paid",
        "may_dispute",
        "promise_date",
        "move_ids",
        "state",
        "paused_until",
        "resumed",
        "handled_by_id",
        "handled_date",
    }
)


def _words(text, words):
    return any(re.search(rf"\b{re.escape(word)}\b", text) for word in words)


def add_working_days(day, count):
    """``day`` plus ``count`` working days (Monday to Friday)."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


class ArFollowupReply(models.Model):
    _name = "ar.followup.reply"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Customer Reply"
    _order = "state desc, date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    message_ids = fields.Many2many(
        "mail.message",
        "ar_followup_reply_message_rel",
        string="Messages",
        readonly=True,
        help="The e-mails of the customer this reply gathers, the newest first.",
    )
    author_id = fields.Many2one("res.partner", string="From", readonly=True)
    email_from = fields.Char(string="Address", readonly=True)
    date = fields.Datetime(string="Received", readonly=True)
    summary = fields.Text(
        string="Message",
        readonly=True,
        help="The text of the newest e-mail, as plain text.",
    )
    says_paid = fields.Boolean(
        string="Says it paid", readonly=True, help="Look for the payment before chasing."
    )
    may_dispute = fields.Boolean(
        string="May be a dispute",
        readonly=True,
        help="The message complains about the goods, the invoice or the delivery.",
    )
    promise_date = fields.Date(
        string="Date named",
        readonly=True,
        help="A date the message names: perhaps a promise to pay.",
    )
    move_ids = fields.Many2many(
        "account.move",
        "ar_followup_reply_move_rel",
        string="Invoices named",
        readonly=True,
        help="The customer's open invoices the message names (number or payment reference).",
    )
    state = fields.Selection(
        [("waiting", "Waiting for an answer"), ("handled", "Handled")],
        default="waiting",
        required=True,
        readonly=True,
        index=True,
    )
    paused_until = fields.Date(
        string="Follow-up paused until",
        readonly=True,
        help="No reminder goes to the customer up to this day, unless the reply is handled before.",
    )
    resumed = fields.Boolean(
        readonly=True, help="The pause ended before the reply was handled (in the history)."
    )
    handled_by_id = fields.Many2one("res.users", string="Handled by", readonly=True)
    handled_date = fields.Date(string="Handled on", readonly=True)

    def init(self):
        # one waiting reply a customer and company: later e-mails join it
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS ar_followup_reply_one_waiting "
            "ON ar_followup_reply (partner_id, company_id) WHERE state = 'waiting'"
        )

    def write(self, vals):
        if not self.env.su and REPLY_FIELDS.intersection(vals):
            raise AccessError(
                self.env._(
                    "A reply is recorded by the mail gateway and handled with its buttons, not "
                    "written."
                )
            )
        return super().write(vals)

    # -- receiving -----------------------------------------------------------------------

    @api.model
    def _ar_from_thread(self, partner, message):
        """An e-mail reached ``partner``'s thread through the gateway: a reply of the
        customer when it comes from the customer's side (one of its contacts, or an address
        its reminders went to), in the company of its latest reminder."""
        customer = partner.commercial_partner_id.sudo()
        History = self.env["ar.followup.history"].sudo()
        reminders = History.search(
            [("partner_id", "=", customer.id), ("channel", "in", ("email", "letter"))],
            order="date desc, id desc",
            limit=20,
        )
        if not reminders:
            return None  # no reminder to answer: an ordinary e-mail
        sender = email_normalize(message.email_from or "")
        if not sender or sender not in self._ar_reply_addresses(customer, reminders):
            return None  # an unknown address: no pause
        company = reminders[0].company_id
        return self._ar_receive(customer, message, company)

    @api.model
    def _ar_reply_addresses(self, customer, reminders):
        """The addresses a reply of ``customer`` comes from: its own and its contacts', and
        those its ``reminders`` (history lines) went to."""
        customer.ensure_one()
        partners = customer.with_context(active_test=False).search(
            [("id", "child_of", customer.id)]
        )
        addresses = set(partners.mapped("email_normalized"))
        for mail in reminders.mail_id:
            addresses.update(mail.recipient_ids.mapped("email_normalized"))
            for address in (mail.email_to or "").split(","):
                addresses.add(email_normalize(address))
        addresses.discard(False)
        return addresses

    @api.model
    def _ar_receive(self, customer, message, company):
        """``message`` (an incoming e-mail of ``customer``'s side) reached Odoo: the
        customer's waiting reply in ``company`` gathers it (a new one pauses the follow-up
        and gives the responsible an activity), with its hints."""
        Reply = self.sudo().with_company(company)
        text = html2plaintext(message.body or "")
        reply = Reply.search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("state", "=", "waiting"),
            ],
            limit=1,
        )
        vals = {
            "author_id": message.author_id.id,
            "email_from": message.email_from,
            "date": message.date,
            "summary": text[:2000],
            "says_paid": _words(text.lower(), PAID_WORDS),
            "may_dispute": _words(text.lower(), DISPUTE_WORDS),
            "promise_date": self._ar_date_named(text, customer, company),
            "move_ids": [fields.Command.set(self._ar_invoices_named(text, customer, company).ids)],
            "message_ids": [fields.Command.link(message.id)],
        }
        today = server_today(self.env)
        if reply:
            reply.write(vals)
            return reply
        until = add_working_days(today, company.ar_reply_pause_days)
        reply = Reply.create(
            {
                **vals,
                "partner_id": customer.id,
                "company_id": company.id,
                "paused_until": until,
            }
        )
        History = self.env["ar.followup.history"]
        History._ar_record(
            [
                History._ar_line(
                    customer,
                    "reply",
                    today,
                    company=company,
                    note=lambda env: env._(
                        "The customer replied (%(address)s): the follow-up waits until "
                        "%(date)s, or until the reply is handled.",
                        address=message.email_from or "",
                        date=format_date(env, until),
                    ),
                )
            ]
        )
        reply._ar_schedule_activity(customer)
        return reply

    def _ar_schedule_activity(self, customer):
        """One activity *Customer replied* for the customer's follow-up responsible."""
        self.ensure_one()
        user = self.env["ar.customer.account"]._ar_collector(customer, self.company_id)
        activity_type = self.env.ref("ar_followup.mail_activity_type_reply")
        self.activity_schedule(
            "ar_followup.mail_activity_type_reply",
            summary=activity_type.with_context(lang=user.lang).summary,
            # in the language of whom it is for, as its title
            note=self.with_context(lang=user.lang)._ar_activity_note(),
            user_id=user.id,
            date_deadline=self.paused_until,
        )

    def _ar_activity_note(self):
        """The activity's note: who wrote, what the text hints at (escaped)."""
        self.ensure_one()
        hints = []
        if self.says_paid:
            hints.append(self.env._("Says it paid: look for the payment."))
        if self.may_dispute:
            hints.append(self.env._("May be a dispute: open one from the reply."))
        if self.promise_date:
            hints.append(
                self.env._(
                    "Names %(date)s: perhaps a promise to pay.",
                    date=format_date(self.env, self.promise_date),
                )
            )
        return Markup("<p>%s</p><p>%s</p>%s") % (
            self.env._("%(address)s replied to the reminders.", address=self.email_from or ""),
            (self.summary or "")[:300],
            Markup("").join(Markup("<p>%s</p>") % hint for hint in hints),
        )

    @api.model
    def _ar_date_named(self, text, customer, company):
        """The first date to come that ``text`` names (day first, but for a customer
        writing American English), else ``False``."""
        today = server_today(self.env)
        month_first = (customer.lang or "") == "en_US"
        for match in NUMERIC_DATE.finditer(text):
            day = self._ar_numeric_date(match.groups(), month_first, today)
            if day and today <= day <= today + timedelta(days=366):
                return day
        lower = text.lower()
        for pattern, day_group, month_group in ((DAY_MONTH, 1, 2), (MONTH_DAY, 2, 1)):
            for match in pattern.finditer(lower):
                day = self._ar_day_of(
                    int(match.group(day_group)),
                    MONTHS[match.group(month_group)],
                    match.group(3),
                    today,
                )
                if day and today <= day <= today + timedelta(days=366):
                    return day
        match = DAY_OF_MONTH.search(lower)
        if match:
            number = int(match.group(1))
            for months in range(3):
                year, month = divmod(today.month - 1 + months, 12)
                try:
                    day = Date(today.year + year, month + 1, number)
                except ValueError:
                    continue
                if day >= today:
                    return day
        return False

    @api.model
    def _ar_day_of(self, number, month, year, today):
        """The date of day ``number`` of ``month`` in ``year`` (a string, or ``None``: the
        next such day from ``today``), else ``None``."""
        try:
            day = Date(int(year) if year else today.year, month, number)
            if not year and day < today:
                day = Date(today.year + 1, month, number)
        except ValueError:
            return None
        return day

    @api.model
    def _ar_numeric_date(self, groups, month_first, today):
        """The date of ``groups`` (of :data:`NUMERIC_DATE`): year first, else the customer's
        order of day and month, else the other one when that one is no date."""
        first, second, third = groups
        if len(first) == 4:
            try:
                return Date(int(first), int(second), int(third or 0) or 1)
            except ValueError:
                return None
        year = int(third) if third else today.year
        if year < 100:
            year += 2000
        orders = [(int(second), int(first)), (int(first), int(second))]
        if not month_first:
            orders.reverse()
        for day_number, month in orders:
            try:
                day = Date(year, month, day_number)
            except ValueError:
                continue
            if not third and day < today:
                day = Date(year + 1, month, day_number)
            return day
        return None

    @api.model
    def _ar_invoices_named(self, text, customer, company):
        """The customer's open invoices in ``company`` whose number or payment reference
        ``text`` names."""
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("amount_residual", ">", 0),
                ]
            )
        )
        squeezed = re.sub(r"\s+", "", text).upper()
        return invoices.filtered(
            lambda m: (
                (m.name and m.name.upper().replace(" ", "") in squeezed)
                or (
                    m.payment_reference
                    and len(m.payment_reference) > 5
                    and m.payment_reference.upper().replace(" ", "") in squeezed
                )
            )
        )

    # -- handling ------------------------------------------------------------------------

    def _ar_check_handler(self):
        """Who ends a pause: credit-control users and managers, and the customer's follow-up
        responsible (its collector: the one its reply's activity was made for); not whoever an
        activity was given to since, nor a billing or portal user."""
        user = self.env.user
        if user.has_group(USER) and not user._is_superuser():
            return
        if all(
            self.env["ar.customer.account"]._ar_collector(reply.partner_id, reply.company_id)
            == user
            and not user.share
            for reply in self.sudo()
        ):
            return
        raise AccessError(
            self.env._(
                "Only the follow-up responsible or a credit controller handles a customer's reply."
            )
        )

    def action_handled(self):
        """The reply is answered: the pause ends, the follow-up resumes (in the history)."""
        self._ar_check_handler()
        waiting = self.filtered(lambda r: r.state == "waiting")
        if not waiting:
            raise UserError(self.env._("This reply was handled already."))
        today = server_today(self.env)
        History = self.env["ar.followup.history"]
        lines = []
        for reply in waiting:
            lines.append(
                History._ar_line(
                    reply.partner_id,
                    "resume",
                    today,
                    company=reply.company_id,
                    note=lambda env: env._(
                        "The reply was handled by %(user)s: the follow-up resumes.",
                        user=self.env.user.name,
                    ),
                )
            )
        waiting.sudo().write(
            {
                "state": "handled",
                "handled_by_id": self.env.uid,
                "handled_date": today,
                "paused_until": False,
            }
        )
        History._ar_record(lines)
        waiting.sudo().activity_ids.action_feedback(feedback=self.env._("Handled."))
        return True

    def action_open_dispute(self):
        """A dispute of the customer, with the invoices the message names."""
        self.ensure_one()
        self._ar_check_handler()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "ar.dispute",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_move_ids": [fields.Command.set(self.move_ids.ids)],
                "default_description": self.summary,
            },
        }

    def action_log_promise(self):
        """A promise to pay on the date the message names."""
        self.ensure_one()
        self._ar_check_handler()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to pay"),
            "res_model": "ar.promise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_promise_date": self.promise_date,
                "default_note": (self.summary or "")[:500],
            },
        }

    def action_open_message(self):
        self.ensure_one()
        return self.partner_id.get_formview_action()

    # -- the run -------------------------------------------------------------------------

    @api.model
    def _ar_paused(self, company, date, partner_ids):
        """The customers of ``partner_ids`` whose follow-up a waiting reply pauses on
        ``date`` in ``company`` (one query)."""
        if not partner_ids:
            return set()
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT partner_id FROM ar_followup_reply
             WHERE company_id = %s AND state = 'waiting' AND paused_until >= %s
               AND partner_id = ANY(%s)
            """,
            (company.id, date, list(partner_ids)),
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _ar_lapse(self, company, date, run=None):
        """Waiting replies whose pause ended before ``date`` without an answer: the
        follow-up resumes, once, in the history (the reply stays waiting, its activity
        open)."""
        lapsed = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "waiting"),
                ("resumed", "=", False),
                ("paused_until", "<", date),
            ]
        )
        if not lapsed:
            return []
        lapsed.write({"resumed": True})
        History = self.env["ar.followup.history"]
        return [
            History._ar_line(
                reply.partner_id,
                "resume",
                date,
                company=company,
                run=run,
                note=lambda env, reply=reply: env._(
                    "The reply of %(date)s was not handled by %(until)s: the follow-up resumes.",
                    date=format_date(env, reply.date.date() if reply.date else date),
                    until=format_date(env, reply.paused_until),
                ),
            )
            for reply in lapsed
        ]
