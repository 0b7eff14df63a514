# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, formatLang

# a customer has at most one plan in these states (per company) before it may ask for another
OPEN_PLAN_STATES = ("proposed", "active")
PLAN_STATES = [
    ("draft", "Draft"),
    ("proposed", "Proposed"),
    ("active", "Active"),
    ("completed", "Completed"),
    ("broken", "Broken"),
    ("cancelled", "Cancelled"),
]


class ArPaymentPlan(models.Model):
    _name = "ar.payment.plan"
    _description = "Payment Plan"
    _inherit = ["ar.claim.mixin"]
    _ar_system_fields = frozenset({"state", "date_start", "amount_start", "requested_by_customer"})
    _ar_invoice_states = ("draft", "proposed")  # its instalments too: ar.payment.plan.line

    move_ids = fields.Many2many(
        relation="ar_payment_plan_move_rel",
        column1="plan_id",
        column2="move_id",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', partner_id), ('amount_residual', '>', 0)]",
    )
    line_ids = fields.One2many("ar.payment.plan.line", "plan_id", string="Instalments", copy=True)
    state = fields.Selection(PLAN_STATES, default="draft", required=True, tracking=True, index=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(
        string="Amount",
        compute="_compute_amounts",
        store=True,
        help="Open amount of the invoices when the plan was made.",
    )
    amount_open = fields.Monetary(
        string="Still open",
        compute="_compute_amount_open",
        compute_sudo=True,  # from the internal amount_start and grace_days
        help="What is still open on the plan's invoices.",
    )
    amount_paid = fields.Monetary(
        string="Paid",
        compute="_compute_amount_open",
        compute_sudo=True,  # from the internal amount_start and grace_days
        help="What was paid on the plan's invoices since the plan was activated.",
    )
    amount_due = fields.Monetary(
        string="Due so far",
        compute="_compute_amount_open",
        compute_sudo=True,  # from the internal amount_start and grace_days
        help="Instalments whose date (plus the grace period) has passed.",
    )
    amount_start = fields.Monetary(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Open amount of the invoices when the plan was activated.",
    )
    date_start = fields.Date(string="Activated on", readonly=True, copy=False)
    grace_days = fields.Integer(
        default=lambda self: self.env.company.ar_plan_grace_days,
        groups="base.group_user",
        help="Days an instalment may be late before the plan counts as broken.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        groups="base.group_user",
        default=lambda self: self.env.user if not self.env.user.share else False,
    )
    requested_by_customer = fields.Boolean(readonly=True, copy=False, groups="base.group_user")
    # internal: portal users read a plan's name, invoices, instalments, amounts and state only
    note = fields.Text(groups="base.group_user")

    @api.depends("move_ids.amount_residual", "move_ids.currency_id", "state")
    def _compute_amounts(self):
        for plan in self:
            plan.currency_id = plan.move_ids[:1].currency_id or plan.company_id.currency_id
            if plan.state in ("draft", "proposed") or not plan.amount_total:
                plan.amount_total = sum(plan.move_ids.mapped("amount_residual"))

    @api.depends(
        "move_ids.amount_residual",
        "line_ids.amount",
        "line_ids.date",
        "amount_start",
        "date_start",
        "grace_days",
    )
    def _compute_amount_open(self):
        today = fields.Date.context_today(self)
        for plan in self:
            open_amount = sum(plan.move_ids.mapped("amount_residual"))
            plan.amount_open = open_amount
            plan.amount_paid = (plan.amount_start - open_amount) if plan.date_start else 0.0
            plan.amount_due = sum(
                line.amount
                for line in plan.line_ids
                if line.date + relativedelta(days=plan.grace_days) < today
            )

    @api.constrains("move_ids", "partner_id", "line_ids", "grace_days")
    def _check_plan(self):
        for plan in self:
            moves = plan.move_ids
            if moves.commercial_partner_id != plan.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("The invoices of a payment plan must be invoices of its customer.")
                )
            if len(moves.currency_id) > 1:
                raise ValidationError(
                    self.env._("The invoices of one payment plan must be in the same currency.")
                )
            if plan.grace_days < 0:
                raise ValidationError(self.env._("The grace period cannot be negative."))
            # an invoice with an agency is the agency's to settle (the case is the place)
            at_agency = moves.filtered("ar_in_collection")
            if at_agency and plan.state in OPEN_PLAN_STATES:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s are handed over to a collection agency: a payment plan "
                        "for them is agreed with the agency.",
                        invoices=", ".join(at_agency.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # Instalments
    # ------------------------------------------------------------------

    @api.model
    def _split(self, amount, count, first_date, interval_months=1, currency=None):
        """``count`` instalments of ``amount``, to the cent, the last absorbing the rounding;
        one every ``interval_months`` from ``first_date``."""
        if count < 1:
            raise UserError(self.env._("A payment plan needs at least one instalment."))
        currency = currency or self.env.company.currency_id
        share = currency.round(amount / count)
        amounts = [share] * (count - 1) + [currency.round(amount - share * (count - 1))]
        try:
            return [
                {
                    "date": first_date + relativedelta(months=interval_months * index),
                    "amount": value,
                }
                for index, value in enumerate(amounts)
            ]
        except (OverflowError, ValueError) as error:
            raise UserError(
                self.env._("The instalments of this plan would fall outside the calendar.")
            ) from error

    def _set_instalments(self, count, first_date, interval_months=1):
        for plan in self:
            plan.line_ids = [Command.clear()] + [
                Command.create(values)
                for values in self._split(
                    plan.amount_total, count, first_date, interval_months, plan.currency_id
                )
            ]

    # ------------------------------------------------------------------
    # Requested by the customer (portal)
    # ------------------------------------------------------------------

    @api.model
    def _ar_portal_invoices(self, partner):
        """The invoices a customer may put in a payment plan: open, not disputed, not in a
        plan, not handed over to an agency, in the company currency."""
        company = self.env.company
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
                ("ar_is_disputed", "=", False),
                ("ar_in_payment_plan", "=", False),
                ("ar_in_collection", "=", False),
                ("currency_id", "=", company.currency_id.id),
            ]
        )

    @api.model
    def _ar_portal_open_plans(self, partner):
        """The customer's plans (of the current company) that block a new request."""
        return self.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("state", "in", OPEN_PLAN_STATES),
            ]
        )

    @api.model
    def _ar_portal_request_errors(self, partner, invoices, instalments, first_date):
        """``{field: message}`` for a customer's request of ``instalments`` instalments from
        ``first_date`` (None when it could not be read) over ``invoices``; empty when it may
        be made. Dates are checked against the company's window before any date arithmetic."""
        company = self.env.company
        errors = {}
        if self._ar_portal_open_plans(partner):
            errors["plan"] = self.env._(
                "You have already asked for a payment plan, or one is running: we answer a "
                "request before you can make another one."
            )
            return errors
        if not invoices:
            errors["instalments"] = self.env._("You have no open invoices to pay in instalments.")
            return errors
        total = sum(invoices.mapped("amount_residual"))
        if not instalments or not 1 <= instalments <= company.ar_plan_max_instalments:
            errors["instalments"] = self.env._(
                "Choose between 1 and %s instalments.", company.ar_plan_max_instalments
            )
        elif (
            company.currency_id.compare_amounts(total / instalments, company.ar_plan_min_instalment)
            < 0
        ):
            errors["instalments"] = self.env._(
                "Each instalment must be at least %s: choose fewer instalments.",
                company.ar_plan_min_instalment,
            )
        today = fields.Date.context_today(self)
        latest = today + timedelta(days=company.ar_plan_start_days)
        if not first_date:
            errors["first_date"] = self.env._("Give the date of the first instalment.")
        elif first_date < today:
            errors["first_date"] = self.env._("The first instalment cannot be in the past.")
        elif first_date > latest:
            errors["first_date"] = self.env._(
                "The first instalment must be on %(date)s at the latest (within %(days)s days).",
                date=format_date(self.env, latest),
                days=company.ar_plan_start_days,
            )
        return errors

    @api.model
    def _ar_request_from_portal(self, partner, instalments, first_date):
        """A customer asks for a plan over all its open invoices: ``(plan, errors)``, the
        proposed plan (with an approval activity for its responsible) or the errors of
        ``_ar_portal_request_errors``. Called sudoed by the portal controller.

        One open request per customer: the customer's row is locked before its plans are
        read, by an update that changes nothing. A parallel request waits for the lock; when
        the first one commits, the second fails to serialize (Odoo's transactions are
        repeatable read and the row was updated since the second began), and Odoo replays
        it: it then sees the first plan and gets the message. An update takes a "no key
        update" lock: invoices and messages of the customer (whose foreign keys only share
        the row's key) can still be written meanwhile, e.g. by the follow-up run."""
        partner = partner.commercial_partner_id
        self.env.cr.execute(
            SQL("UPDATE res_partner SET write_date = write_date WHERE id = %s", partner.id)
        )
        invoices = self._ar_portal_invoices(partner)
        errors = self._ar_portal_request_errors(partner, invoices, instalments, first_date)
        if errors:
            return self.browse(), errors
        company = self.env.company
        # proposed and asked for by the customer: set by the system, as the portal's request
        plan = (
            self.sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "state": "proposed",
                    "requested_by_customer": True,
                    "user_id": self.env["ar.customer.account"]._ar_collector(partner, company).id,
                }
            )
            .with_env(self.env)
        )
        plan._set_instalments(instalments, first_date)
        plan.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Approve or decline the payment plan %(name)s", name=plan.name),
            user_id=plan.user_id.id,
        )
        return plan, {}

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_activate(self):
        self.check_access("write")
        for plan in self:
            if plan.state not in ("draft", "proposed"):
                raise UserError(self.env._("Only a draft or proposed plan can be activated."))
            if not plan.line_ids:
                raise UserError(self.env._("Add the instalments first."))
            plan._ar_follow_payments()
            total = sum(plan.line_ids.mapped("amount"))
            if plan.currency_id.compare_amounts(total, plan.amount_total):
                raise UserError(
                    self.env._(
                        "The instalments add up to %(total)s, the plan's amount is %(amount)s: "
                        "correct the instalments so that they add up to it.",
                        total=formatLang(self.env, total, currency_obj=plan.currency_id),
                        amount=formatLang(
                            self.env, plan.amount_total, currency_obj=plan.currency_id
                        ),
                    )
                )
            busy = plan.move_ids.filtered(
                lambda m, p=plan: (m.ar_payment_plan_ids - p).filtered(
                    lambda o: o.state == "active"
                )
            )
            if busy:
                raise UserError(
                    self.env._(
                        "%(invoices)s already belong to an active payment plan.",
                        invoices=", ".join(busy.mapped("name")),
                    )
                )
            was_proposed = plan.state == "proposed"
            plan.sudo().write(
                {
                    "state": "active",
                    "date_start": fields.Date.context_today(self),
                    "amount_start": sum(plan.move_ids.mapped("amount_residual")),
                }
            )
            plan.activity_unlink(["mail.mail_activity_data_todo"])
            if was_proposed:
                plan._ar_notify_customer("ar_followup.mail_template_plan_approved")
        return True

    def _ar_follow_payments(self):
        """What was paid since a customer asked for the plan: invoices paid in full leave
        it, and its instalments (the ones the request computed) are spread again over the
        same dates; the chatter says so. A plan a user made keeps the instalments typed."""
        self.ensure_one()
        paid = self.move_ids.filtered(lambda m: m.currency_id.is_zero(m.amount_residual))
        if paid == self.move_ids:
            raise UserError(
                self.env._(
                    "%(invoices)s have been paid meanwhile: nothing is left for this plan. "
                    "Decline it.",
                    invoices=", ".join(paid.mapped("name")),
                )
            )
        if not self.requested_by_customer:
            return
        if paid:
            self.sudo().move_ids = [Command.unlink(move.id) for move in paid]
        lines = self.line_ids.sorted("date")
        before = sum(lines.mapped("amount"))
        if not self.currency_id.compare_amounts(before, self.amount_total):
            return
        amounts = [
            values["amount"]
            for values in self._split(
                self.amount_total, len(lines), lines[0].date, 1, self.currency_id
            )
        ]
        for line, amount in zip(lines, amounts, strict=True):
            line.amount = amount
        self.message_post(
            body=self.env._(
                "Paid since the request: %(paid)s. The instalments are spread again over the "
                "open amount of %(amount)s (it was %(before)s).",
                paid=", ".join(paid.mapped("name")) or self.env._("part of the invoices"),
                amount=formatLang(self.env, self.amount_total, currency_obj=self.currency_id),
                before=formatLang(self.env, before, currency_obj=self.currency_id),
            )
        )

    def action_decline(self):
        self.check_access("write")
        for plan in self:
            if plan.state != "proposed":
                raise UserError(self.env._("Only a proposed plan can be declined."))
            plan.sudo().state = "cancelled"
            plan.activity_unlink(["mail.mail_activity_data_todo"])
            plan._ar_notify_customer("ar_followup.mail_template_plan_declined")
        return True

    def action_cancel(self):
        self.check_access("write")
        plans = self.filtered(lambda p: p.state in ("draft", "proposed", "active"))
        active = plans.filtered(lambda p: p.state == "active")
        plans.sudo().write({"state": "cancelled"})
        # the follow-up of the plan's invoices resumes after the grace period
        self.env["ar.followup.move.state"]._ar_resume_after_grace(active.move_ids)
        return True

    def _ar_next_instalment(self):
        """The first instalment from today on (for the reminder e-mail)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        return self.line_ids.filtered(lambda line: line.date >= today)[:1]

    def _ar_payment_details(self):
        """How the customer pays the instalments, for the approval e-mail and the portal:
        ``{'bank'`` (the company's bank account its reminders name, or empty), ``'reference'``
        (what the transfers state: the invoices' structured payment reference, else their
        numbers, as the SEPA QR codes of the reminders have it), ``'url'`` (the customer's
        statement link, where the plan and what is open are shown)``}``."""
        self.ensure_one()
        plan = self.sudo()
        Statement = self.env["ar.followup.statement"].sudo().with_company(plan.company_id)
        today = fields.Date.context_today(self)
        structured, text = Statement._ar_transfer_reference(plan.move_ids, today)
        partner = plan.partner_id.commercial_partner_id
        Link = self.env["ar.statement.link"].sudo()
        link = Link._ar_links(partner, plan.company_id, today)[partner.id]
        return {
            "bank": plan.company_id.partner_id.bank_ids[:1],
            "reference": structured or text,
            "url": link._ar_url(),
        }

    def _ar_notify_customer(self, template_xmlid):
        """An e-mail to the customer, in its language: a comment in the plan's chatter
        (shown on its portal page) sent to the customer only, the template's recipient; its
        subtype is followed by no one, so the account manager and the other followers do not
        get the customer's e-mail."""
        self.ensure_one()
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if template:
            self.message_subscribe(partner_ids=self.partner_id.ids)
            self.sudo().message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="ar_followup.mt_plan_to_customer",
                partner_ids=[Command.set(self.partner_id.ids)],
            )

    def _ar_check_progress(self):
        """Completed when everything is paid; broken when less is paid than the instalments
        due (grace period included): the customer and the responsible are told, and the
        follow-up resumes."""
        # "today" moves on: the amounts due are computed anew
        self.invalidate_recordset(["amount_open", "amount_paid", "amount_due"])
        for plan in self.filtered(lambda p: p.state == "active"):
            currency = plan.currency_id
            if currency.is_zero(plan.amount_open):
                plan.sudo().state = "completed"
                plan._ar_log_history(self.env._("Payment plan %(name)s completed.", name=plan.name))
            elif currency.compare_amounts(plan.amount_paid, plan.amount_due) < 0:
                plan.sudo().state = "broken"
                note = self.env._(
                    "Payment plan %(name)s broken: %(paid)s paid, %(due)s due.",
                    name=plan.name,
                    paid=plan.amount_paid,
                    due=plan.amount_due,
                )
                plan._ar_log_history(note)
                plan._ar_notify_customer("ar_followup.mail_template_plan_broken")
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Payment plan %(name)s is broken", name=plan.name),
                    note=note,
                    user_id=(
                        plan.user_id
                        or self.env["ar.customer.account"]._ar_collector(
                            plan.partner_id, plan.company_id
                        )
                    ).id,
                )

    def _ar_log_history(self, note):
        self.ensure_one()
        History = self.env["ar.followup.history"]
        History._ar_record(
            [
                History._ar_line(
                    self.partner_id,
                    "plan",
                    fields.Date.context_today(self),
                    company=self.company_id,
                    moves=self.move_ids.ids,
                    note=note,
                )
            ]
        )

    @api.model
    def _cron_check_plans(self):
        """Daily: progress of the active plans, and the instalment reminders."""
        plans = self.search([("state", "=", "active")])
        plans._ar_check_progress()
        today = fields.Date.context_today(self)
        for company, company_plans in (
            plans.filtered(lambda p: p.state == "active").grouped("company_id").items()
        ):
            remind_on = today + relativedelta(days=company.ar_plan_reminder_days)
            lines = company_plans.line_ids.filtered(
                lambda line, d=remind_on: line.date == d and not line.reminder_sent
            )
            for line in lines:
                line.plan_id._ar_notify_customer("ar_followup.mail_template_plan_reminder")
            lines.sudo().reminder_sent = True
