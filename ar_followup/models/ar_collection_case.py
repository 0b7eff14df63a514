# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The hand-off of claims to a collection agency, bailiff or lawyer: a collection case
(``INC/2026/0001``) with the invoices handed over, their dossier, and its state. While a case
is open its invoices get no reminders, costs or interest from the ladder (an exclusion of the
run's candidates), the customer stays on credit hold, and statements and reminders mark them
handed over; closing or cancelling it gives them back to the ladder at the level they had.
Only credit-control managers create and confirm cases; billing users read them."""

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_is_zero, formatLang

from .ar_collection_agency import AGENCY_KINDS

CASE_STATES = [
    ("draft", "Draft"),
    ("handed_over", "Handed over"),
    ("collecting", "Collecting"),
    ("paid", "Paid"),
    ("partly_paid", "Partly paid and closed"),
    ("written_off", "Written off"),
    ("returned", "Returned by the agency"),
    ("cancelled", "Cancelled"),
]
# the invoices of a case in these states are the agency's: the ladder leaves them alone
OPEN_CASE_STATES = ("handed_over", "collecting")
# set by the case's buttons and wizards only (their checks, the hold, the dossier, the
# entries): never written directly, also not by a manager over RPC
CASE_SYSTEM_FIELDS = frozenset(
    {
        "state",
        "date_handover",
        "date_closed",
        "amount_principal",
        "amount_costs",
        "amount_interest",
        "amount_collected",
        "amount_commission",
        "amount_costs_kept",
        "amount_written_off",
        "dossier_ids",
        "created_by_run",
        "hold_origin_before",
    }
)
MANAGER = "ar_followup.group_ar_manager"


class ArCollectionCase(models.Model):
    _name = "ar.collection.case"
    _description = "Collection Case"
    _inherit = ["ar.claim.mixin"]
    _ar_system_fields = CASE_SYSTEM_FIELDS
    # the dossier, the amounts and the agency's notice are of the invoices handed over
    _ar_invoice_states = ("draft",)

    agency_id = fields.Many2one(
        "res.partner",
        tracking=True,
        domain=lambda self: self.env["ar.collection.agency"]._ar_partner_domain(),
        default=lambda self: self.env.company.ar_default_agency_id,
        help="The collection agency, bailiff or lawyer the claim is handed to.",
    )
    collection_agency_id = fields.Many2one(
        "ar.collection.agency",
        string="Agency terms",
        compute="_compute_collection_agency_id",
        compute_sudo=True,
        help="The agency's terms: the address of its dossiers, its commission.",
    )
    agency_kind = fields.Selection(
        AGENCY_KINDS,
        string="Agency kind",
        compute="_compute_collection_agency_id",
        compute_sudo=True,
    )
    ar_followup_partner_to = fields.Char(
        string="Notice goes to",
        compute="_compute_ar_followup_partner_to",
        help="The contacts the customer's notice goes to (ids): those its reminders go to.",
    )
    move_ids = fields.Many2many(
        relation="ar_collection_case_move_rel",
        column1="case_id",
        column2="move_id",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', partner_id), ('amount_residual', '>', 0)]",
        help="The open invoices of the customer handed over (by default all overdue ones).",
    )
    state = fields.Selection(CASE_STATES, default="draft", required=True, tracking=True, index=True)
    is_open = fields.Boolean(
        compute="_compute_is_open",
        store=True,
        help="Handed over or collecting: the ladder leaves its invoices alone.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_principal = fields.Monetary(
        string="Principal",
        readonly=True,
        copy=False,
        help="Open amount of the invoices when they were handed over (company currency).",
    )
    amount_costs = fields.Monetary(
        string="Collection costs",
        readonly=True,
        copy=False,
        help="Collection costs charged by the follow-up on these invoices before the hand-over.",
    )
    amount_interest = fields.Monetary(
        string="Interest",
        readonly=True,
        copy=False,
        help="Interest charged by the follow-up on these invoices before the hand-over.",
    )
    amount_open = fields.Monetary(
        string="Still open",
        compute="_compute_amount_open",
        help="What is still open on the case's invoices (company currency).",
    )
    amount_collected = fields.Monetary(
        string="Collected",
        readonly=True,
        copy=False,
        help="Principal the agency collected, by its remittances.",
    )
    amount_commission = fields.Monetary(
        string="Commission",
        readonly=True,
        copy=False,
        help="What the agency kept of its remittances as its commission (the collection "
        "costs it kept are shown apart).",
    )
    amount_costs_kept = fields.Monetary(
        string="Costs kept by the agency",
        readonly=True,
        copy=False,
        help="The collection costs the agency collected and kept, as its terms allow.",
    )
    amount_written_off = fields.Monetary(
        string="Written off",
        readonly=True,
        copy=False,
        help="What was posted as a loss when the case was written off.",
    )
    date_handover = fields.Date(string="Handed over on", readonly=True, copy=False)
    date_closed = fields.Date(string="Closed on", readonly=True, copy=False)
    notify_customer = fields.Boolean(
        string="Tell the customer",
        default=True,
        help="At the hand-over, the customer gets an e-mail that the claim was handed over.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
    )
    note = fields.Text()
    dossier_ids = fields.Many2many(
        "ir.attachment",
        "ar_collection_case_dossier_rel",
        "case_id",
        "attachment_id",
        readonly=True,
        copy=False,
        help="The dossier sent to the agency: a PDF and a CSV of the invoices.",
    )
    entry_ids = fields.One2many(
        "account.move",
        "ar_collection_case_id",
        string="Entries",
        readonly=True,
        help="The entries of the agency's remittances and of the write-off.",
    )
    created_by_run = fields.Boolean(readonly=True, copy=False)
    hold_origin_before = fields.Selection(
        selection="_selection_hold_origin_before",
        readonly=True,
        copy=False,
        help="The customer's credit hold when the case was handed over: restored when the "
        "case closes (none: the case's hold is lifted).",
    )

    @api.model
    def _selection_hold_origin_before(self):
        """The origins of a customer's hold (a bridge's too, such as the credit insurer's)."""
        field = self.env["ar.customer.account"]._fields["credit_hold_origin"]
        return field._description_selection(self.env)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The reference of a collection case is unique per company.",
        )
    ]

    @api.depends("agency_id", "company_id")
    def _compute_collection_agency_id(self):
        agencies = self.env["ar.collection.agency"]._ar_of(self.agency_id, self.company_id)
        terms = {(agency.partner_id.id, agency.company_id.id): agency for agency in agencies}
        for case in self:
            key = (case.agency_id.id, case.company_id.id)
            case.collection_agency_id = terms.get(key, agencies.browse())
            case.agency_kind = case.collection_agency_id.kind

    @api.depends("partner_id")
    def _compute_ar_followup_partner_to(self):
        to = self.env["ar.customer.account"]._ar_partner_to(self.partner_id)
        for case in self:
            case.ar_followup_partner_to = to.get(case.partner_id.commercial_partner_id.id, "")

    @api.depends("state")
    def _compute_is_open(self):
        for case in self:
            case.is_open = case.state in OPEN_CASE_STATES

    @api.depends("move_ids.amount_residual_signed")
    def _compute_amount_open(self):
        for case in self:
            case.amount_open = sum(case.move_ids.mapped("amount_residual_signed"))

    @api.constrains("partner_id", "move_ids", "state")
    def _check_invoices(self):
        for case in self:
            not_invoices = case.move_ids.filtered(
                lambda m: m.move_type != "out_invoice" or m.state != "posted"
            )
            if not_invoices:
                raise ValidationError(
                    self.env._(
                        "A case hands over posted customer invoices, not %(moves)s.",
                        moves=", ".join(not_invoices.mapped("display_name")),
                    )
                )
            others = case.move_ids.filtered(
                lambda m, case=case: m.commercial_partner_id != case.partner_id
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "The invoices of a case are those of its customer %(partner)s, not "
                        "%(invoices)s.",
                        partner=case.partner_id.display_name,
                        invoices=", ".join(others.mapped("name")),
                    )
                )
            if not case.is_open:
                continue
            taken = case.move_ids.ar_collection_case_ids.filtered(
                lambda c, case=case: c.is_open and c != case
            )
            if taken:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s are already handed over in %(cases)s.",
                        invoices=", ".join((case.move_ids & taken.move_ids).mapped("name")),
                        cases=", ".join(taken.mapped("name")),
                    )
                )

    @api.constrains("agency_id")
    def _check_agency(self):
        for case in self.filtered("agency_id"):
            if not case.collection_agency_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a collection agency, bailiff or lawyer (mark it "
                        "so in the collection agencies).",
                        partner=case.agency_id.display_name,
                    )
                )

    # -- rights ------------------------------------------------------------------------

    def _ar_check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a credit-control manager can create or hand over a case.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._ar_check_manager()
        return super().create(vals_list)

    def write(self, vals):
        self._ar_check_manager()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_handed_over(self):
        if any(case.state != "draft" for case in self):
            raise UserError(self.env._("Only a draft case can be deleted; cancel it instead."))

    # -- defaults ----------------------------------------------------------------------

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.move_ids:
            self.move_ids = [Command.set(self._ar_overdue_invoices(self.partner_id).ids)]

    def _ar_overdue_invoices(self, partner, date=None):
        """The overdue open invoices of ``partner`` in the current company that are not in
        an open case already, nor disputed, nor in an active payment plan."""
        date = date or self._ar_today()
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("amount_residual", ">", 0),
                ("invoice_date_due", "<", date),
                ("ar_in_collection", "=", False),
                # a claim in dispute or in a payment plan is not the agency's
                ("ar_is_disputed", "=", False),
                ("ar_in_payment_plan", "=", False),
            ],
            order="invoice_date_due, id",
        )

    # -- the lifecycle -----------------------------------------------------------------

    def action_hand_over(self):
        """Hand the claim over: the amounts fixed, the customer put on hold, the dossier
        generated and attached, the agency's e-mail (and the customer's notice) queued, a
        line in the follow-up history."""
        self._ar_check_manager()
        today = self._ar_today()
        for case in self:
            if case.state != "draft":
                raise UserError(self.env._("%(case)s is already handed over.", case=case.name))
            open_moves = case.move_ids.filtered(lambda m: m.amount_residual > 0)
            if not open_moves:
                raise UserError(
                    self.env._("%(case)s has no open invoice to hand over.", case=case.name)
                )
            if not case.agency_id:
                raise UserError(
                    self.env._("Choose the agency to hand %(case)s to.", case=case.name)
                )
            # checked again here: a merge of contacts moves cases without their constraints
            case._check_agency()
            held_back = open_moves.filtered(lambda m: m.ar_is_disputed or m.ar_in_payment_plan)
            if held_back:
                raise UserError(
                    self.env._(
                        "%(invoices)s are disputed or in a payment plan: settle that first, or "
                        "leave them out of the case.",
                        invoices=", ".join(held_back.mapped("name")),
                    )
                )
            if not case.collection_agency_id.email:
                raise UserError(
                    self.env._(
                        "%(agency)s has no e-mail address for new cases.",
                        agency=case.agency_id.display_name,
                    )
                )
            fee_lines = case._ar_fee_lines()  # read once for both
            fees = case._ar_charged_fees(fee_lines)
            # the fee invoices of these invoices go with them (out of the ladder too)
            open_moves |= case._ar_fee_invoices(fee_lines)
            principal = open_moves.filtered(lambda m: not m.ar_is_fee_invoice)
            case.sudo().write(
                {
                    "move_ids": [Command.set(open_moves.ids)],
                    "state": "handed_over",
                    "date_handover": today,
                    "amount_principal": sum(principal.mapped("amount_residual_signed")),
                    "amount_costs": fees["costs"],
                    "amount_interest": fees["interest"],
                }
            )
            case._ar_account()._ar_hold_for_case(case, today)
            case._ar_generate_dossier()
            case._ar_send_to_agency()
            case._ar_log_history("handover", today)
            case._ar_note_on_customer()
            self.env["mail.activity"]._ar_done_by_handover(case)
        return True

    def action_collecting(self):
        """The agency confirmed it took the case on."""
        self._ar_check_manager()
        for case in self.filtered(lambda c: c.state == "handed_over"):
            case.sudo().state = "collecting"
        return True

    def action_cancel(self):
        """Cancel the case: its invoices go back to the ladder at the level they had."""
        return self._ar_close("cancelled")

    def action_returned(self):
        """The agency returned the case (it could not collect): its invoices go back to the
        ladder at the level they had."""
        return self._ar_close("returned")

    def _ar_close(self, state, date=None):
        self._ar_check_manager()
        today = date or self._ar_today()
        for case in self:
            if state == "cancelled" and case.state not in ("draft", *OPEN_CASE_STATES):
                raise UserError(
                    self.env._("%(case)s is closed; it cannot be cancelled.", case=case.name)
                )
            if state == "returned" and not case.is_open:
                raise UserError(
                    self.env._(
                        "%(case)s is not with the agency; it cannot be returned.", case=case.name
                    )
                )
            was_open = case.is_open
            case.sudo().write({"state": state, "date_closed": today})
            if was_open:
                case._ar_account()._ar_release_for_case(case, today)
                case._ar_log_history("handback", today)
            if state in ("cancelled", "returned"):
                case._ar_withdraw_mails()
        return True

    def action_remittance(self):
        """The agency's remittance: what it collected, kept and paid out."""
        self.ensure_one()
        self._ar_check_manager()
        bank = self.env["account.journal"].search(
            [("company_id", "=", self.company_id.id), ("type", "=", "bank")], limit=1
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Remittance of the agency"),
            "res_model": "ar.collection.remittance",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id, "default_journal_id": bank.id},
        }

    def action_write_off(self):
        """Close the case as written off: its open invoices posted as a loss."""
        self.ensure_one()
        self._ar_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write off as a bad debt"),
            "res_model": "ar.collection.writeoff",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.id,
                "default_company_id": self.company_id.id,
                "default_move_ids": [
                    Command.set(self.move_ids.filtered(lambda m: m.amount_residual > 0).ids)
                ],
            },
        }

    @api.model
    def _ar_direct_payments(self, moves, partials):
        """The customer paid (some of) ``moves``, invoices of open cases, to the company:
        each case's responsible gets an activity to tell the agency, the agency an e-mail if
        its terms say so; a case with nothing open left is paid."""
        cases = self.search([("is_open", "=", True), ("move_ids", "in", moves.ids)])
        template = self.env.ref("ar_followup.mail_template_collection_payment")
        for case in cases:
            paid = partials.filtered(lambda p, case=case: p.debit_move_id.move_id in case.move_ids)
            amount = sum(paid.mapped("amount"))
            note = self.env._(
                "%(partner)s paid %(amount)s directly on %(invoices)s: tell %(agency)s.",
                partner=case.partner_id.name,
                amount=formatLang(self.env, amount, currency_obj=case.currency_id),
                invoices=", ".join(paid.debit_move_id.move_id.mapped("name")),
                agency=case.agency_id.name,
            )
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Direct payment: tell the agency"),
                note=note,
                user_id=case.user_id.id or self.env.uid,
            )
            agency = case.collection_agency_id
            if agency.email_payments and agency.email:
                template.with_context(ar_direct_amount=amount).send_mail(
                    case.id, email_values={"email_to": agency.email}
                )
            case.message_post(body=note, subtype_xmlid="mail.mt_note")
            if all(m.amount_residual <= 0 for m in case.move_ids):
                case._ar_close("paid", case._ar_today())

    def _ar_after_payment(self, final, date, collected=0.0, kept=0.0, costs_kept=0.0):
        """After a remittance: paid when nothing is open any more, partly paid and closed
        when the agency closed it, else still collecting."""
        self.ensure_one()
        self.write(
            {
                "amount_collected": self.amount_collected + collected,
                "amount_commission": self.amount_commission + kept,
                "amount_costs_kept": self.amount_costs_kept + costs_kept,
            }
        )
        rounding = self.currency_id.rounding
        if all(
            float_is_zero(m.amount_residual, precision_rounding=rounding) for m in self.move_ids
        ):
            self._ar_close("paid", date)
        elif final:
            self._ar_close("partly_paid", date)
        elif self.state == "handed_over":
            self.sudo().state = "collecting"

    # -- the steps ---------------------------------------------------------------------

    def _ar_account(self):
        """The account of the case's customer in the case's company (created if needed)."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        return self.env["ar.customer.account"]._ar_get(partner, self.company_id)[partner.id]

    def _ar_today(self):
        """Today, the date of the case's steps: never a date a client could send."""
        return fields.Date.context_today(self)

    def _ar_log_history(self, channel, date):
        History = self.env["ar.followup.history"]

        def text(env):
            state = dict(self._fields["state"]._description_selection(env))[self.state]
            agency = self.agency_id.display_name
            if channel == "handover":
                return env._("Handed over to %(agency)s: %(case)s.", agency=agency, case=self.name)
            if self.state in ("returned", "cancelled"):
                return env._(
                    "Back from %(agency)s (%(case)s, %(state)s): the follow-up resumes.",
                    agency=agency,
                    case=self.name,
                    state=state,
                )
            return env._(
                "Back from %(agency)s (%(case)s, %(state)s): the case is closed.",
                agency=agency,
                case=self.name,
                state=state,
            )

        History._ar_record(
            [
                History._ar_line(
                    self.partner_id,
                    channel,
                    date,
                    company=self.company_id,
                    moves=self.move_ids.ids,
                    note=text,
                )
            ]
        )
        # the chatter has one text: in the company's language
        self.message_post(
            body=Markup("<p>%s</p>") % self.env["ar.customer.account"]._ar_one_language_text(text),
            subtype_xmlid="mail.mt_note",
        )
