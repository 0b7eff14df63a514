# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The reasons a bank gives for returning a SEPA direct debit (ISO 20022 codes, as OCA's
``payment.return.reason`` has them), in plain words for the customer, in its language."""

# the reasons that put the mandate itself in doubt: the credit-control manager looks at it
MANDATE_REASONS = {"MD01", "MS02", "MD06", "MD07", "AC04"}


def reason_words(env, code):
    """The reason of ``code`` as the customer reads it (``None`` for a code we do not know:
    OCA's name of the reason is shown instead)."""
    words = {
        "AM04": env._("insufficient funds"),
        "MS02": env._("refused by the account holder"),
        "MS03": env._("no reason given by the bank"),
        "MD01": env._("no valid mandate"),
        "MD06": env._("refund requested by the account holder"),
        "MD07": env._("the account holder has died"),
        "AC01": env._("incorrect account number"),
        "AC04": env._("account closed"),
        "AC06": env._("account blocked"),
        "AG01": env._("direct debits are not allowed on this account"),
        "AG02": env._("invalid payment code"),
        "BE05": env._("creditor not recognised"),
        "RR04": env._("regulatory reason"),
        "SL01": env._("a service of the account holder's bank"),
        "FF01": env._("invalid file format"),
    }
    return words.get(code)
