# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def post_init_hook(env):
    """The open customer invoices of an existing ledger get their portal access token, which
    the reminders link to (new invoices get it when posted)."""
    env["account.move"]._ar_set_missing_portal_tokens()
