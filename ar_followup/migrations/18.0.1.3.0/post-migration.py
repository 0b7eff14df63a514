# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.3.0: the commercial interest rates are derived from one ECB reference-rate table.

By the time this runs, the data file has created the ECB rates shipped since 2024-01-01, and
each of them has adopted the rows of the Dutch and Belgian commercial interest of its date
(the ones shipped before and any entered by hand): they are now derived, read-only rows.

The rows of these kinds left over were entered by hand for other half-years:

* a Dutch handelsrente on 1 January or 1 July gives the ECB rate exactly (the handelsrente
  less 8 points): that ECB rate is entered, and derives both commercial rates of the date
  (a Belgian rate entered for the same date is adopted, and a warning logged if it differs);
* a Belgian rate alone does not say which ECB rate it came from (it was rounded up), and a
  rate on another day than a half-year's first is not a statutory rate: these are deleted,
  each with a warning in the log. Interest for their period is then missing (the follow-up
  says so and asks the credit-control manager for the ECB rate) instead of guessed.
"""

import logging

from openupgradelib import openupgrade

from odoo.exceptions import ValidationError

from odoo.addons.ar_followup.models.ar_interest_rate import DERIVED_KINDS, ECB

_logger = logging.getLogger(__name__)


@openupgrade.migrate()
def migrate(env, version):
    Rate = env["ar.interest.rate"].with_context(active_test=False, tracking_disable=True)
    loose = Rate.search(
        [("kind", "in", DERIVED_KINDS), ("base_rate_id", "=", False)], order="date_from, id"
    )
    for row in loose.filtered(lambda r: r.kind == "nl_commercial"):
        if row.base_rate_id or row.date_from.day != 1 or row.date_from.month not in (1, 7):
            continue
        source = (
            f"ECB rate derived from the NL commercial interest of {row.rate}% entered before "
            "version 18.0.1.3.0" + (f" ({row.source})" if row.source else "")
        )
        try:
            with env.cr.savepoint():
                Rate.create(
                    {
                        "kind": ECB,
                        "date_from": row.date_from,
                        "rate": row.rate - 8.0,
                        "source": source,
                    }
                )
            _logger.info(
                "ECB reference rate %s%% from %s derived from the handelsrente %s%%",
                row.rate - 8.0,
                row.date_from,
                row.rate,
            )
        except ValidationError as error:
            _logger.warning("%s from %s: no ECB rate derived (%s)", row.kind, row.date_from, error)
    leftover = loose.exists().filtered(lambda r: not r.base_rate_id)
    for row in leftover:
        _logger.warning(
            "%s of %s%% from %s (%s) deleted: commercial interest is derived from the ECB "
            "reference rate, which cannot be told from it; enter the ECB rate of that "
            "half-year",
            row.kind,
            row.rate,
            row.date_from,
            row.source or "no source",
        )
    leftover.with_context(ar_derive=True).unlink()
