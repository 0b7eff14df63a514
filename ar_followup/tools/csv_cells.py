# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Text put in a CSV file that a spreadsheet opens: a cell typed by anybody (a customer's name
or reference) that starts like a formula is kept as text (OWASP's CSV injection advice)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """``value`` (text, or empty) as a CSV cell that no spreadsheet runs as a formula."""
    text = value or ""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
