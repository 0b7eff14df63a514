from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestFollowupConstraints(ArFollowupCase):
    def _level_count(self):
        return self.env["ar.followup.level"].with_context(active_test=False).search_count([])

    def test_two_levels_with_the_same_delay(self):
        before = self._level_count()
        with self.assertRaises(ValidationError) as error:
            self.env["ar.followup.level"].create(
                {
                    "policy_id": self.policy.id,
                    "name": "Duplicate",
                    "delay": 7,
                    "send_email": False,
                }
            )
        self.assertIn("already has a level at 7 days", str(error.exception))
        self.assertEqual(self._level_count(), before)
        with self.assertRaises(ValidationError):
            self.levels[14].delay = 7
        self.assertEqual(self.levels[14].delay, 14)
        # an archived level still holds its delay
        self.levels[45].active = False
        with self.assertRaises(ValidationError):
            self.levels[21].delay = 45

    def test_same_delay_in_another_policy_is_fine(self):
        other = self.env["ar.followup.policy"].create(
            {
                "name": "Other",
                "level_ids": [Command.create({"name": "L", "delay": 7, "send_email": False})],
            }
        )
        self.assertEqual(other.level_ids.delay, 7)

    def test_negative_minimum_amount(self):
        before = self._level_count()
        with self.assertRaises(ValidationError) as error:
            self.env["ar.followup.level"].create(
                {
                    "policy_id": self.policy.id,
                    "name": "Negative",
                    "delay": 60,
                    "send_email": False,
                    "min_overdue_amount": -1.0,
                }
            )
        self.assertIn("cannot be negative", str(error.exception))
        self.assertEqual(self._level_count(), before)
        with self.assertRaises(ValidationError):
            self.levels[7].min_overdue_amount = -0.01
        self.assertEqual(self.levels[7].min_overdue_amount, 0.0)

    def test_activity_level_without_activity_type(self):
        before = self._level_count()
        with self.assertRaises(ValidationError) as error:
            self.env["ar.followup.level"].create(
                {
                    "policy_id": self.policy.id,
                    "name": "Call",
                    "delay": 60,
                    "send_email": False,
                    "create_activity": True,
                }
            )
        self.assertIn("choose its activity type", str(error.exception))
        self.assertEqual(self._level_count(), before)

    def test_email_level_without_template(self):
        with self.assertRaises(ValidationError) as error:
            self.env["ar.followup.level"].create(
                {
                    "policy_id": self.policy.id,
                    "name": "Mail",
                    "delay": 60,
                    "send_email": True,
                }
            )
        self.assertIn("choose its e-mail template", str(error.exception))

    def test_negative_activity_deadline(self):
        with self.assertRaises(ValidationError):
            self.levels[21].activity_deadline_days = -1
        self.assertEqual(self.levels[21].activity_deadline_days, 2)

    def test_errors_are_translated(self):
        with self.assertRaises(ValidationError) as error:
            self.env["ar.followup.level"].with_context(lang="nl_NL").create(
                {
                    "policy_id": self.policy.id,
                    "name": "Negatief",
                    "delay": 60,
                    "send_email": False,
                    "min_overdue_amount": -1.0,
                }
            )
        self.assertIn("kan niet negatief zijn", str(error.exception))
