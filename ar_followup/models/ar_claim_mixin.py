# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a dispute, a payment plan and a collection case share (issue #30): each is a claim
about some of one customer's invoices, with a reference of its own. The invoice's side of
them (its Many2many, flag, count and smart button) is in ``account_move.py``."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class ArClaimMixin(models.AbstractModel):
    _name = "ar.claim.mixin"
    _description = "Claim about a customer's invoices"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", default="/", readonly=True, copy=False, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        help="The customer (the company, not one of its contacts) whose invoices these are.",
    )
    # each model names its own table (relation, column1, column2), as it always did
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', partner_id)]",
    )

    # written by the claim's own buttons and the system only (as the superuser, after their
    # checks), never directly, also not over RPC: each model names its fields; ``name`` and
    # the customer are fixed once the claim exists (its messages and followers are the
    # customer's)
    _ar_system_fields = frozenset()
    _ar_initial_state = "draft"
    # the states in which its invoices may still change (``None``: always); after them the
    # claim's documents, amounts and e-mails are of the invoices it had
    _ar_invoice_states = None

    def _ar_check_claim_vals(self, vals):
        """Refuse, for anyone but the superuser, a direct write of what the claim's buttons
        set (its state, dates, outcome), another reference, or another customer."""
        if self.env.su:
            return
        system = self._ar_system_fields & set(vals)
        if not self and system == {"state"} and vals["state"] == self._ar_initial_state:
            system = set()  # a new claim starts in its first state
        if system or (self and "name" in vals):
            raise UserError(
                self.env._(
                    "%(what)s: the reference, the state and the outcome are set by its buttons, "
                    "not written directly.",
                    what=self._description,
                )
            )
        if (
            self
            and "move_ids" in vals
            and self._ar_invoice_states is not None
            and any(claim.state not in self._ar_invoice_states for claim in self)
        ):
            raise UserError(
                self.env._(
                    "%(what)s: its invoices can no longer be changed; make a new one for the "
                    "others.",
                    what=self._description,
                )
            )
        if self and "partner_id" in vals:
            partner = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
            if any(claim.partner_id != partner for claim in self):
                raise UserError(
                    self.env._(
                        "%(what)s: the customer cannot be changed; make a new one for the "
                        "other customer.",
                        what=self._description,
                    )
                )

    def write(self, vals):
        self.check_access("write")  # who may not write at all is told so first
        self._ar_check_claim_vals(vals)
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals = {**vals, "partner_id": partner.commercial_partner_id.id}
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        """The reference from the sequence of the model's name (``ir.sequence`` code), in
        the claim's company; the customer is always the commercial partner."""
        self.check_access("create")
        for vals in vals_list:
            if not self.env.su:
                vals.pop("name", None)  # the sequence's, never one a client sends
            self._ar_check_claim_vals(vals)
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("name", "/") == "/":
                sequence = self.env["ir.sequence"].with_company(company)
                vals["name"] = sequence.next_by_code(self._name) or "/"
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)
