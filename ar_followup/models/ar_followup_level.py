# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The placeholders of a letter text, replaced by their values when the letter is printed
# (see ArFollowupLevel._ar_letter_values).
LETTER_PLACEHOLDERS = (
    "date",
    "deadline",
    "amount_overdue",
    "amount_due",
    "company",
    "collector",
    "phone",
    "email",
    "collection_costs",
)
_PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(LETTER_PLACEHOLDERS) + r")\}")


class ArFollowupLevel(models.Model):
    _name = "ar.followup.level"
    _description = "Follow-up Level"
    _order = "policy_id, delay, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "ar.followup.policy",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, precompute=True
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Display order only: the levels are applied in the order of their delay.",
    )
    delay = fields.Integer(
        string="Days after due date",
        required=True,
        aggregator=None,  # a number of days: a sum of them means nothing
        help="Days after the invoice's due date at which this level is reached. "
        "A negative number gives a courtesy reminder before the due date; such levels "
        "only apply while the invoice is not yet due. Unique within a policy.",
    )
    active = fields.Boolean(default=True)
    send_email = fields.Boolean(
        string="Send an e-mail",
        default=True,
        help="Send the customer one e-mail listing all its open items when one of its "
        "invoices reaches this level.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail template",
        domain=[("model", "=", "ar.followup.reminder")],
        ondelete="restrict",
        help="The e-mail of this level: a template of the reminder (Follow-up Reminder), "
        "which reads its customer, invoices and statement.",
    )
    create_activity = fields.Boolean(
        string="Schedule an activity",
        help="Schedule an activity (e.g. a phone call) when an invoice reaches this level. "
        "A customer never has two open activities of the same type from the follow-up.",
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity type")
    activity_responsible = fields.Selection(
        [
            ("account_manager", "Account manager"),
            ("credit_manager", "Credit-control manager"),
        ],
        string="Assign activity to",
        default="account_manager",
        required=True,
        help="Account manager: the customer's follow-up responsible, else its salesperson, "
        "else the first credit-control manager. Credit-control manager: the first user of "
        "the 'Credit control: manager' group in this company.",
    )
    activity_summary = fields.Char(string="Activity summary", translate=True)
    activity_note = fields.Html(
        string="Activity note",
        translate=True,
        help="Shown above the list of overdue invoices that is added to the activity's note.",
    )
    activity_deadline_days = fields.Integer(
        string="Activity deadline (days)",
        default=2,
        help="The activity is due this many days after the follow-up run.",
    )
    send_letter = fields.Selection(
        [
            ("never", "Never"),
            ("no_email", "When the customer has no e-mail address"),
            ("always", "Always"),
        ],
        string="Letter",
        default="no_email",
        required=True,
        help="Queue the statement with this level's text for printing and posting.",
    )
    letter_text = fields.Html(
        string="Letter text",
        translate=True,
        help="The letter of this level, printed above the open items (the customer's "
        "statement). These placeholders are replaced by their values, in the customer's "
        "language: {date} (of the letter), {deadline} (the date to pay by), {amount_overdue}, "
        "{amount_due} (all open items), {company}, {collector} (who follows the customer up), "
        "{phone} and {email} (the company's, else the collector's), {collection_costs} (the "
        "costs a 14-day letter announces).",
    )
    letter_payment_days = fields.Integer(
        string="Days to pay (letter)",
        default=14,
        help="The letter asks for payment within this many days of its date: its {deadline}. "
        "0: by the due date of the invoices it is about (a courtesy reminder).",
    )
    attach_statement = fields.Boolean(
        string="Attach the statement (PDF)", help="Attach the statement PDF to the e-mail."
    )
    attach_invoices = fields.Boolean(
        string="Attach the invoices (PDF)",
        help="Attach the PDFs of the invoices that reached this level to the e-mail.",
    )
    charge_costs = fields.Boolean(
        string="Claim collection costs",
        help="Invoices that reach this level (or are named in its 14-day letter) are claimed "
        "collection costs, once: by the WIK scale for Dutch consumers once the term of the "
        "14-day letter has passed, by the Belgian scale for Belgian consumers 14 days after "
        "the first reminder, and by the company's setting for businesses at once. An invoice "
        "is never charged collection costs twice, and fee invoices never.",
    )
    charge_interest = fields.Boolean(
        string="Charge statutory interest",
        help="Charge the statutory interest accrued on the invoices that reach this level (less "
        "what was charged before): for businesses from the day after the due date, for "
        "consumers from the day after their waiting period (Dutch consumers: from the day "
        "after the due date when the terms make it a fatal term).",
    )
    is_fourteen_day_letter = fields.Boolean(
        string="14-day letter",
        help="This level's reminder is the Dutch 'veertiendagenbrief' (art. 6:96 lid 6 BW): it "
        "names the overdue invoices and the collection costs. A Dutch consumer may be charged "
        "them from the 15th day after it was e-mailed (the 17th after a letter was posted), "
        "and only for invoices that were due when it was sent. Its template must state the "
        "amount.",
    )
    is_final_notice = fields.Boolean(
        string="Final notice (sent once)",
        help="This level's reminder is the final notice: a customer gets it once for its open "
        "invoices. When another invoice of the customer reaches this level while invoices of "
        "its final notice are still open, no second final notice goes out: that invoice goes "
        "on to the next levels (the call, the hand-off to an agency).",
    )
    credit_hold = fields.Boolean(
        string="Put on credit hold",
        help="Reaching this level puts the customer on credit hold.",
    )
    handoff = fields.Boolean(
        string="Hand off to an agency",
        help="Reaching this level makes a draft collection case of the customer's overdue "
        "invoices (to the company's default agency), for the credit-control manager to hand "
        "over or cancel: the manager gets an activity on it.",
    )
    min_overdue_amount = fields.Monetary(
        string="Minimum amount",
        currency_field="company_currency_id",
        help="The level is only applied when the customer's net amount overdue (open amount "
        "for levels before the due date), in company currency and after deducting open credit "
        "notes and unapplied payments, is at least this amount.",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        (
            "delay_policy_uniq",
            "UNIQUE (policy_id, delay) DEFERRABLE INITIALLY DEFERRED",
            "Two levels of a policy cannot have the same delay.",
        ),
    ]

    @api.constrains("delay", "policy_id")
    def _check_delay_unique(self):
        groups = self.with_context(active_test=False)._read_group(
            [("policy_id", "in", self.policy_id.ids)],
            ["policy_id", "delay"],
            having=[("__count", ">", 1)],
        )
        if groups:
            policy, delay = groups[0]
            raise ValidationError(
                self.env._(
                    "The policy %(policy)s already has a level at %(delay)s days: "
                    "each level of a policy needs its own delay.",
                    policy=policy.display_name,
                    delay=delay,
                )
            )

    @api.constrains("min_overdue_amount")
    def _check_min_overdue_amount(self):
        for level in self:
            if level.min_overdue_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum amount of the follow-up level %(level)s cannot be negative.",
                        level=level.name,
                    )
                )

    @api.constrains("create_activity", "activity_type_id", "send_email", "mail_template_id")
    def _check_channels(self):
        for level in self:
            if level.create_activity and not level.activity_type_id:
                raise ValidationError(
                    self.env._(
                        "The follow-up level %(level)s schedules an activity: choose its "
                        "activity type.",
                        level=level.name,
                    )
                )
            if level.send_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "The follow-up level %(level)s sends an e-mail: choose its e-mail "
                        "template.",
                        level=level.name,
                    )
                )

    @api.constrains(
        "is_fourteen_day_letter", "send_email", "mail_template_id", "send_letter", "letter_text"
    )
    def _check_fourteen_day_letter(self):
        """A 14-day letter must state the collection costs (art. 6:96 lid 6 BW) in whatever
        goes out: the e-mail's template and, where letters are sent, the letter text."""
        for level in self.filtered("is_fourteen_day_letter"):
            body = level.mail_template_id.with_context(lang="en_US").body_html or ""
            if level.send_email and "_ar_collection_costs_preview" not in body:
                raise ValidationError(
                    self.env._(
                        "The 14-day letter %(level)s must state the collection costs: choose "
                        "the template '14-day letter' (or one that shows them).",
                        level=level.name,
                    )
                )
            if level.send_letter != "never" and "{collection_costs}" not in (
                level.with_context(lang="en_US").letter_text or ""
            ):
                raise ValidationError(
                    self.env._(
                        "The 14-day letter %(level)s also goes out on paper: its letter text "
                        "must state the 14-day term and the collection costs "
                        "({collection_costs}), or set Letter to Never.",
                        level=level.name,
                    )
                )

    @api.constrains("letter_payment_days")
    def _check_letter_payment_days(self):
        for level in self:
            if level.letter_payment_days < 0:
                raise ValidationError(
                    self.env._(
                        "The days to pay of the letter of the follow-up level %(level)s cannot "
                        "be negative.",
                        level=level.name,
                    )
                )

    @api.constrains("activity_deadline_days")
    def _check_activity_deadline_days(self):
        for level in self:
            if level.activity_deadline_days < 0:
                raise ValidationError(
                    self.env._(
                        "The activity deadline of the follow-up level %(level)s cannot be "
                        "negative.",
                        level=level.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["ar.followup.move.state"]
            .sudo()
            .search_count([("level_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "This follow-up level has been reached by invoices: archive it instead "
                    "of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Letter
    # ------------------------------------------------------------------

    def _ar_letter_deadline(self, statement, moves):
        """The date the letter of this level asks to pay by: ``letter_payment_days`` after the
        letter's date (its statement's), or with none, the earliest due date of ``moves``
        (the invoices the letter is about) still open, else of any open invoice."""
        self.ensure_one()
        date = statement["date"]
        if self.letter_payment_days:
            return date + timedelta(days=self.letter_payment_days)
        invoices = [line for line in statement["lines"] if line["kind"] == "invoice"]
        chased = [line for line in invoices if line["move"] in moves] or invoices
        due_dates = [line["due_date"] for line in chased if line["due_date"] >= date]
        return min(due_dates or [line["due_date"] for line in chased] or [date])

    def _ar_letter_values(self, reminder, statement):
        """The values of :data:`LETTER_PLACEHOLDERS` for the letter of this level that
        ``reminder`` sends (its customer's ``statement`` at its date), formatted in the
        language of ``self.env``: dates in full ("2 March 2026"), amounts per currency."""
        self.ensure_one()
        partner = reminder.partner_id
        fmt = self.env["ar.followup.statement"]._ar_formatter()
        company = statement["company"]

        def amounts(key):
            totals = [t for t in statement["totals"] if t[key]]
            if not totals:
                return fmt.amount(0.0, company.currency_id)
            return ", ".join(fmt.amount(t[key], t["currency"]) for t in totals)

        contact = company._ar_followup_contact(partner)
        return {
            "date": fmt.long_date(statement["date"]),
            "deadline": fmt.long_date(self._ar_letter_deadline(statement, reminder.move_ids)),
            "amount_overdue": amounts("overdue"),
            "amount_due": amounts("open"),
            "company": company.name,
            "collector": contact["name"],
            "phone": contact["phone"],
            "email": contact["email"],
            "collection_costs": fmt.amount(
                reminder._ar_collection_costs_preview(),
                company.currency_id,
            ),
        }

    def _ar_letter_body(self, reminder, statement):
        """The letter text of this level (in the language of ``self.env``) with its
        placeholders replaced by :meth:`_ar_letter_values`, escaped."""
        self.ensure_one()
        if not self.letter_text:
            return Markup()
        values = self._ar_letter_values(reminder, statement)
        return Markup(
            _PLACEHOLDER_RE.sub(lambda match: escape(values[match[1]]), str(self.letter_text))
        )
