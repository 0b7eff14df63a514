import logging

from odoo.tests import tagged

from .common import ArFollowupCase, days

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestFollowupPerformance(ArFollowupCase):
    """The run's SQL query count depends on the number of batches, not of invoices."""

    def _count_run_queries(self, n_partners, n_invoices, batch_size, offset=0, currency=None):
        """Queries of one run over fresh data, rolled back afterwards."""
        savepoint = self.env.cr.savepoint()
        try:
            return self._count_run_queries_inner(
                n_partners, n_invoices, batch_size, offset, currency
            )
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all(flush=False)

    def _count_run_queries_inner(self, n_partners, n_invoices, batch_size, offset, currency):
        partners = [self._customer(f"Perf {offset} {i}") for i in range(n_partners)]
        for index in range(n_invoices):
            self._invoice(
                partners[index % n_partners],
                10.0 + index,
                days(offset - 8 - index % 5),
                currency=currency,
            )
        self._set_batch_size(batch_size)
        Run = self.Run.with_company(self.company)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        run = Run.process(days(offset))
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        self.assertEqual(run.partner_count, n_partners)
        self.assertEqual(run.email_count, n_partners)
        return count

    def test_query_count_independent_of_invoice_count(self):
        self._count_run_queries(2, 2, 50)  # warm the caches (templates, ormcache)
        few = self._count_run_queries(5, 10, 50)
        many = self._count_run_queries(5, 200, 50)
        _logger.info(f"queries: 10 invoices {few}, 200 invoices {many}")
        self.assertLessEqual(many, few + 3, f"10 invoices: {few} queries, 200 invoices: {many}")

    def test_query_count_grows_with_batches(self):
        self._count_run_queries(2, 2, 50)  # warm the caches (templates, ormcache)
        one_batch = self._count_run_queries(6, 12, 6)
        three_batches = self._count_run_queries(6, 12, 2)
        _logger.info(f"queries: one batch {one_batch}, three batches {three_batches}")
        self.assertGreater(three_batches, one_batch)
        per_batch = (three_batches - one_batch) / 2
        self.assertLess(per_batch, 60, f"queries per extra batch: {per_batch}")

    def test_query_count_independent_of_customer_count(self):
        """Within a batch, a reminder costs no query of its own, the SEPA QR code of every
        reminder included (an IBAN, invoices in euros): found by the benchmark, which had
        one query a reminder (a currency looked up by its XML id)."""
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 1.0)])
        self.env["res.partner.bank"].sudo().create(
            {"acc_number": "NL91ABNA0417164300", "partner_id": self.company.partner_id.id}
        )
        self._count_run_queries(2, 2, 50, currency=eur)  # warm the caches
        few = self._count_run_queries(4, 8, 50, currency=eur)
        many = self._count_run_queries(16, 32, 50, currency=eur)
        _logger.info(f"queries: 4 customers {few}, 16 customers {many}")
        self.assertLessEqual(many, few + 3, f"4 customers: {few} queries, 16: {many}")
