"""The run's steps are named (issue #30): a batch goes through the steps
``_ar_run_steps()`` lists, each a method ``_ar_step_<name>(batch)`` that returns the values of
its history lines; a bridge overrides a step by its name or adds one to the list. No step
hides inside another: the hand-off is not part of the activities, the letters not part of
the e-mails."""

from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.ar_followup.models.ar_followup_run import ArFollowupRun

from .common import ArFollowupCase, days

STEPS = [
    "plan",
    "charge",
    "hold",
    "prepayment",
    "reminder",
    "mail",
    "letter",
    "activity",
    "handoff",
]


@tagged("post_install", "-at_install")
class TestRunSteps(ArFollowupCase):
    def test_the_steps_are_named_in_order_and_each_is_a_method(self):
        self.assertEqual(self.Run._ar_run_steps(), STEPS)
        for step in STEPS:
            self.assertTrue(callable(getattr(self.Run, f"_ar_step_{step}", None)), step)

    def test_a_step_added_by_name_runs_once_per_batch_and_its_lines_are_recorded(self):
        """A bridge's own step: it sees the batch after the steps before it (the actions of
        *plan*, the e-mails of *mail*), and the history lines it returns are recorded with
        the others."""
        self._set_batch_size(1)
        first = self._invoice(self.customer, 250.0, days(-10))
        other = self._customer("Customer Two")
        self._invoice(other, 80.0, days(-10))
        seen = []

        def extra(run, batch):
            partner = batch.partners
            seen.append((partner.id, batch.actions[partner.id].email, batch.counts.email))
            return [run._ar_history(partner.id, "skip", None, [], note="extra step")]

        steps = [*STEPS, "extra"]
        with (
            patch.object(ArFollowupRun, "_ar_run_steps", lambda run: steps),
            patch.object(ArFollowupRun, "_ar_step_extra", extra, create=True),
        ):
            run = self._run(days(0))
        self.assertEqual(
            sorted(pid for pid, _level, _count in seen), sorted([self.customer.id, other.id])
        )
        self.assertTrue(all(level == self.levels[7] for _pid, level, _count in seen))
        self.assertTrue(all(count == 1 for _pid, _level, count in seen), "after the mail step")
        self.assertEqual(run.email_count, 2)
        self.assertEqual(run.skip_count, 2, "the extra step's lines are counted as skips")
        extra_lines = self._history(self.customer, "skip")
        self.assertEqual(extra_lines.mapped("note"), ["extra step"])
        self.assertEqual(first.ar_followup_level_id, self.levels[7])

    def test_a_step_left_out_does_only_its_own_part(self):
        """Without the *mail* step the letter still goes where the level always sends one,
        and the call of a call level is still scheduled: the steps do not lean on each
        other's side effects."""
        self.levels[7].send_letter = "always"
        self._invoice(self.customer, 250.0, days(-10))
        without_mail = [step for step in STEPS if step != "mail"]
        with patch.object(ArFollowupRun, "_ar_run_steps", lambda run: without_mail):
            run = self._run(days(0))
        self.assertEqual((run.email_count, run.letter_count), (0, 1))
        self.assertFalse(self._mails(self.customer))
        self.assertEqual(len(self._history(self.customer, "letter")), 1)
        self.assertFalse(self._history(self.customer, "email"))
