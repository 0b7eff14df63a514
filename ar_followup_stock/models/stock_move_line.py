# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The detailed operations of a done delivery: a quantity raised, a line added or moved into
it afterwards takes more goods to the customer, decided as the delivery was."""

from odoo import api, models

# what, written on a line of a done move, changes the goods it took
LINE_GOODS_FIELDS = frozenset({"quantity", "product_uom_id", "product_id", "move_id", "picked"})


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        moves = (
            self.env["stock.move"]
            .browse({vals["move_id"] for vals in vals_list if vals.get("move_id")})
            .filtered(lambda m: m.state == "done")
        )
        goods = {m: m._ar_goods() for m in moves}
        lines = super().create(vals_list)
        if goods:
            moves._ar_check_more_goods(goods)
        return lines

    def write(self, vals):
        if not LINE_GOODS_FIELDS.intersection(vals):
            return super().write(vals)
        moves = self.move_id.filtered(lambda m: m.state == "done")
        if vals.get("move_id"):
            moves |= (
                self.env["stock.move"].browse(vals["move_id"]).filtered(lambda m: m.state == "done")
            )
        goods = {m: m._ar_goods() for m in moves}
        res = super().write(vals)
        if goods:
            moves._ar_check_more_goods(goods)
        return res
