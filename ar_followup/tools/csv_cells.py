# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Text put in a CSV file that a spreadsheet opens: a cell typed by anybody (a customer's name
or reference) that starts like a formula is kept as text (OWASP's CSV injection advice)."""

from odoo.tools import float_round

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """``value`` (text, or empty) as a CSV cell that no spreadsheet runs as a formula."""
    text = value or ""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_amount(value):
    """``value`` rounded to the cent with a decimal comma: the files are ``;``-separated
    as Dutch and Belgian spreadsheets read them, and those read ``1210.00`` as 121,000
    or as text (a new user's trial opened an export in Dutch Excel)."""
    return f"{float_round(value or 0.0, 2) + 0.0:.2f}".replace(".", ",")
