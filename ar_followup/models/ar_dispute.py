# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import parse_amount

# the response time of each reason is the company's ar_dispute_days_<reason>
DISPUTE_REASONS = [
    ("quality", "Quality"),
    ("delivery", "Delivery"),
    ("pricing", "Pricing (invoicing error)"),
    ("not_received", "Not received"),
    ("other", "Other"),
]
OPEN_STATES = ("new", "in_progress")

# the portal's dispute form
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024  # bytes
MAX_DESCRIPTION = 10000  # characters


class ArDispute(models.Model):
    _name = "ar.dispute"
    _description = "Invoice Dispute"
    _inherit = ["ar.claim.mixin", "portal.mixin"]
    _mail_post_access = "read"  # the customer answers from the portal
    _ar_system_fields = frozenset(
        {"state", "credit_note_id", "date_resolved", "resolution_days", "escalated"}
    )
    _ar_initial_state = "new"

    move_ids = fields.Many2many(
        relation="ar_dispute_move_rel", column1="dispute_id", column2="move_id"
    )
    date = fields.Date(
        string="Opened on", required=True, default=fields.Date.context_today, readonly=True
    )
    reason = fields.Selection(DISPUTE_REASONS, required=True, tracking=True)
    description = fields.Text()
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_amounts", store=True, readonly=True
    )
    amount_open = fields.Monetary(
        string="Open amount",
        compute="_compute_amounts",
        store=True,
        groups="base.group_user",
        help="Open amount of the disputed invoices.",
    )
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        tracking=True,
        help="The part of the invoices' open amount the customer disputes (by default all of "
        "it; never more).",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In progress"),
            ("resolved", "Resolved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    is_open = fields.Boolean(
        string="Open",
        compute="_compute_is_open",
        store=True,
        help="New or in progress: the disputed amount is not chased.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        groups="base.group_user",
        domain="[('share', '=', False)]",
    )
    date_deadline = fields.Date(
        string="Answer before",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        tracking=True,
        help="Date by which the dispute should be answered: the response time of its reason "
        "(company settings) after it was opened.",
    )
    resolution = fields.Text(tracking=True)
    # internal: portal users read what the portal pages show (reference, date, invoices,
    # reason, description, disputed amount, state, deadline, outcome), not the fields below
    credit_note_id = fields.Many2one(
        "account.move", string="Credit note", readonly=True, copy=False, groups="base.group_user"
    )
    date_resolved = fields.Date(readonly=True, copy=False, groups="base.group_user")
    resolution_days = fields.Integer(
        string="Days to resolve",
        readonly=True,
        aggregator="avg",
        groups="base.group_user",
        help="Days from the opening of the dispute to its outcome.",
    )
    escalated = fields.Boolean(readonly=True, copy=False, groups="base.group_user")

    @api.depends("move_ids.amount_residual", "move_ids.currency_id")
    def _compute_amounts(self):
        for dispute in self:
            dispute.currency_id = dispute.move_ids[:1].currency_id or dispute.company_id.currency_id
            dispute.amount_open = sum(dispute.move_ids.mapped("amount_residual"))

    @api.depends("move_ids")
    def _compute_amount_disputed(self):
        for dispute in self:
            if dispute.state in OPEN_STATES:
                dispute.amount_disputed = sum(dispute.move_ids.mapped("amount_residual"))

    @api.depends("state")
    def _compute_is_open(self):
        for dispute in self:
            dispute.is_open = dispute.state in OPEN_STATES

    @api.depends("partner_id", "company_id")
    def _compute_user_id(self):
        for dispute in self:
            partner = dispute.partner_id.commercial_partner_id
            dispute.user_id = (
                self.env["ar.customer.account"]._ar_collector(partner, dispute.company_id)
                if partner
                else self.env["res.users"]
            )

    @api.depends("reason", "date", "company_id")
    def _compute_date_deadline(self):
        for dispute in self:
            start = dispute.date or fields.Date.context_today(self)
            days = dispute.company_id._ar_dispute_response_days(dispute.reason)
            dispute.date_deadline = start + timedelta(days=days)

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for dispute in self:
            dispute.access_url = f"/my/disputes/{dispute.id}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("amount_disputed", "move_ids", "partner_id")
    def _check_amounts_and_invoices(self):
        for dispute in self:
            moves = dispute.move_ids
            if any(m.move_type != "out_invoice" or m.state != "posted" for m in moves):
                raise ValidationError(self.env._("Only posted customer invoices can be disputed."))
            if moves.commercial_partner_id != dispute.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("The disputed invoices must all be invoices of the customer.")
                )
            if len(moves.currency_id) > 1:
                raise ValidationError(
                    self.env._("The invoices of one dispute must be in the same currency.")
                )
            if dispute.state not in OPEN_STATES:
                continue
            currency = dispute.currency_id
            if currency.compare_amounts(dispute.amount_disputed, 0.0) <= 0:
                raise ValidationError(self.env._("The disputed amount must be positive."))
            if currency.compare_amounts(dispute.amount_disputed, dispute.amount_open) > 0:
                raise ValidationError(
                    self.env._(
                        "The disputed amount (%(disputed)s) cannot be more than the open amount "
                        "of the invoices (%(open)s).",
                        disputed=dispute.amount_disputed,
                        open=dispute.amount_open,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        for dispute in disputes:
            dispute.message_subscribe(partner_ids=dispute.partner_id.ids)
            dispute._ar_schedule_response()
            dispute._ar_notify_customer("ar_followup.mail_template_dispute_ack")
        return disputes

    def _ar_schedule_response(self):
        """The responsible's to-do, in the responsible's language. A dispute the customer
        opened (portal, statement link) is assigned by the system (OdooBot): the assignment
        e-mail needs a sender with an address, which the customer's user may not have."""
        self.ensure_one()
        if self.user_id:
            dispute = self.with_user(SUPERUSER_ID) if self.env.user.share else self
            dispute = dispute.with_context(lang=self.user_id.lang or self.env.lang)
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date_deadline,
                summary=dispute.env._("Answer the dispute %(name)s", name=self.name),
                user_id=self.user_id.id,
            )

    def _ar_notify_customer(self, template_xmlid):
        """An e-mail to the customer, in its language: a comment in the dispute's chatter
        (shown on its portal page) sent to the customer only, the template's recipient. Its
        subtype is followed by no one: the responsible and the other followers do not get
        the customer's acknowledgement."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if template:
            self.sudo().message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="ar_followup.mt_dispute_to_customer",
            )

    def _ar_customer_subject(self):
        """The subject of the customer's own messages on the dispute (its description): the
        dispute and its invoices, in the customer's language."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        invoices = ", ".join(self.move_ids.mapped("name"))
        if len(self.move_ids) == 1:
            return env._(
                "Your dispute %(dispute)s about invoice %(invoice)s",
                dispute=self.name,
                invoice=invoices,
            )
        return env._(
            "Your dispute %(dispute)s about invoices %(invoices)s",
            dispute=self.name,
            invoices=invoices,
        )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _ar_close(self, state, resolution):
        self.check_access("write")
        today = fields.Date.context_today(self)
        for dispute in self:
            if dispute.state not in OPEN_STATES:
                raise UserError(
                    self.env._("The dispute %(name)s is already closed.", name=dispute.name)
                )
            dispute.sudo().write(
                {
                    "state": state,
                    "resolution": resolution,
                    "date_resolved": today,
                    "resolution_days": (today - dispute.date).days,
                }
            )
            dispute.activity_unlink(["mail.mail_activity_data_todo"])
            self.env["ar.followup.move.state"]._ar_resume_after_grace(dispute.move_ids)
            if state != "cancelled":
                dispute._ar_notify_customer("ar_followup.mail_template_dispute_outcome")

    def action_start(self):
        self.check_access("write")
        self.filtered(lambda d: d.state == "new").sudo().write({"state": "in_progress"})

    def action_resolve(self, resolution, credit_note=False):
        """Resolve, with a credit note for the disputed amount when ``credit_note``."""
        self.check_access("write")
        for dispute in self:
            if credit_note:
                dispute.sudo().credit_note_id = dispute._ar_create_credit_note()
        self._ar_close("resolved", resolution)

    def action_reject(self, resolution):
        if not (resolution or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        self._ar_close("rejected", resolution)

    def action_cancel(self):
        self._ar_close("cancelled", self.env._("Cancelled"))

    def action_open_resolve_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close the dispute"),
            "res_model": "ar.dispute.resolve.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dispute_id": self.id},
        }

    def _ar_create_credit_note(self):
        """A posted credit note for the disputed amount, matched with the invoices: Odoo's
        reversal when the whole of a single invoice is disputed, else a credit note whose lines
        are the invoices' lines scaled to the disputed amount (same accounts and taxes)."""
        self.ensure_one()
        moves = self.move_ids.sorted(lambda m: (m.invoice_date_due, m.id))
        currency = self.currency_id
        if (
            len(moves) == 1
            and currency.compare_amounts(self.amount_disputed, moves.amount_total) == 0
            and currency.compare_amounts(moves.amount_residual, moves.amount_total) == 0
        ):
            return moves._reverse_moves(
                [{"ref": self.env._("Dispute %(name)s", name=self.name)}], cancel=True
            )
        lines, left = [], self.amount_disputed
        for move in moves:
            share = min(left, move.amount_residual)
            left -= share
            if currency.is_zero(share):
                continue
            factor = share / move.amount_total
            for line in move.invoice_line_ids.filtered(lambda l: l.display_type == "product"):
                lines.append(
                    Command.create(
                        {
                            "name": self.env._(
                                "%(invoice)s: %(line)s", invoice=move.name, line=line.name
                            ),
                            "quantity": 1,
                            "price_unit": currency.round(line.price_subtotal * factor),
                            "account_id": line.account_id.id,
                            "tax_ids": [Command.set(line.tax_ids.ids)],
                        }
                    )
                )
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "currency_id": currency.id,
                "invoice_date": fields.Date.context_today(self),
                "ref": self.env._("Dispute %(name)s", name=self.name),
                "reversed_entry_id": moves[:1].id,
                "invoice_line_ids": lines,
            }
        )
        refund.action_post()
        (refund + moves).line_ids.filtered(
            lambda l: l.account_id.account_type == "asset_receivable" and not l.reconciled
        ).reconcile()
        return refund

    @api.model
    def _cron_escalate(self):
        """Daily: an activity for the credit-control manager for each dispute whose deadline
        has passed unresolved, once."""
        today = fields.Date.context_today(self)
        late = self.search(
            [("state", "in", OPEN_STATES), ("date_deadline", "<", today), ("escalated", "=", False)]
        )
        for company, disputes in late.grouped("company_id").items():
            manager = company._ar_credit_manager()
            for dispute in disputes:
                dispute.activity_schedule(
                    "ar_followup.mail_activity_type_escalation",
                    date_deadline=today,
                    summary=self.env._("Dispute %(name)s is past its deadline", name=dispute.name),
                    user_id=manager.id,
                )
        late.sudo().write({"escalated": True})

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    @api.model
    def _ar_portal_check(self, invoice_sudo, post, files):
        """The errors of the portal's dispute form (``post``: what the customer typed,
        ``files``: ``[(name, content)]``), ``{field: message}``, and the clean values it
        gives (see :meth:`_ar_create_from_portal`)."""
        env = self.env
        errors = {}
        reason = post.get("reason")
        if reason not in dict(DISPUTE_REASONS):
            errors["reason"] = env._("Choose what the dispute is about.")
        description = (post.get("description") or "").strip()
        if "\x00" in description:
            errors["description"] = env._(
                "The description contains a character we cannot store (a NUL byte): type it "
                "again without it."
            )
        elif len(description) < 5:
            errors["description"] = env._("Tell us in a few words what is wrong.")
        elif len(description) > MAX_DESCRIPTION:
            errors["description"] = env._(
                "Keep the description under %s characters: attach longer texts as a file.",
                MAX_DESCRIPTION,
            )
        # as the customer's language writes it (2.000,00 in Dutch), or as typed elsewhere
        amount = parse_amount(
            post.get("amount"), env["res.lang"]._get_data(code=env.lang).thousands_sep
        )
        if amount is None:
            errors["amount"] = env._("Give the disputed amount as a number, e.g. 125.50.")
        else:
            currency = invoice_sudo.currency_id
            if not math.isfinite(amount):
                # 5,000 nines: digits enough to overflow a float
                errors["amount"] = env._("Give the disputed amount as a number, e.g. 125.50.")
                amount = None
            # compared as floats first: rounding 1e308 to the cent overflows
            elif amount <= 0 or (amount < 1 and currency.is_zero(amount)):
                errors["amount"] = env._("The disputed amount must be more than zero.")
            elif (
                amount > invoice_sudo.amount_residual + 1
                or currency.compare_amounts(amount, invoice_sudo.amount_residual) > 0
            ):
                errors["amount"] = env._(
                    "The disputed amount cannot be more than the open amount of the invoice."
                )
            else:
                amount = currency.round(amount)
        if len(files) > MAX_ATTACHMENTS:
            errors["attachments"] = env._("Attach at most %s files.", MAX_ATTACHMENTS)
        elif any(len(content) > MAX_ATTACHMENT_SIZE for _name, content in files):
            errors["attachments"] = env._("Each file can be 10 MB at most.")
        elif any("\x00" in name for name, _content in files):
            errors["attachments"] = env._(
                "A file name contains a character we cannot store (a NUL byte): rename the file."
            )
        return errors, {"reason": reason, "description": description, "amount": amount}

    @api.model
    def _ar_create_from_portal(self, invoice, values, files, author):
        """The dispute a customer opens on ``invoice`` from the portal (called sudoed):
        ``values`` holds the checked ``reason``, ``description`` and ``amount``, ``files``
        ``(name, content)`` pairs. The description and the files are the customer's first
        message on the dispute, a comment by ``author`` that the customer sees in the portal
        chatter; the files get access tokens, for the download links of the dispute page."""
        # its followers: the customer and the author, not the user who sent the form (a
        # visitor or another customer's user holding the invoice's link)
        dispute = self.with_context(mail_create_nosubscribe=True).create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": invoice.company_id.id,
                "move_ids": [Command.set(invoice.ids)],
                "reason": values["reason"],
                "description": values["description"],
                "amount_disputed": values["amount"],
            }
        )
        dispute.message_subscribe(partner_ids=author.ids)
        # as ``attachments``: message_post drops the ``attachment_ids`` of a portal user
        # that were not uploaded through the composer
        message = dispute.message_post(
            body=values["description"],
            subject=dispute._ar_customer_subject(),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=list(files),
        )
        message.attachment_ids.generate_access_token()
        return dispute

    def _ar_customer_attachments(self):
        """The files the customer sent on the dispute: those of the portal-visible messages
        its contacts wrote (never the files of internal notes)."""
        self.ensure_one()
        messages = self.sudo().message_ids.filtered(
            lambda m: (
                m.message_type == "comment"
                and not m.is_internal
                and not m.subtype_id.internal
                and m.author_id.commercial_partner_id == self.partner_id
            )
        )
        attachments = messages.attachment_ids.sorted("id")
        attachments.filtered(lambda a: not a.access_token).generate_access_token()
        return attachments

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.name
