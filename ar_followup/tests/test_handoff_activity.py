from freezegun import freeze_time

"""The escalation activity of the ladder's last level hands the claim off (issue #20): the
credit-control manager gets *Hand off to agency* on it, which opens the customer's case (the
run's draft one, else a new one with the overdue invoices); handing the case over marks the
escalation, and the run's to-do on the case, done. Nobody else gets the button or the action,
also not over RPC; and the tour clicks it in a real browser."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import days
from .test_collection_case import CollectionCaseCommon

ESCALATION = "ar_followup.mail_activity_type_escalation"


@tagged("post_install", "-at_install")
class TestHandOffActivity(CollectionCaseCommon, HttpCase):
    def _escalations(self, partner):
        return self._activities(partner).filtered(
            lambda a: a.activity_type_id == self.env.ref(ESCALATION)
        )

    def _as_the_client_gets_it(self, activity, user):
        """The activity's data as the chatter reads it (``activity_format``) for ``user``."""
        store = activity.with_user(user).activity_format()
        return next(a for a in store["mail.activity"] if a["id"] == activity.id)

    def test_the_escalation_offers_the_hand_off_to_the_manager_only(self):
        self._ladder()  # runs to day 52: the 45-day level's escalation
        escalation = self._escalations(self.customer)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.company._ar_credit_manager())
        self.assertTrue(
            self._as_the_client_gets_it(escalation, self.credit_manager)["ar_can_hand_off"]
        )
        for user in (self.billing, self.account_manager):
            self.assertFalse(escalation.with_user(user).ar_can_hand_off, user.login)
        # a to-do on the same customer offers nothing
        todo = self.customer.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.credit_manager.id
        )
        self.assertFalse(todo.with_user(self.credit_manager).ar_can_hand_off)

    def test_the_hand_off_opens_a_new_case_or_the_runs_draft(self):
        first, second, _later = self._ladder()
        escalation = self._escalations(self.customer).with_user(self.credit_manager)
        with freeze_time(days(53)):
            action = escalation.action_ar_hand_off()
        self.assertEqual(action["res_model"], "ar.collection.case")
        self.assertNotIn("res_id", action, "no case yet: a new one")
        Case = self.env["ar.collection.case"].with_user(self.credit_manager)
        with freeze_time(days(53)):
            case = Case.with_context(**action["context"]).create({})
        self.assertEqual((case.partner_id, case.move_ids), (self.customer, first + second))
        self.assertEqual(case.agency_id, self.agency)
        # with a draft case, the action opens it instead of a second one
        self.assertEqual(escalation.action_ar_hand_off()["res_id"], case.id)

    def test_handing_over_marks_the_escalation_and_the_runs_to_do_done(self):
        self.levels[45].handoff = True
        first, second, _later = self._ladder()
        escalation = self._escalations(self.customer)
        case = self.env["ar.collection.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(case.state, "draft")
        self.assertEqual(len(case.activity_ids), 1, "the run's to-do")
        self.assertEqual(
            escalation.with_user(self.credit_manager).action_ar_hand_off()["res_id"], case.id
        )
        with freeze_time(days(53)):
            case.with_user(self.credit_manager).action_hand_over()
        self.assertFalse(escalation.exists(), "done (an activity done is archived or gone)")
        self.assertFalse(case.activity_ids)
        done = f"Handed over to Incasso Noord B.V. in {case.name}."
        for record in (self.customer, case):
            self.assertTrue(
                record.message_ids.filtered(lambda m, done=done: done in (m.body or "")),
                record,
            )
        # invariant over the later runs: while the case is open no new escalation comes,
        # however long the invoices stay unpaid; the invoice due later starts the ladder anew
        for day in (60, 67, 75, 90, 106, 120):
            self._run(days(day))
            self.assertFalse(self._escalations(self.customer), day)
        self.assertTrue(all((first + second).mapped("ar_in_collection")))
        # returned by the agency: back on the ladder at their level, which called for the
        # escalation already: the next run escalates once, not again at every run
        with freeze_time(days(121)):
            case.with_user(self.credit_manager).action_returned()
        for day in (122, 129, 136):
            self._run(days(day))
        self.assertLessEqual(len(self._escalations(self.customer)), 1)

    def test_nobody_but_a_manager_hands_off_also_not_over_rpc(self):
        self._ladder()
        escalation = self._escalations(self.customer)
        for login in ("arc_billing", "ar_account_manager"):
            for model, record in (
                ("mail.activity", escalation),
                ("ar.customer.account", self._account(self.customer)),
            ):
                result = self._rpc(login, model, "action_ar_hand_off", [record.id])
                self.assertEqual(result[0], "error", (login, model, result))
        self.assertFalse(
            self.env["ar.collection.case"].search([("partner_id", "=", self.customer.id)])
        )
        result = self._rpc("ar_manager", "mail.activity", "action_ar_hand_off", [escalation.id])
        self.assertEqual(result[0], "ok", result)
        self.assertEqual(result[1]["res_model"], "ar.collection.case")

    def test_tour_hand_off_from_the_escalation_in_the_chatter(self):
        # a browser runs on the real clock: dates counted from today
        today = fields.Date.context_today(self.env.user)
        first = self._invoice(self.customer, 400.0, today - timedelta(days=60))
        second = self._invoice(self.customer, 250.0, today - timedelta(days=50))
        self.customer.activity_schedule(
            ESCALATION,
            user_id=self.credit_manager.id,
            summary="Decide on the hand-off to the collection agency",
        )
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "ar_followup_hand_off_from_activity",
            login="ar_manager",
        )
        case = self.env["ar.collection.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.state, "handed_over")
        self.assertEqual(case.move_ids, first + second)
        self.assertEqual(case.amount_principal, 650.0)
        self.assertFalse(self._escalations(self.customer))
