# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Where a customer acted (signed a mandate, asked for a new debit), in words."""


def channel_words(env, channel):
    """``channel`` (``portal`` or ``statement link``) in the language of ``env``: the
    chatter and the activities read in the credit manager's language, not in the
    language of the customer's page (a new user's trial read English words in Dutch
    sentences)."""
    return env._("portal") if channel == "portal" else env._("statement link")


def company_env(env, company):
    """``env`` in ``company``'s language (``res.company._ar_lang``, as the run writes): what
    the direct debit writes in the chatter is read by the company's users, not in the
    language of the customer's page."""
    return env(context=dict(env.context, lang=company._ar_lang()))
