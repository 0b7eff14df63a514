from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFollowupPolicies(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        template = cls.env.ref("ar_followup.mail_template_reminder")
        cls.gentle = cls.env["ar.followup.policy"].create(
            {
                "name": "Key accounts",
                "company_id": cls.company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Gentle reminder",
                            "delay": 10,
                            "mail_template_id": template.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Second gentle reminder",
                            "delay": 30,
                            "mail_template_id": template.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Personal call",
                            "delay": 40,
                            "send_email": False,
                            "create_activity": True,
                            "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
                        }
                    ),
                ],
            }
        )
        cls.gentle_levels = {level.delay: level for level in cls.gentle.level_ids}

    def test_every_company_has_a_default_policy_with_the_default_levels(self):
        self.assertTrue(self.policy.is_default)
        self.assertEqual(self.policy.level_ids.mapped("delay"), [-3, 7, 14, 21, 30, 45])
        self.assertEqual(self.levels[30].credit_hold, True)
        self.assertEqual(
            self.levels[21].activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )
        new_company = self.env["res.company"].create({"name": "Later Company"})
        self.assertEqual(new_company.ar_default_policy_id.company_id, new_company)
        self.assertEqual(len(new_company.ar_default_policy_id.level_ids), 6)
        self.assertEqual(new_company.ar_default_policy_id.level_ids.company_id, new_company)

    def test_default_policy_cannot_be_deleted_or_archived(self):
        with self.assertRaises(UserError):
            self.policy.unlink()
        with self.assertRaises(UserError):
            self.policy.active = False
        self.assertTrue(self.policy.exists() and self.policy.active)

    def test_partner_on_second_policy_follows_its_ladder(self):
        partner = self.customer.with_company(self.company)
        partner.ar_followup_policy_id = self.gentle
        invoice = self._invoice(self.customer, 100.0, days(-8))
        standard = self._customer("Standard")
        standard_invoice = self._invoice(standard, 100.0, days(-8))
        self._run(days(0))
        self.assertFalse(invoice.ar_followup_level_id, "the key-account ladder starts at +10")
        self.assertEqual(standard_invoice.ar_followup_level_id, self.levels[7])
        self._run(days(2))
        self.assertEqual(invoice.ar_followup_level_id, self.gentle_levels[10])
        self._run(days(21))
        self.assertEqual(invoice.ar_followup_level_id, self.gentle_levels[10])
        self._run(days(22))
        self.assertEqual(invoice.ar_followup_level_id, self.gentle_levels[30])
        self._run(days(32))
        self.assertEqual(invoice.ar_followup_level_id, self.gentle_levels[40])
        self.assertEqual(
            self._activities(self.customer).activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )
        self.assertFalse(partner.ar_credit_hold, "no hold in the key-account ladder")

    def test_changing_policy_takes_effect_without_resending(self):
        invoice = self._invoice(self.customer, 100.0, days(-15))
        self._run(days(0))
        self._run(days(7))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])
        sent = len(self._mails(self.customer))
        self.assertEqual(sent, 2)
        # to the gentle policy: its +10 level was passed already, its +30 comes next
        self.customer.with_company(self.company).ar_followup_policy_id = self.gentle
        self._run(days(8))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])
        self.assertEqual(len(self._mails(self.customer)), sent, "nothing re-sent")
        # gap: 30 - 14 = 16 days after the last reminder of day 7, due date +30 = day 15
        self.assertEqual(invoice.ar_next_followup_date, days(23))
        self._run(days(22))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[14])
        self._run(days(23))
        self.assertEqual(invoice.ar_followup_level_id, self.gentle_levels[30])
        self.assertEqual(len(self._mails(self.customer)), sent + 1)

    def test_archived_level_is_skipped_and_archived_policy_falls_back(self):
        self.levels[14].active = False
        invoice = self._invoice(self.customer, 100.0, days(-8))
        self._run(days(0))
        self._run(days(14))
        self.assertEqual(invoice.ar_followup_level_id, self.levels[21])
        self.customer.with_company(self.company).ar_followup_policy_id = self.gentle
        self.gentle.active = False
        other = self._invoice(self.customer, 100.0, days(-8))
        self._run(days(15))
        self.assertEqual(other.ar_followup_level_id, self.levels[7], "default policy used")

    def test_an_archived_policy_is_never_used(self):
        """The run, the reminder preview and the contact check agree on the policy: the
        customer's own while active, else the company's default (#17: the preview and the
        contact check used an archived policy)."""
        partner = self.customer.with_company(self.company)
        partner.ar_followup_policy_id = self.gentle
        self.assertEqual(self.env["ar.customer.account"]._ar_policy_of(partner), self.gentle)
        self.gentle.active = False
        self.assertEqual(self.env["ar.customer.account"]._ar_policy_of(partner), self.policy)
        preview = self.env["ar.followup.preview"].create({"partner_id": partner.id})
        self.assertIn(preview.level_id, self.policy.level_ids)
        levels = self.Run.new({"company_id": self.company.id})._ar_policy_levels(partner)
        self.assertEqual(levels[partner.id]._origin, self.policy.level_ids.sorted("delay"))

    def test_used_level_cannot_be_deleted(self):
        self._invoice(self.customer, 100.0, days(-8))
        self._run(days(0))
        with self.assertRaises(UserError):
            self.levels[7].unlink()
        self.assertTrue(self.levels[7].exists())
