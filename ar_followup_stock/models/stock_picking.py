# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credit decision at the delivery: goods leave for a customer on credit hold (and,
company option, for one above its credit limit under the Block policy) only on a
credit-control manager's override, logged on the transfer. It is decided where a delivery
becomes done (``stock_move.py``), whatever got it there; the button asks the manager for the
override's reason first, and refuses anybody else at once. A done delivery moved to another
customer is decided again for that customer. Receipts, internal transfers, returns to a
vendor and the customers' returns are no deliveries; the goods of an order the customer paid
in advance (its own prepayment share) go."""

from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    ar_partner_credit_hold = fields.Boolean(
        string="Customer on credit hold",
        compute="_compute_ar_partner_credit_hold",
        help="A delivery to a customer on credit hold in the transfer's company: only a "
        "credit-control manager can validate it.",
    )
    ar_partner_credit_hold_reason = fields.Char(
        string="Credit hold reason", compute="_compute_ar_partner_credit_hold"
    )

    @api.depends("partner_id", "company_id", "picking_type_code", "move_ids.location_dest_id")
    def _compute_ar_partner_credit_hold(self):
        for picking in self:
            held = (
                picking.move_ids._ar_deliveries()
                ._ar_credit_customers()
                .with_company(picking.company_id)
                .sudo()
                .filtered("ar_credit_hold")
            )
            picking.ar_partner_credit_hold = bool(held)
            picking.ar_partner_credit_hold_reason = "; ".join(
                filter(None, held.ar_account_id.mapped("credit_hold_reason"))
            )

    def button_validate(self):
        """The button: a credit-control manager is asked for the override and its reason
        first; anybody else is refused at once (the decision itself is the delivery's)."""
        action = self.env["ar.credit.override"]._ar_button(
            self.filtered(lambda p: p.state not in ("done", "cancel")),
            self.env._("Only a credit-control manager can validate this delivery."),
        )
        return action or super().button_validate()

    def action_ar_credit_override(self):
        """*Credit override* (a credit-control manager): the override of the delivery, with
        its reason, without validating it yet."""
        return self.env["ar.credit.override.wizard"]._ar_action(self, proceed=False)

    def write(self, vals):
        if vals.get("state") == "done":
            # the state written as a value (the moves stay as they are): decided as a delivery
            self.filtered(lambda p: p.state != "done").move_ids.filtered(
                lambda m: m.state not in ("done", "cancel")
            )._ar_check_credit()
        if "partner_id" not in vals:
            return super().write(vals)
        open_ = self.filtered(lambda p: p.state not in ("done", "cancel"))
        done = self.filtered(lambda p: p.state == "done")
        before = {p: p.move_ids._ar_deliveries()._ar_credit_customers() for p in open_ | done}
        res = super().write(vals)
        after = {p: p.move_ids._ar_deliveries()._ar_credit_customers() for p in open_ | done}
        # a delivery taken away from a customer on hold: the goods would leave unchecked
        Account = self.env["ar.customer.account"]
        self.env["ar.credit.override"]._ar_decide(
            {
                picking: [
                    Account._ar_credit_hold_problem(customer, picking.company_id)
                    for customer in before[picking] - after[picking]
                    if customer.with_company(picking.company_id).sudo().ar_credit_hold
                ]
                for picking in open_
            },
            self.env._(
                "Only a credit-control manager can take a delivery away from a customer on "
                "credit hold."
            ),
            self.env._("Taken away from the customer by %(user)s despite:"),
        )
        # a delivery that left, now said to be another customer's: its decision
        done.filtered(lambda p: after[p] != before[p]).move_ids.filtered(
            lambda m: m.state == "done"
        )._ar_check_credit(
            self.env._("Only a credit-control manager can say goods went to that customer."),
            self.env._("Moved to this customer by %(user)s despite:"),
        )
        return res

    # -- the protocol of ar.credit.override ------------------------------------------------

    def _ar_credit_document_problems(self):
        return {
            picking: picking.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel")
            )._ar_credit_problems()
            for picking in self
        }

    def _ar_credit_document_customer(self):
        return self.move_ids._ar_deliveries()._ar_credit_customers()[:1]

    def _ar_credit_document_snapshot(self):
        return self.move_ids.filtered(lambda m: m.state != "cancel")._ar_goods()

    def _ar_credit_document_action(self):
        return "button_validate"
