# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The insight of collection cases, per agency and period (the pivot *Collection Insight*):
what was handed over, collected and written off, the recovery rate and the days to
recovery."""

from odoo import api, fields, models


class ArCollectionCase(models.Model):
    _inherit = "ar.collection.case"  # pylint: disable=consider-merging-classes-inherited

    recovery_rate = fields.Float(
        string="Recovery rate (%)",
        compute="_compute_recovery",
        store=True,
        aggregator="avg",
        help="Principal collected by the agency, in percent of the principal handed over (in "
        "a group: of the group's principal).",
    )
    days_to_recovery = fields.Integer(
        compute="_compute_recovery",
        store=True,
        aggregator="avg",
        help="Days from the hand-over to the close of a case paid or partly paid.",
    )

    @api.depends("amount_collected", "amount_principal", "state", "date_closed")
    def _compute_recovery(self):
        for case in self:
            case.recovery_rate = (
                round(case.amount_collected / case.amount_principal * 100, 2)
                if case.amount_principal
                else 0.0
            )
            recovered = case.state in ("paid", "partly_paid") and case.date_closed
            case.days_to_recovery = (
                (case.date_closed - case.date_handover).days
                if recovered and case.date_handover
                else 0
            )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """A group's recovery rate is its principal collected over its principal handed
        over (not the average of its cases' rates): the two sums come with the same grouped
        query, not a search per group."""
        names = {f.split(":")[0] for f in fields}
        if "recovery_rate" not in names:
            return super().read_group(
                domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
            )
        extra = [
            f"{name}:sum" for name in ("amount_principal", "amount_collected") if name not in names
        ]
        groups = super().read_group(
            domain,
            [*fields, *extra],
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        for group in groups:
            principal = group.get("amount_principal") or 0.0
            group["recovery_rate"] = (
                round((group.get("amount_collected") or 0.0) / principal * 100, 2)
                if principal
                else 0.0
            )
            for name in extra:
                group.pop(name.split(":")[0], None)
        return groups
