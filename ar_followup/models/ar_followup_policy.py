# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The letters of the default levels, one term a paragraph (a line break as "\n"); the
# placeholders in braces are those of ar_followup_level.LETTER_PLACEHOLDERS.
_GREETING = _lt("Dear Sir or Madam,")
_SIGNATURE = _lt("Kind regards,\n{collector}\n{company}")

# The default ladder of every company's default policy: one table, from which the levels
# (and their translations) are created at install and for every new company.
DEFAULT_LEVELS = [
    {
        "name": _lt("Courtesy reminder"),
        "delay": -3,
        "send_email": True,
        "mail_template": "ar_followup.mail_template_courtesy",
        "letter_payment_days": 0,
        "letter_text": (
            _GREETING,
            _lt(
                "With this letter we let you know that the invoices listed below will soon be "
                "due for payment. Your open balance with us is {amount_due}."
            ),
            _lt(
                "We kindly ask you to pay each invoice by its due date; the first one is due on "
                "{deadline}. If you have already arranged the payment, thank you: you can "
                "disregard this letter."
            ),
            _lt(
                "If you have any questions about these invoices, please contact {collector} by "
                "phone at {phone} or by e-mail at {email}."
            ),
            _SIGNATURE,
        ),
    },
    {
        "name": _lt("Friendly reminder"),
        "delay": 7,
        "send_email": True,
        "mail_template": "ar_followup.mail_template_reminder",
        "letter_payment_days": 14,
        "letter_text": (
            _GREETING,
            _lt(
                "According to our records, the invoices marked as overdue below have not been "
                "paid yet. Perhaps this has escaped your attention."
            ),
            _lt(
                "We kindly ask you to pay the overdue amount of {amount_overdue} by {deadline}. "
                "If your payment has crossed this letter, thank you, and please disregard it."
            ),
            _lt(
                "If something is not right with an invoice, or if you cannot pay it for a "
                "reason, please contact {collector} by phone at {phone} or by e-mail at "
                "{email}: we would rather hear from you than send you another reminder."
            ),
            _SIGNATURE,
        ),
    },
    {
        "name": _lt("Second reminder"),
        "delay": 14,
        "send_email": True,
        "mail_template": "ar_followup.mail_template_second_reminder",
        "letter_payment_days": 7,
        "letter_text": (
            _GREETING,
            _lt(
                "Despite our earlier reminder, we have not yet received payment of the invoices "
                "marked as overdue below."
            ),
            _lt(
                "We ask you to pay the overdue amount of {amount_overdue} by {deadline} at the "
                "latest. If we have not received your payment by then, your account manager "
                "will call you, and we may have to put your account on hold for new orders."
            ),
            _lt(
                "If there is a reason why you cannot pay, please contact {collector} by phone "
                "at {phone} or by e-mail at {email}, so that we can look for a solution "
                "together."
            ),
            _SIGNATURE,
        ),
    },
    {
        "name": _lt("Call by the account manager"),
        "delay": 21,
        "send_email": False,
        "create_activity": True,
        "activity_type": "mail.mail_activity_data_call",
        "activity_responsible": "account_manager",
        "activity_summary": _lt("Call the customer about its overdue invoices"),
        "activity_deadline_days": 2,
    },
    {
        "name": _lt("Final notice and credit hold"),
        "delay": 30,
        "send_email": True,
        "mail_template": "ar_followup.mail_template_final_notice",
        "is_final_notice": True,
        "credit_hold": True,
        "letter_payment_days": 7,
        "letter_text": (
            _GREETING,
            _lt(
                "Despite our reminders, the invoices marked as overdue below are still unpaid. "
                "Until the overdue amount has been paid, your account is on hold: we can only "
                "deliver new orders after payment."
            ),
            _lt(
                "This is our final notice: we ask you to pay the overdue amount of "
                "{amount_overdue} by {deadline} at the latest."
            ),
            _lt(
                "If we have not received your payment by then, we will hand the claim over to a "
                "collection agency without further notice. Additional collection costs may then "
                "be charged to you."
            ),
            _lt(
                "To avoid this, or if you cannot pay for a reason, please contact {collector} "
                "by phone at {phone} or by e-mail at {email}."
            ),
            _SIGNATURE,
        ),
    },
    {
        "name": _lt("Hand-off to collection agency"),
        "delay": 45,
        "send_email": False,
        "create_activity": True,
        "activity_type": "ar_followup.mail_activity_type_escalation",
        "activity_responsible": "credit_manager",
        "activity_summary": _lt("Decide on the hand-off to the collection agency"),
        "activity_deadline_days": 5,
    },
]
TRANSLATED_LEVEL_FIELDS = ("name", "activity_summary", "letter_text")


def _paragraph(term, lang):
    """A paragraph of a default letter in ``lang``: escaped, its line breaks kept."""
    lines = str(term._translate(lang)).split("\n")
    return Markup("<br>").join(escape(line) for line in lines)


def _default_term(row, fname, lang):
    """The value of the translated field ``fname`` of the default level ``row`` in ``lang``
    (a letter text: its paragraphs)."""
    value = row.get(fname)
    if not value:
        return False
    if fname == "letter_text":
        return Markup("").join(Markup("<p>%s</p>") % _paragraph(term, lang) for term in value)
    return str(value._translate(lang))


def _default_translation(row, fname, lang):
    """The translation of ``fname`` of the default level ``row`` in ``lang``, as
    ``update_field_translations`` takes it: the value, or for a letter text (translated by
    terms, as HTML fields are) its English paragraphs and their translations."""
    if fname == "letter_text":
        return {_paragraph(term, "en_US"): _paragraph(term, lang) for term in row[fname]}
    return _default_term(row, fname, lang)


def _default_row(level):
    """The row of :data:`DEFAULT_LEVELS` a level of a default policy was created from."""
    return next((row for row in DEFAULT_LEVELS if row["delay"] == level.delay), None)


class ArFollowupPolicy(models.Model):
    _name = "ar.followup.policy"
    _description = "Follow-up Policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    level_ids = fields.One2many("ar.followup.level", "policy_id", string="Levels")
    level_count = fields.Integer(compute="_compute_level_count")
    active = fields.Boolean(default=True)
    is_default = fields.Boolean(
        compute="_compute_is_default",
        string="Company default",
        help="Customers without a policy of their own follow the company's default policy.",
    )
    note = fields.Text(help="What this policy is for, e.g. which customers follow it.")

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.depends("company_id.ar_default_policy_id")
    def _compute_is_default(self):
        for policy in self:
            policy.is_default = policy.company_id.ar_default_policy_id == policy

    def action_set_default(self):
        self.ensure_one()
        self.company_id.ar_default_policy_id = self

    @api.ondelete(at_uninstall=False)
    def _unlink_except_default(self):
        if any(policy.is_default for policy in self):
            raise UserError(self.env._("A company's default follow-up policy cannot be deleted."))

    def write(self, vals):
        if "active" in vals and not vals["active"] and any(p.is_default for p in self):
            raise UserError(self.env._("A company's default follow-up policy cannot be archived."))
        return super().write(vals)

    @api.model
    def _default_level_values(self, company):
        """Values for the levels of a new default policy of ``company``, built from
        :data:`DEFAULT_LEVELS`; a level whose template or activity type is missing is
        created without that channel rather than failing."""
        values = []
        for sequence, row in enumerate(DEFAULT_LEVELS, start=1):
            template = row.get("mail_template") and self.env.ref(
                row["mail_template"], raise_if_not_found=False
            )
            activity_type = row.get("activity_type") and self.env.ref(
                row["activity_type"], raise_if_not_found=False
            )
            values.append(
                {
                    "name": _default_term(row, "name", "en_US"),
                    "sequence": sequence * 10,
                    "delay": row["delay"],
                    "send_email": bool(template),
                    "mail_template_id": template.id if template else False,
                    "create_activity": bool(activity_type),
                    "activity_type_id": activity_type.id if activity_type else False,
                    "activity_responsible": row.get("activity_responsible", "account_manager"),
                    "activity_summary": _default_term(row, "activity_summary", "en_US"),
                    "activity_deadline_days": row.get("activity_deadline_days", 2),
                    "credit_hold": row.get("credit_hold", False),
                    "is_final_notice": row.get("is_final_notice", False),
                    "letter_text": _default_term(row, "letter_text", "en_US"),
                    "letter_payment_days": row.get("letter_payment_days", 14),
                }
            )
        return values

    @api.model
    def _create_default_policy(self, company):
        policy = self.sudo().create(
            {
                "name": _lt("Standard")._translate("en_US"),
                "company_id": company.id,
                "level_ids": [
                    fields.Command.create(vals) for vals in self._default_level_values(company)
                ],
            }
        )
        policy._translate_default_terms()
        return policy

    def _translate_default_terms(self):
        """Store the shipped translations of the default names for every installed language."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if not langs:
            return
        self.update_field_translations(
            "name", {lang: _lt("Standard")._translate(lang) for lang in langs}
        )
        for level in self.level_ids:
            row = _default_row(level)
            if not row:
                continue
            for fname in TRANSLATED_LEVEL_FIELDS:
                if row.get(fname):
                    level.update_field_translations(
                        fname, {lang: _default_translation(row, fname, lang) for lang in langs}
                    )

    @api.model
    def _ar_fill_default_letters(self):
        """Give the levels of the companies' default policies that send e-mails and have no
        letter text the letter of their default level (the same delay) with its days to pay,
        in every installed language: databases created before the letters were shipped.
        Returns the levels filled."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        companies = self.env["res.company"].sudo().search([("ar_default_policy_id", "!=", False)])
        policies = companies.ar_default_policy_id
        levels = policies.with_context(active_test=False).level_ids.filtered(
            lambda level: level.send_email and is_html_empty(level.letter_text)
        )
        filled = self.env["ar.followup.level"]
        for level in levels:
            row = _default_row(level)
            if not row or not row.get("letter_text"):
                continue
            filled |= level
            level.with_context(lang="en_US").write(
                {
                    "letter_text": _default_term(row, "letter_text", "en_US"),
                    "letter_payment_days": row["letter_payment_days"],
                }
            )
            if langs:
                level.update_field_translations(
                    "letter_text",
                    {lang: _default_translation(row, "letter_text", lang) for lang in langs},
                )
        return filled
