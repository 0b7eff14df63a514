# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Where goods leave: a delivery's moves become done (``write`` of their state, which every
validation goes through, or ``create`` in that state). The customers of a delivery are the
transfer's, the move's and, with Sales, its order's (commercial partners): writing the
transfer's partner away, or pointing it at a paid order, changes none of them. The decision
is per transfer (its override, its chatter)."""

from odoo import api, models
from odoo.tools import float_compare

# what, written on a done delivery, changes the goods that left
GOODS_FIELDS = frozenset({"quantity", "product_uom_qty", "product_uom", "product_id"})


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves.filtered(lambda m: m.state == "done")._ar_check_credit()
        return moves

    def write(self, vals):
        becoming_done = (
            self.filtered(lambda m: m.state != "done") if vals.get("state") == "done" else None
        )
        changed = (
            self.filtered(lambda m: m.state == "done")
            if {"partner_id", "sale_line_id", "picking_id"} & set(vals)
            else None
        )
        watched = (becoming_done or self.browse()) | (changed or self.browse())
        before = {m: m._ar_deliveries()._ar_credit_customers() for m in watched}
        done = (
            self.filtered(lambda m: m.state == "done") if GOODS_FIELDS.intersection(vals) else None
        )
        goods = {m: m._ar_goods() for m in done} if done else None
        res = super().write(vals)
        if goods:
            done._ar_check_more_goods(goods)
        if becoming_done:
            # decided as the write leaves them, for their customers before it too (a move of
            # a held customer's delivery done and moved elsewhere in the same write)
            becoming_done.filtered(lambda m: m.state == "done")._ar_check_credit(also=before)
        if changed:
            changed.filtered(
                lambda m: m._ar_deliveries()._ar_credit_customers() != before[m]
            )._ar_check_credit(
                self.env._("Only a credit-control manager can say goods went to that customer."),
                self.env._("Moved to this customer by %(user)s despite:"),
            )
        return res

    def _ar_check_credit(self, refusal=None, override=None, also=None):
        """The credit decision of these moves becoming (or being) a done delivery, per
        transfer: each goes only without a problem, or on a credit-control manager's
        override (logged on the transfer). ``also``: ``{move: customers}`` it went to
        before."""
        also = also or {}
        deliveries = self.filtered(lambda m: m._ar_is_delivery() or also.get(m))
        if not deliveries:
            return
        refusal = refusal or self.env._("Only a credit-control manager can validate this delivery.")
        override = override or self.env._("Validated by %(user)s despite:")
        Override = self.env["ar.credit.override"]
        with_picking = deliveries.filtered("picking_id")
        Override._ar_decide(
            {
                picking: moves._ar_credit_problems(also)
                for picking, moves in with_picking.grouped("picking_id").items()
            },
            refusal,
            override,
        )
        loose = deliveries - with_picking
        Override._ar_decide(
            {move: move._ar_credit_problems(also) for move in loose}, refusal, override
        )

    # -- who and what ----------------------------------------------------------------------

    def _ar_deliveries(self):
        """The moves of ``self`` that take goods to a customer: to a location Odoo counts as
        delivered (a customer's, an inter-company transit), or in a delivery (outgoing) that
        is not a return of goods received from a vendor."""
        return self.filtered(lambda m: m._ar_is_delivery())

    def _ar_is_delivery(self):
        self.ensure_one()
        if self.location_dest_id._is_outgoing() or any(
            line.location_dest_id._is_outgoing() for line in self.move_line_ids
        ):
            # to a customer, or through an inter-company transit (also by a detailed
            # operation of an internal transfer)
            return True
        if (self.picking_type_id or self.picking_id.picking_type_id).code != "outgoing":
            return False
        origin = self.origin_returned_move_id
        return not (origin and origin.location_id.usage == "supplier")

    def _ar_goods(self):
        """``{product id (str): quantity}`` the delivery moves of ``self`` take, in the
        products' units: the larger of the demand and what is done."""
        goods = {}
        for move in self._ar_deliveries():
            key = str(move.product_id.id)
            quantity = max(
                move.product_qty,
                move.product_uom._compute_quantity(
                    move.quantity, move.product_id.uom_id, rounding_method="HALF-UP"
                ),
            )
            goods[key] = goods.get(key, 0.0) + quantity
        return goods

    def _ar_check_more_goods(self, before):
        """Done deliveries whose goods grew (``before``: ``{move: _ar_goods()}``): what they
        take more is decided, as a delivery."""
        grown = self.filtered(
            lambda m: (
                m.state == "done"
                and any(
                    float_compare(quantity, before.get(m, {}).get(key, 0.0), 2) > 0
                    for key, quantity in m._ar_goods().items()
                )
            )
        )
        grown._ar_check_credit(
            self.env._("Only a credit-control manager can send more goods to that customer."),
            self.env._("Raised by %(user)s despite:"),
        )

    def _ar_order(self):
        """The sales order of the move (sale_stock), else an empty recordset or ``None``."""
        return self.sale_line_id.order_id if "sale_line_id" in self._fields else None

    def _ar_credit_customers(self):
        """The customers (commercial partners) these moves take goods to."""
        partners = self.picking_id.partner_id | self.partner_id
        if "sale_line_id" in self._fields:
            orders = self.sale_line_id.order_id
            partners |= orders.partner_id | orders.partner_invoice_id
        return partners.commercial_partner_id

    def _ar_paid_for(self, customer):
        """Whether the move's goods were paid in advance by ``customer``: its order's own
        prepayment share (ar_followup_sale), the order being ``customer``'s."""
        self.ensure_one()
        order = self._ar_order()
        return bool(
            order
            and order.partner_id.commercial_partner_id == customer
            and hasattr(order, "_ar_paid_in_advance")
            and order.sudo()._ar_paid_in_advance()
        )

    def _ar_credit_problems(self, also=None):
        """Why the goods of these moves (of one transfer) may not leave: the credit hold of a
        customer they go to (``also``: ``{move: customers}`` they went to before), but for
        goods it paid in advance, and, company option, an exposure above its blocking
        limit."""
        Decision = self.env["ar.customer.account"]
        also = also or {}
        problems = []
        concerned_moves = self.filtered(lambda m: m._ar_is_delivery() or also.get(m))
        for company, moves in concerned_moves.grouped("company_id").items():
            customers = self.env["res.partner"]
            for move in moves:
                concerned = also.get(move, self.env["res.partner"])
                if move._ar_is_delivery():
                    concerned |= move._ar_credit_customers()
                for customer in concerned:
                    if Decision._ar_credit_may_stop(customer, company) and not move._ar_paid_for(
                        customer
                    ):
                        customers |= customer
            for customer in customers.with_company(company).sudo():
                problems.append(Decision._ar_credit_hold_problem(customer, company))
                if company.ar_block_delivery_over_limit:
                    customer.invalidate_recordset(["credit", "credit_to_invoice"])
                    excess = Decision._ar_credit_excess_figures(customer, company)
                    if excess:
                        problems.append(
                            self.env._(
                                "The exposure of %(partner)s is %(exposure)s, above its credit "
                                "limit of %(limit)s by %(excess)s.",
                                **excess,
                            )
                        )
        return [problem for problem in problems if problem]

    # -- the protocol of ar.credit.override (moves without a transfer) ----------------------

    def _ar_credit_document_problems(self):
        return {move: move._ar_credit_problems() for move in self}

    def _ar_credit_document_customer(self):
        return self._ar_credit_customers()[:1]

    def _ar_credit_document_snapshot(self):
        return self._ar_goods()

    def _ar_credit_document_action(self):
        return None  # no button: the override is given, then the move is done
