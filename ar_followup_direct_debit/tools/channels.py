# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Where a customer acted (signed a mandate, asked for a new debit), in words."""


def channel_words(env, channel):
    """``channel`` (``portal`` or ``statement link``) in the language of ``env``: the
    chatter and the activities read in the credit manager's language, not in the
    language of the customer's page (a new user's trial read English words in Dutch
    sentences)."""
    return env._("portal") if channel == "portal" else env._("statement link")
