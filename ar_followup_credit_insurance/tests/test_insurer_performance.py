"""The insurer's duties cost a constant number of queries, however many insured customers and
invoices they act on: the holds, the flags, the activities, each set-based."""

import logging

from odoo.tests import tagged

from .common import InsuranceCase, days

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestInsurerPerformance(InsuranceCase):
    def _count_duty_queries(self, n_customers, offset):
        """The queries of the duties on day 100 for ``n_customers`` new insured customers,
        each with three invoices: one past the maximum credit period (a hold), one whose
        notification deadline passed (a flag) and one 5 days ahead of it (an activity)."""
        Move = self.env["account.move"]
        customers = [self._customer(f"Insured {offset} {i}") for i in range(n_customers)]
        invoices = Move
        for customer in customers:
            self._insure(customer, 1000.0)
            invoices |= self._invoice(customer, 10.0, days(5))  # stop day 95: past
            invoices |= self._invoice(customer, 10.0, days(35))  # report by day 95: missed
            invoices |= self._invoice(customer, 10.0, days(45))  # report by 105: warned
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Move._ar_insurer_duties(days(100), self.company, [c.id for c in customers])
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        accounts = [self._account(customer) for customer in customers]
        self.assertTrue(all(a.credit_hold_origin == "insurer" for a in accounts))
        self.assertEqual(len(invoices.filtered("ar_insurer_uninsured")), 2 * n_customers)
        self.assertEqual(len(self._activities_on(invoices)), n_customers)
        return count

    def test_query_count_independent_of_the_customers(self):
        self._count_duty_queries(1, 0)  # warm the caches
        few = self._count_duty_queries(3, 1)
        many = self._count_duty_queries(15, 2)
        _logger.info("insurer duties: 3 customers %s queries, 15 customers %s", few, many)
        self.assertLessEqual(many, few + 3, f"3 customers: {few} queries, 15: {many}")
