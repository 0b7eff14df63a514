"""A reminder names collection costs and interest only when it claims them, each on its own
line (issue #33, point 10)."""

from lxml import html

from odoo.tests import tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestFeeLines(ArFollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # businesses pay a fixed 15.00 per invoice (the terms)
        cls.company.write({"ar_costs_b2b": "fixed", "ar_costs_b2b_fixed": 15.0})
        cls.final = cls.levels[30]
        cls.final.charge_costs = True

    def _final_notice(self):
        """An invoice of 1,000.00 due 30 January 2026 at the call level since 20 February:
        the run of 2 March 2026 sends the final notice, claiming what the level claims."""
        invoice = self._invoice(self.customer, 1000.0, days(-31))
        self._set_followup_state(invoice, self.levels[21], days(-10))
        self._run(days(0))
        notice = self._mails(self.customer)[-1]
        self.assertEqual(self._history(self.customer, "email")[-1].level_id, self.final)
        return notice

    def _text(self, markup):
        # its spaces (non-breaking ones too) as single spaces
        return " ".join(html.fromstring(str(markup)).text_content().split())

    def test_costs_without_interest(self):
        text = self._text(self._final_notice().body_html)
        fee = self._history(self.customer, "fee")
        self.assertEqual(fee.mapped("fee_amount"), [15.0])
        self.assertEqual(fee.mapped("interest_amount"), [0.0])
        self.assertIn("The collection costs charged so far are listed below.", text)
        self.assertIn("Collection costs: $ 15.00", text)
        self.assertNotIn("interest", text.lower())
        # the statement (and the letters, which print it) the same way
        page = self._text(
            self.env["ir.actions.report"]
            ._render_qweb_html("ar_followup.action_report_statement", self.customer.ids)[0]
            .decode()
        )
        self.assertIn("Collection costs: $ 15.00", page)
        self.assertNotIn("interest", page.lower())

    def test_costs_and_interest_each_on_its_own_line(self):
        self.final.charge_interest = True
        notice = self._final_notice()
        fee = self._history(self.customer, "fee")
        # interest from 31 January to 2 March 2026, 31 days at the 2026-H1 commercial rate
        # (ECB 2.15% + 8 = 10.15%): 1000 * 10.15% * 31/365 = 8.6205 -> 8.62
        self.assertEqual(sorted(fee.mapped("interest_amount")), [0.0, 8.62])
        self.assertEqual(sorted(fee.mapped("fee_amount")), [0.0, 15.0])
        text = self._text(notice.body_html)
        self.assertIn(
            "The collection costs and the interest charged so far are listed below, each on "
            "its own line.",
            text,
        )
        tree = html.fromstring(str(notice.body_html))
        self.assertEqual(
            [
                " ".join(e.text_content().split())
                for e in tree.xpath("//span[@class='o_ar_fee_costs']")
            ],
            ["Collection costs: $ 15.00"],
        )
        self.assertEqual(
            [
                " ".join(e.text_content().split())
                for e in tree.xpath("//span[@class='o_ar_fee_interest']")
            ],
            ["Interest: $ 8.62"],
        )
        self.assertNotIn("collection costs and interest)", text)
