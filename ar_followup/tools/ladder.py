# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up ladder as plain Python: which level comes next for an invoice, and from when.

A ladder is a list of ``(delay, level)`` pairs ordered by delay: the days after the due date
from which a level applies (negative: a courtesy level before the due date). The run's loop
over every open invoice, the reminder preview and the contact check all ask it "which level
next"; it needs no database, and its tests none either (tests/test_ladder.py).
"""

from datetime import timedelta


def next_step(ladder, current_delay, overdue, late_issue=None):
    """``(delay, level)`` of the level after the one of ``current_delay`` (``None``: no level
    yet), or ``(None, None)``.

    :param overdue: whether the invoice is past its due date: courtesy levels (negative
        delay) only apply before it
    :param late_issue: days from the invoice date to the due date: a courtesy level is passed
        over for an invoice issued after that level would have applied (it was just sent; a
        "due soon" message would follow it at once)
    """
    for delay, level in ladder:
        if current_delay is not None and delay <= current_delay:
            continue
        if delay < 0 and (overdue or (late_issue is not None and late_issue <= -delay)):
            continue
        return delay, level
    return None, None


def reach_date(due, delay, current_delay, last_date):
    """First date at which the level of ``delay`` applies to an invoice due on ``due``: its
    delay after the due date, and at least the difference of the two delays after the
    previous reminder (``last_date``, at the level of ``current_delay``): the minimum gap."""
    reach = due + timedelta(days=delay)
    if current_delay is not None and last_date:
        reach = max(reach, last_date + timedelta(days=delay - current_delay))
    return reach


def reached_delay(ladder, due, date):
    """The largest delay of ``ladder`` that an invoice due on ``due`` has reached by ``date``
    by its days overdue alone (``None``: none), for an estimate that does not follow the
    runs, e.g. whether a customer's oldest overdue invoice has come to a call level."""
    overdue_days = (date - due).days
    reached = [delay for delay, _level in ladder if 0 <= delay <= overdue_days]
    return max(reached) if reached else None


def email_level(plans):
    """The highest level with a reminder e-mail that the invoices of one customer
    (``plans``, its :class:`InvoicePlan` of the run) reached today, or ``None``: the level
    of the customer's reminder, unless :func:`held_back` holds it back."""
    levels = [
        p.new_level
        for p in plans
        if p.new_level and p.new_level.send_email and p.new_level.mail_template_id
    ]
    return max(levels, key=lambda level: level.delay, default=None)


def held_back(level, plans):
    """Whether the customer's tone holds back today's reminder at ``level`` (the highest
    e-mail level its invoices reached, ``plans`` its :class:`InvoicePlan` of the run): the
    tone never goes down, a final notice is not repeated, and a reminder of the level the
    customer already had is not sent again when the invoices that reached it today were all
    listed in that one (they were named there, at the customer's level, before reaching it
    themselves); a new invoice at that level is worth a reminder of it. A 14-day letter
    is sent for each invoice that reaches it: each gives the invoices it names their own
    term before collection costs."""
    tone = plans[0].tone if plans else None
    if level is None or tone is None or level.delay > tone:
        return False
    if level.delay < tone or level.is_final_notice:
        return True
    return not level.is_fourteen_day_letter and all(
        p.toned for p in plans if p.new_level and p.new_level.delay == level.delay
    )
