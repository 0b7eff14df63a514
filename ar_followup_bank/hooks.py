# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def post_init_hook(env):
    """The companies that have a chart of accounts get the structured reference rule (the
    companies made later get it with their chart)."""
    env["account.reconcile.model"]._ar_reference_rules_for(
        env["res.company"].search([("chart_template", "!=", False)])
    )
