"""The level rule (tools/ladder.py), table by table: no database, no accounting set-up."""

from datetime import date

from odoo.tests import BaseCase, tagged

from odoo.addons.ar_followup.tools.ladder import next_step, reach_date, reached_delay

# the default ladder's delays (courtesy, friendly, second, call, final notice, agency)
LADDER = [(d, f"L{d}") for d in (-3, 7, 14, 21, 30, 45)]


@tagged("post_install", "-at_install")
class TestLadder(BaseCase):
    def test_next_step(self):
        # (current delay, overdue, days from invoice date to due date) -> next level
        table = [
            (None, False, 30, "L-3"),  # not yet due, issued long before: the courtesy level
            (None, False, 3, "L7"),  # issued 3 days before due: no "due soon" right after it
            (None, False, 2, "L7"),
            (None, False, None, "L-3"),  # invoice date unknown
            (None, True, 30, "L7"),  # overdue: courtesy levels never apply
            (-3, False, 30, "L7"),
            (-3, True, 30, "L7"),
            (7, True, 30, "L14"),  # one level after the other, never skipped
            (21, True, 30, "L30"),
            (30, True, 30, "L45"),
            (45, True, 30, None),  # the last level: nothing follows
            (10, True, 30, "L14"),  # a level of another policy: the next larger delay
            (100, True, 30, None),
        ]
        for current, overdue, late_issue, expected in table:
            with self.subTest(current=current, overdue=overdue, late_issue=late_issue):
                delay, level = next_step(LADDER, current, overdue, late_issue)
                self.assertEqual(level, expected)
                if expected:
                    self.assertEqual(delay, int(expected[1:]))
        self.assertEqual(next_step([], None, True), (None, None))

    def test_reach_date(self):
        due = date(2026, 3, 2)
        # (delay, current delay, last reminder) -> first date the level applies
        table = [
            (7, None, None, date(2026, 3, 9)),  # 7 days after the due date
            (-3, None, None, date(2026, 2, 27)),
            # the friendly reminder went out late (on 20 March): the second reminder keeps
            # its gap of 14 - 7 = 7 days after it, not 14 days after the due date
            (14, 7, date(2026, 3, 20), date(2026, 3, 27)),
            # on time: the delay after the due date decides
            (14, 7, date(2026, 3, 9), date(2026, 3, 16)),
            (14, 7, None, date(2026, 3, 16)),  # no reminder date known
            (7, -3, date(2026, 2, 27), date(2026, 3, 9)),
            (7, -3, date(2026, 3, 8), date(2026, 3, 18)),  # a late courtesy: 10 days gap
        ]
        for delay, current, last, expected in table:
            with self.subTest(delay=delay, current=current, last=last):
                self.assertEqual(reach_date(due, delay, current, last), expected)

    def test_reached_delay(self):
        due = date(2026, 3, 2)
        table = [
            (date(2026, 3, 1), None),  # not overdue
            (date(2026, 3, 2), None),  # the due date itself
            (date(2026, 3, 9), 7),
            (date(2026, 3, 22), 14),
            (date(2026, 3, 23), 21),
            (date(2026, 6, 1), 45),
        ]
        for day, expected in table:
            with self.subTest(day=day):
                self.assertEqual(reached_delay(LADDER, due, day), expected)
