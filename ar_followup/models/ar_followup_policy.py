# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The default ladder of every company's default policy: one table, from which the levels
# (and their translations) are created at install and for every new company.
DEFAULT_LEVELS = [
    {
        "name": _lt("Courtesy reminder"),
        "delay": -3,
        "send_email": True,
        "mail_template": "ar_followup.mail_template_courtesy",
    },
    {
        "name": _lt("Friendly reminder"),
        "delay": 7,
        "send_email": True,
        "mail_template": "ar_followup.mail_template_reminder",
    },
    {
        "name": _lt("Second reminder"),
        "delay": 14,
        "send_email": True,
        "mail_template": "ar_followup.mail_template_second_reminder",
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
        "credit_hold": True,
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
TRANSLATED_LEVEL_FIELDS = ("name", "activity_summary")


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
                    "name": str(row["name"]._translate("en_US")),
                    "sequence": sequence * 10,
                    "delay": row["delay"],
                    "send_email": bool(template),
                    "mail_template_id": template.id if template else False,
                    "create_activity": bool(activity_type),
                    "activity_type_id": activity_type.id if activity_type else False,
                    "activity_responsible": row.get("activity_responsible", "account_manager"),
                    "activity_summary": row.get("activity_summary")
                    and row["activity_summary"]._translate("en_US"),
                    "activity_deadline_days": row.get("activity_deadline_days", 2),
                    "credit_hold": row.get("credit_hold", False),
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
            row = next((r for r in DEFAULT_LEVELS if r["delay"] == level.delay), None)
            if not row:
                continue
            for fname in TRANSLATED_LEVEL_FIELDS:
                if row.get(fname):
                    level.update_field_translations(
                        fname, {lang: row[fname]._translate(lang) for lang in langs}
                    )
