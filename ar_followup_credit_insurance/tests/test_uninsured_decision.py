"""The uninsured part of the exposure in the credit decision. The customer is insured for
25,000.00 (company currency, $); what is above, or an open invoice flagged uninsured, is not
covered: uninsured = max(0, exposure - flagged - insured) + flagged."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InsuranceCase, days


@tagged("post_install", "-at_install")
class TestUninsuredDecision(InsuranceCase):
    def _draft(self, amount, partner=None):
        return self._invoice(partner or self.customer, amount, days(40), post=False)

    def test_the_account_shows_the_uninsured_part(self):
        self._invoice(self.customer, 20000.0, days(10))
        self._draft(6000.0)
        account = self._account(self.customer)
        self.assertEqual(account.insurer_id, self.insurer)
        self.assertEqual(account.insured_amount, 25000.0)
        self.assertEqual(account.exposure, 26000.0)
        self.assertEqual(account.uninsured_amount, 1000.0)  # 26,000 - 25,000
        # a refused policy covers nothing
        self.customer.credit_policy_state_id = self.refused
        account.invalidate_recordset()
        self.assertEqual(account.insured_amount, 0.0)
        self.assertEqual(account.uninsured_amount, 26000.0)

    def test_a_flagged_invoice_is_not_covered(self):
        late = self._invoice(self.customer, 8000.0, days(0))
        self._invoice(self.customer, 12000.0, days(30))
        self._run(days(61))  # the first one was not reported by day 60
        self.assertEqual(late.ar_insurer_uninsured, "notification")
        account = self._account(self.customer)
        # exposure 20,000: 8,000 flagged + max(0, 20,000 - 8,000 - 25,000) = 8,000
        self.assertEqual(account.uninsured_amount, 8000.0)
        # the banner (policy 'warn') names the invoice that lost its cover
        banner = self._draft(100.0).partner_credit_warning.replace("\xa0", " ")
        self.assertIn("$ 8,000.00 of the exposure", banner)
        self.assertIn("Of it, $ 8,000.00 is open on invoices that lost their cover", banner)
        self.assertIn(f"was missed: {late.name}.", banner)

    def test_block_stops_the_posting_above_the_insured_limit(self):
        self.company.ar_uninsured_policy = "block"
        self._invoice(self.customer, 20000.0, days(10))
        draft = self._draft(6000.0)
        with self.assertRaises(UserError) as error:
            draft.with_user(self.billing).action_post()
        message = str(error.exception).replace("\xa0", " ")
        self.assertIn("$ 26,000.00", message)
        self.assertIn("$ 25,000.00 (the part insured by Verzekeraar Demo)", message)
        self.assertIn("by $ 1,000.00", message)
        self.assertEqual(draft.state, "draft")
        # every path: a state written, Odoo's own posting (the auto-post cron's)
        with self.assertRaises(UserError):
            draft.with_user(self.billing).write({"state": "posted"})
        with self.assertRaises(UserError):
            draft.with_user(self.billing)._post(soft=False)
        self.assertEqual(draft.state, "draft")
        # to the insured limit, to the cent, goes through
        draft.invoice_line_ids.price_unit = 5000.0
        draft.with_user(self.billing).action_post()
        self.assertEqual(draft.state, "posted")
        # the credit-control manager may go on, logged
        more = self._draft(0.01)
        self._go_ahead(more, self.credit_manager, "Insurer raised the limit by phone")
        self.assertEqual(more.state, "posted")
        self.assertIn("the part insured by", more.message_ids[0].body)

    def test_block_applies_to_customers_with_an_insurer_only(self):
        self.company.ar_uninsured_policy = "block"
        other = self._customer("Not Insured")
        draft = self._draft(90000.0, partner=other)
        draft.with_user(self.billing).action_post()
        self.assertEqual(draft.state, "posted")

    def test_warn_shows_a_banner_and_posts(self):
        self.assertEqual(self.company.ar_uninsured_policy, "warn")
        self._invoice(self.customer, 20000.0, days(10))
        draft = self._draft(6000.0)
        self.assertIn("$\xa01,000.00 of the exposure", draft.partner_credit_warning)
        self.assertIn("not insured by Verzekeraar Demo", draft.partner_credit_warning)
        draft.with_user(self.billing).action_post()
        self.assertEqual(draft.state, "posted")
        # within the insured limit: no banner
        self.company.ar_uninsured_policy = "none"
        other = self._draft(1.0)
        self.assertNotIn("not insured", other.partner_credit_warning or "")
