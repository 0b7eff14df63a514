# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Actions that say what they do (#33, point 7, and the Customers menu of point 11): a new
user previewed a Final notice for a customer at Second reminder without being told it was two
steps ahead, ran the follow-up twice without a confirmation (leaving an empty run behind),
read "No customer owes you anything" under a filter, and searched a flat menu of 15 items."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestClearActions(ArFollowupCase):
    def test_preview_says_how_far_ahead(self):
        invoice = self._invoice(self.customer, 500.0, date(2026, 9, 1))
        self._set_followup_state(invoice, self.levels[14], date(2026, 9, 15))
        self.env["ar.followup.move.state"]._ar_refresh_partners(self.company, self.customer)
        self.assertEqual(self.customer.ar_followup_level_id, self.levels[14])
        action = self._account(self.customer).action_ar_preview_reminder()
        wizard = self.env["ar.followup.preview"].browse(action["res_id"])
        # the next e-mail skips the call (which sends none): the Final notice, two steps ahead
        self.assertEqual(wizard.level_id, self.levels[30])
        self.assertIn("2 steps ahead", wizard.level_note)
        self.assertIn(self.levels[14].name, wizard.level_note)
        self.assertIn(self.levels[21].name, wizard.level_note)
        self.assertIn("sends no e-mail", wizard.level_note)
        # the customer's next step itself, chosen by hand: said as such
        wizard.level_id = self.levels[30]
        wizard.level_id = self.levels[7]
        self.assertIn("already passed", wizard.level_note)
        wizard.level_id = self.levels[14]
        self.assertIn("current level", wizard.level_note)

    def test_preview_of_a_courtesy_level_for_an_overdue_customer(self):
        """No level yet and an invoice overdue: the courtesy level is said to be skipped, not
        'passed (it is at False)' (a new user's trial)."""
        self._invoice(self.customer, 500.0, date(2026, 9, 1))
        with freeze_time(date(2026, 9, 20)):
            wizard = self.env["ar.followup.preview"].create(
                {"partner_id": self.customer.id, "level_id": self.levels[-3].id}
            )
            wizard.level_note  # noqa: B018 - computed on the pinned day
        self.assertIn("sent only while nothing is overdue", wizard.level_note)
        self.assertNotIn("False", wizard.level_note)

    def test_preview_of_the_next_step(self):
        invoice = self._invoice(self.customer, 500.0, date(2026, 9, 1))
        self._set_followup_state(invoice, self.levels[7], date(2026, 9, 8))
        self.env["ar.followup.move.state"]._ar_refresh_partners(self.company, self.customer)
        action = self._account(self.customer).action_ar_preview_reminder()
        wizard = self.env["ar.followup.preview"].browse(action["res_id"])
        self.assertEqual(wizard.level_id, self.levels[14])
        self.assertEqual(wizard.level_note, f"{self.levels[14].name}: the customer's next step.")

    def test_run_now_asks_first_and_leaves_no_empty_run(self):
        # the menu opens what the run would do, with the button that runs it after a question
        menu_action = self.env.ref("ar_followup.menu_ar_followup_dry_run").action
        self.assertEqual(menu_action, self.env.ref("ar_followup.action_ar_followup_dry_run"))
        bound = self.env.ref("ar_followup.action_ar_followup_process_now")
        self.assertNotIn("action_process_now", bound.code)
        arch = self.env.ref("ar_followup.ar_followup_dry_run_view_form").arch
        self.assertIn('name="action_run"', arch)
        self.assertIn("confirm=", arch)

        # the run by hand is today's (the server's day): an invoice 25 days overdue today
        self._invoice(self.customer, 300.0, date.today() - timedelta(days=25))
        Run = self.env["ar.followup.run"]
        before = Run.search_count([])
        wizard = self.env["ar.followup.dry.run"].browse(
            self.env["ar.followup.dry.run"].action_open()["res_id"]
        )
        self.assertTrue(wizard.line_ids, "the dry run shows the reminder it would send")
        self.assertEqual(Run.search_count([]), before, "the dry run keeps no run")
        first = wizard.action_run()
        self.assertEqual(first["res_model"], "ar.followup.run")
        self.assertEqual(Run.search_count([]), before + 1)
        # again, the same day: nothing to do, said so, and no empty run kept
        second = Run.action_process_now()
        self.assertEqual(second["tag"], "display_notification")
        self.assertIn("already ran", second["params"]["message"])
        self.assertEqual(Run.search_count([]), before + 1)
        again = self.env["ar.followup.dry.run"].browse(
            self.env["ar.followup.dry.run"].action_open()["res_id"]
        )
        self.assertFalse(again.line_ids)

    def test_empty_list_does_not_claim_nobody_owes(self):
        self._invoice(self.customer, 300.0, date(2026, 9, 1))
        action = self.env.ref("ar_followup.action_ar_followup_partners")
        self.assertNotIn("owes you anything", action.help)
        self.assertIn("filters", action.help)

    def test_customers_menu_in_sections(self):
        """Our entries of the Customers menu sit in five sections, not in a flat list."""
        customers = self.env.ref("account.menu_finance_receivables")
        ours = (
            self.env["ir.ui.menu"]
            .search([("parent_id", "=", customers.id)])
            .filtered(lambda m: m.get_external_id()[m.id].startswith("ar_followup"))
        )
        self.assertEqual(
            ours.mapped("name"),
            ["Follow-up", "Credit", "Disputes and Plans", "Collection", "Reports"],
        )
        for section in ours:
            self.assertTrue(section.child_id, section.name)
        # no plain entry of another module (OCA's direct debit menus) between two sections,
        # where it would read as one of theirs (a new user's trial)
        # nor after them (Odoo's Products and Customers read as part of Reports)
        entries = self.env["ir.ui.menu"].search([("parent_id", "=", customers.id)])
        first = entries.ids.index(ours[0].id)
        self.assertFalse((entries[first:] - ours).mapped("name"))
        leaves = self.env["ir.ui.menu"].search([("id", "child_of", customers.id)])
        self.assertIn(self.env.ref("ar_followup.menu_ar_worklist"), leaves)
        self.assertIn(self.env.ref("ar_followup.menu_ar_credit_holds"), leaves)

    def test_looks_and_words(self):
        """#33, point 11: the days of levels are not summed per policy; level names and
        invoice numbers get room in the history; a reason typed with a full stop does not
        end in two."""
        Level = self.env["ar.followup.level"]
        groups = Level.web_read_group(
            [("policy_id", "=", self.policy.id)], ["delay"], ["policy_id"]
        )["groups"]
        self.assertNotIn("delay", groups[0], "a sum of days means nothing")
        arch = self.env["ar.followup.history"].get_view(view_type="list")["arch"]
        self.assertIn('name="level_id" width=', arch)
        self.assertIn('name="move_ids" widget="many2many_tags" width=', arch)
        self.env["ar.customer.account"]._ar_of(
            self.customer.with_company(self.company).sudo()
        )._ar_set_credit_hold("Not before the invoices are settled.", date(2026, 9, 1))
        body = self.customer.message_ids[0].body
        self.assertIn("settled.</p>", body)
        self.assertNotIn("..", body)
        problem = self.env["ar.customer.account"]._ar_credit_hold_problem(
            self.customer, self.company
        )
        self.assertIn("settled).", problem)

    def test_run_now_of_a_crafted_wizard_runs_no_other_company(self):
        other = self.setup_other_company(name="Elsewhere B")["company"]
        wizard = self.env["ar.followup.dry.run"].create({"company_id": other.id})
        with self.assertRaises(UserError):
            wizard.action_run()
        self.assertFalse(self.env["ar.followup.run"].search([("company_id", "=", other.id)]))

    def test_a_second_run_of_only_skips_is_not_kept(self):
        """Found by a new user (#33): each run by hand of the same day kept an empty run and
        wrote the same skip line again."""
        no_phone = self._customer("No Phone", phone=False)
        invoice = self._invoice(no_phone, 300.0, date.today() - timedelta(days=25))
        self._set_followup_state(invoice, self.levels[14], date.today() - timedelta(days=11))
        Run = self.env["ar.followup.run"]
        Run.action_process_now()
        runs, skips = Run.search_count([]), len(self._history(no_phone, "skip"))
        for _again in range(2):
            result = Run.action_process_now()
            self.assertEqual(result.get("tag"), "display_notification")
        self.assertEqual(Run.search_count([]), runs)
        self.assertEqual(len(self._history(no_phone, "skip")), skips)
