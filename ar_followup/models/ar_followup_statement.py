# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The statement of open items: one service for the reminders, the statement report, the
portal and the preview.

The open items are read as rows (a follow-up run builds the statements of thousands of
customers), two queries for any number of customers:

- :class:`InvoiceRow`: an open invoice or credit note (an invoice with instalments has one row
  per instalment still open), amounts in the document's currency;
- :class:`PaymentRow`: every other open receivable item (payments not matched yet, other
  entries), in its currency or the company's.

A statement is ``{'lines', 'totals', 'aging', 'date', 'company', 'bank', 'sepa_bank'}``. Its
lines stay dictionaries, read by key: the reminder templates of a database are not updated with the
module (``noupdate``) and read them that way.
"""

from collections import defaultdict, namedtuple

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import ArFormatter

_lt = LazyTranslate(__name__)

# The aging buckets of the statement: (key, label, last day overdue; None = no limit).
AGING_BUCKETS = [
    ("not_due", _lt("Not due"), 0),
    ("d1_30", _lt("1-30 days"), 30),
    ("d31_60", _lt("31-60 days"), 60),
    ("d61_90", _lt("61-90 days"), 90),
    ("over_90", _lt("Over 90 days"), None),
]

InvoiceRow = namedtuple(
    "InvoiceRow",
    "move_id partner_id refund name invoice_date due date amount_total amount_residual "
    "currency_id payment_reference token disputed planned fee excluded undisputed "
    # the early-payment discount of an instalment not paid in part: its last day and the
    # amount then due (None without one; valid or not at the statement's date)
    "discount_date discount_residual "
    # the agency an open collection case handed it to (None: not handed over)
    "agency "
    # of a fee invoice the run made, the collection costs and the interest it charges (in
    # its currency; None: none)
    "fee_costs fee_interest",
)
PaymentRow = namedtuple(
    "PaymentRow",
    "partner_id move_id name ref date due currency_id residual residual_currency",
)
# the rows of many customers: {partner_id: [InvoiceRow]}, {partner_id: [PaymentRow]}
StatementRows = namedtuple("StatementRows", "invoices payments")
# a customer's receivable in company currency (credits negative; see _ar_receivable_query)
# ``amount_overdue``: every overdue debit item (what the credit decisions read);
# ``amount_asked``: what the reminders ask of it (the one "overdue" users see): the part no open
# dispute covers, not in a payment plan, not at an agency; ``amount_disputed``: the open
# amount open disputes cover, shown apart
ReceivableFigures = namedtuple(
    "ReceivableFigures",
    "amount_due amount_overdue oldest_days credits amount_asked amount_disputed",
    defaults=(0, 0, 0, 0, 0, 0),
)

# what the open items read of the journal items, flushed before each query
OPEN_ITEM_LINE_FIELDS = (
    "account_id",
    "amount_residual",
    "amount_residual_currency",
    "company_id",
    "currency_id",
    "date",
    "date_maturity",
    "move_id",
    "parent_state",
    "partner_id",
    "reconciled",
    # the early-payment discount of an invoice's instalment (statement lines)
    "amount_currency",
    "discount_amount_currency",
    "discount_date",
)

# what a statement line reads of its invoice or credit note
STATEMENT_MOVE_FIELDS = (
    "commercial_partner_id",
    "move_type",
    "name",
    "invoice_date",
    "invoice_date_due",
    "date",
    "amount_total",
    "amount_residual",
    "currency_id",
    "payment_reference",
    "access_token",
    "ar_is_disputed",
    "ar_in_payment_plan",
    "ar_is_fee_invoice",
    "ar_followup_excluded",
    "company_id",
    "state",
    "invoice_payment_term_id",
)


class ArFollowupStatement(models.AbstractModel):
    _name = "ar.followup.statement"
    _description = "Statement of Open Items"

    # ------------------------------------------------------------------
    # Open items and receivable figures
    # ------------------------------------------------------------------

    @api.model
    def _ar_open_items_query(self, company, partner_ids=None):
        """The one definition of a customer's open items, as SQL: every posted journal item
        of ``company`` on a receivable account that is not fully matched yet (invoices,
        credit notes, payments not matched, other receivable entries), with its commercial
        partner and its due date, the line's due date or, where it has none, its date.

        Columns: ``line_id``, ``move_id``, ``partner_id``, ``currency_id``, ``date``, ``due``,
        ``residual`` (company currency, signed: credits negative), ``residual_currency``.
        The partners' amounts due and overdue, the open items of their tab, their statement,
        the collector worklist read it; the aging as of a date (:meth:`ar.kpi.aging`) uses
        the same lines and due date with the matchings at that date.
        """
        return SQL(
            """
            SELECT l.id AS line_id, l.move_id, p.commercial_partner_id AS partner_id,
                   l.currency_id, l.date, COALESCE(l.date_maturity, l.date) AS due,
                   l.amount_residual AS residual,
                   l.amount_residual_currency AS residual_currency
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND NOT l.reconciled
               %(partner_filter)s
            """,
            company=company.id,
            # the lines of the customers' contacts, through the index on the line's partner
            # (a condition on p.commercial_partner_id read every open line of the company:
            # 2.7 s a batch of 500 customers at 1,000,000 invoices)
            partner_filter=SQL(
                """AND l.partner_id IN (SELECT id FROM res_partner
                                         WHERE commercial_partner_id IN %s)""",
                tuple(partner_ids) or (0,),
            )
            if partner_ids is not None
            else SQL(),
        )

    @api.model
    def _ar_flush_open_items(self):
        self.env["account.move.line"].flush_model(OPEN_ITEM_LINE_FIELDS)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.move"].flush_model(
            ["ar_is_disputed", "ar_in_payment_plan", "ar_in_collection", "amount_residual"]
        )
        self.env["ar.dispute"].flush_model(["state", "amount_disputed"])

    @api.model
    def _ar_receivable_query(self, date, company, partner_ids=None):
        """One query over :meth:`_ar_open_items_query`: per commercial partner, the open
        receivable balance, the overdue open amount (the debit items due before ``date``),
        the oldest overdue days at ``date`` and the open credits (credit notes, payments and
        other credit items not matched yet, negative), in company currency. Net of its
        credits, a customer owes ``amount_overdue + credits`` overdue."""
        overdue = SQL("o.due < %s AND o.residual > 0", date)
        return SQL(
            """
            WITH o AS (%(items)s)
            SELECT o.partner_id,
                   SUM(o.residual) AS amount_due,
                   COALESCE(SUM(o.residual) FILTER (WHERE %(overdue)s), 0) AS amount_overdue,
                   COALESCE(MAX(%(date)s - o.due) FILTER (WHERE %(overdue)s), 0) AS oldest_days,
                   COALESCE(SUM(o.residual) FILTER (WHERE o.residual < 0), 0) AS credits,
                   COALESCE(SUM(o.residual * %(undisputed)s) FILTER (
                       WHERE %(overdue)s AND m.ar_in_payment_plan IS NOT TRUE
                         AND m.ar_in_collection IS NOT TRUE), 0) AS amount_asked,
                   COALESCE(SUM(o.residual * (1 - %(undisputed)s)) FILTER (
                       WHERE o.residual > 0 AND m.ar_is_disputed IS TRUE), 0) AS amount_disputed
              FROM o
              JOIN account_move m ON m.id = o.move_id
             GROUP BY o.partner_id
            """,
            items=self._ar_open_items_query(company, partner_ids),
            overdue=overdue,
            date=date,
            undisputed=self.env["account.move"]._ar_undisputed_ratio_sql(),
        )

    @api.model
    def _ar_receivable_figures(self, date, company, partner_ids=None):
        """``{commercial_partner_id: ReceivableFigures}`` from :meth:`_ar_receivable_query`,
        after flushing what it reads."""
        self._ar_flush_open_items()
        self.env.cr.execute(self._ar_receivable_query(date, company, partner_ids))
        return {row[0]: ReceivableFigures(*row[1:]) for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # Statements
    # ------------------------------------------------------------------

    @api.model
    def _ar_rows(self, company, partner_ids=None):
        """The rows behind the statements of ``partner_ids`` (commercial partners; ``None``:
        every customer of ``company``, in one pass, which a follow-up run does instead of a
        query per batch), ordered as the statement lists them."""
        Move = self.env["account.move"]
        Move.check_access("read")
        Move.flush_model(STATEMENT_MOVE_FIELDS)
        self.env["ar.collection.case"].flush_model(["is_open", "agency_id", "move_ids"])
        self.env["account.move.line"].flush_model(["ar_fee_kind", "price_total"])
        self.env["account.payment.term"].flush_model(["early_discount"])
        self._ar_flush_open_items()
        items = self._ar_open_items_query(company, partner_ids)
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%s)
                SELECT m.id, o.partner_id, m.move_type = 'out_refund', m.name,
                       m.invoice_date, o.due, m.date, m.amount_total, o.residual_currency,
                       o.currency_id, m.payment_reference, m.access_token,
                       m.ar_is_disputed IS TRUE, m.ar_in_payment_plan IS TRUE,
                       m.ar_is_fee_invoice IS TRUE, m.ar_followup_excluded IS TRUE, %s,
                       t.discount_date, t.discount_amount_currency,
                       (SELECT agency.name
                          FROM ar_collection_case_move_rel cr
                          JOIN ar_collection_case c ON c.id = cr.case_id AND c.is_open
                          JOIN res_partner agency ON agency.id = c.agency_id
                         WHERE cr.move_id = m.id
                         LIMIT 1),
                       fee.costs, fee.interest
                  FROM o
                  JOIN account_move m ON m.id = o.move_id
                  -- what a fee invoice charges: its collection costs and its interest
                  LEFT JOIN LATERAL (
                       SELECT SUM(l.price_total) FILTER (WHERE l.ar_fee_kind = 'costs')::float
                                  AS costs,
                              SUM(l.price_total) FILTER (WHERE l.ar_fee_kind = 'interest')::float
                                  AS interest
                         FROM account_move_line l
                        WHERE l.move_id = m.id AND l.ar_fee_kind IS NOT NULL
                       ) fee ON m.ar_is_fee_invoice
                  LEFT JOIN account_payment_term pt ON pt.id = m.invoice_payment_term_id
                  LEFT JOIN account_move_line t ON t.id = o.line_id
                       AND pt.early_discount
                       AND m.move_type = 'out_invoice'
                       AND t.discount_date IS NOT NULL
                       AND t.amount_residual_currency = t.amount_currency
                 WHERE m.move_type IN ('out_invoice', 'out_refund')
                 ORDER BY o.due, m.name, o.line_id
                """,
                items,
                Move._ar_undisputed_ratio_sql(),
            )
        )
        invoices = defaultdict(list)
        for row in self.env.cr.fetchall():
            invoices[row[1]].append(InvoiceRow(*row))
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%s)
                SELECT o.partner_id, o.move_id, m.name, m.ref, o.date, o.due, o.currency_id,
                       o.residual, o.residual_currency
                  FROM o
                  JOIN account_move m ON m.id = o.move_id
                 WHERE m.move_type NOT IN ('out_invoice', 'out_refund')
                 ORDER BY o.due, o.line_id
                """,
                items,
            )
        )
        payments = defaultdict(list)
        for row in self.env.cr.fetchall():
            payments[row[0]].append(PaymentRow(*row))
        return StatementRows(invoices, payments)

    @api.model
    def _ar_refresh_rows(self, rows, company, partner_ids):
        """Read again, in ``rows`` read before for many customers, those of ``partner_ids``
        (a run charged them a fee invoice since)."""
        fresh = self._ar_rows(company, partner_ids)
        for old, new in zip(rows, fresh, strict=True):
            old.update({pid: new.get(pid, []) for pid in partner_ids})

    @api.model
    def _ar_statements(self, partners, date, company, chased_move_ids=(), rows=None):
        """The statements of the commercial partners of ``partners`` for ``company`` at
        ``date``: ``{partner_id: statement}``.

        :param chased_move_ids: the invoices a reminder chases in this run (marked)
        :param rows: :class:`StatementRows` of these partners or more (a follow-up run reads
            them once for all its batches); read here when not given
        """
        partner_ids = tuple(partners.commercial_partner_id.ids)
        company = company.with_env(self.env)  # read with the service's rights
        # the account a SEPA QR code pays to (ar_followup_statement_payment.py), once
        sepa_bank = self._ar_sepa_bank(company) if partner_ids else None
        statements = {
            pid: {
                "lines": [],
                "totals": [],
                "date": date,
                "company": company,
                "bank": company.partner_id.bank_ids[:1],
                "sepa_bank": sepa_bank,
            }
            for pid in partner_ids
        }
        if not partner_ids:
            return statements
        if rows is None:
            rows = self._ar_rows(company, partner_ids)
        invoice_rows = [row for pid in partner_ids for row in rows.invoices.get(pid, ())]
        payment_rows = [row for pid in partner_ids for row in rows.payments.get(pid, ())]
        invoice_line = self._ar_invoice_liner(invoice_rows, payment_rows, date, chased_move_ids)
        payment_line = self._ar_payment_liner(date, company)
        for row in invoice_rows:
            statements[row.partner_id]["lines"].append(invoice_line(row))
        for row in payment_rows:
            statements[row.partner_id]["lines"].append(payment_line(row))
        # payments on their way (statement lines not matched yet): received, the rest asked
        waiting = self._ar_waiting_payments(company, list(partner_ids))
        for pid, payments in waiting.items():
            statements[pid]["lines"].extend(self._ar_waiting_lines(payments))
        for statement in statements.values():
            statement["totals"] = self._ar_totals(statement["lines"])
            statement["aging"] = self._ar_aging_buckets(statement["lines"])
        return statements

    @api.model
    def _ar_statement(self, partner, date, company):
        """The statement of one customer."""
        partner = partner.commercial_partner_id
        return self._ar_statements(partner, date, company)[partner.id]

    @api.model
    def _ar_invoice_liner(self, invoice_rows, payment_rows, date, chased_move_ids):
        """The function that makes the line of an :class:`InvoiceRow` at ``date``, with the
        records it needs read once for all rows."""
        Move = self.env["account.move"]
        missing = [row.move_id for row in invoice_rows if not row.token and not row.refund]
        tokens = Move._ar_set_missing_portal_tokens(Move.browse(missing)) if missing else {}
        currencies = self.env["res.currency"].browse(
            {row.currency_id for row in invoice_rows}
            | {row.currency_id for row in payment_rows if row.currency_id}
        )
        currencies.fetch(["name", "rounding", "decimal_places", "symbol", "position"])
        chased = set(chased_move_ids)
        base_url = Move.get_base_url()

        def line(row):
            days = (date - row.due).days
            token = row.token or tokens.get(row.move_id)
            discount = row.discount_date is not None and row.discount_date >= date
            return {
                "move": Move.browse(row.move_id),
                "kind": "credit_note" if row.refund else "invoice",
                "fee": row.fee,
                # a fee invoice's collection costs and interest, each on its own line
                "fee_costs": row.fee_costs or 0.0,
                "fee_interest": row.fee_interest or 0.0,
                "number": row.name,
                "date": row.invoice_date or row.date,
                "due_date": row.due,
                "days_overdue": max(days, 0) if not row.refund else 0,
                # a dispute covers its amount, not the whole invoice: the rest is overdue;
                # an invoice handed over is the agency's to collect, not asked for here
                "overdue": not row.refund
                and days > 0
                and float(row.undisputed) > 0
                and not row.planned
                and not row.agency,
                "amount_disputed": float(row.amount_residual) * (1 - float(row.undisputed))
                if row.disputed
                else 0.0,
                "chased": row.move_id in chased,
                "excluded": row.excluded,
                "disputed": row.disputed,
                "planned": row.planned,
                "collection": row.agency,
                "amount_total": (-1 if row.refund else 1) * float(row.amount_total),
                "amount_residual": float(row.amount_residual),
                "currency": currencies.browse(row.currency_id),
                "payment_reference": row.payment_reference or row.name,
                # paid by ``discount_date``, ``amount_discounted`` settles it (Odoo's
                # early-payment discount, still valid at the statement's date)
                "discount_date": row.discount_date if discount else False,
                "amount_discounted": float(row.discount_residual) if discount else False,
                "portal_url": False
                if row.refund
                else f"{base_url}/my/invoices/{row.move_id}?access_token={token}",
            }

        return line

    @api.model
    def _ar_payment_liner(self, date, company):
        """The function that makes the line of a :class:`PaymentRow` at ``date``."""
        Move = self.env["account.move"]
        Currency = self.env["res.currency"]

        def line(row):
            currency = Currency.browse(row.currency_id) if row.currency_id else company.currency_id
            debit = row.residual > 0  # an other receivable item the customer owes, due as dated
            residual = float(row.residual_currency if row.currency_id else row.residual)
            days = max((date - row.due).days, 0) if debit else 0
            return {
                "move": Move.browse(row.move_id),
                "kind": "entry" if debit else "payment",
                "number": row.name,
                "date": row.date,
                "due_date": row.due,
                "days_overdue": days,
                "overdue": days > 0,
                "chased": False,
                "excluded": False,
                "fee": False,
                "disputed": False,
                "amount_disputed": 0.0,
                "planned": False,
                "amount_total": residual,
                "amount_residual": residual,
                "currency": currency,
                "payment_reference": row.ref or row.name,
                "discount_date": False,
                "amount_discounted": False,
                "portal_url": False,
            }

        return line

    @api.model
    def _ar_waiting_lines(self, payments):
        """The statement lines of payments on their way (``_ar_waiting_payments``): received,
        not matched yet, deducted from what is asked."""
        Currency = self.env["res.currency"]
        return [
            {
                "move": line.move_id,
                "kind": "payment",
                "waiting": True,
                "number": (line.payment_ref or line.move_id.name or "")[:60],
                "date": day,
                "due_date": day,
                "days_overdue": 0,
                "overdue": False,
                "chased": False,
                "excluded": False,
                "fee": False,
                "disputed": False,
                "amount_disputed": 0.0,
                "planned": False,
                "amount_total": -amount,
                "amount_residual": -amount,
                "currency": Currency.browse(currency_id),
                "payment_reference": "",
                "discount_date": False,
                "amount_discounted": False,
                "portal_url": False,
            }
            for line, day, currency_id, amount in payments
        ]

    @api.model
    def _ar_totals(self, lines):
        """Open and overdue amounts per currency (ordered by currency), the disputed part of
        an invoice not overdue."""
        totals = defaultdict(lambda: {"open": 0.0, "overdue": 0.0, "received": 0.0})
        for line in lines:
            total = totals[line["currency"]]
            total["open"] += line["amount_residual"]
            if line["overdue"]:
                total["overdue"] += line["amount_residual"] - line["amount_disputed"]
            elif line.get("waiting"):
                total["received"] -= line["amount_residual"]
        for currency, total in totals.items():
            # a payment on its way pays what is overdue first: the rest is asked
            total["overdue"] = max(currency.round(total["overdue"] - total["received"]), 0.0)
        return [
            {"currency": currency, **total}
            for currency, total in sorted(totals.items(), key=lambda kv: kv[0].name)
        ]

    @api.model
    def _ar_aging_buckets(self, lines):
        """Open amounts per currency in the buckets of :data:`AGING_BUCKETS` (credits and
        payments in 'not due', as :meth:`ar.kpi.aging` has them)."""
        aging = {}
        for line in lines:
            row = aging.setdefault(
                line["currency"], dict.fromkeys([key for key, _label, _max in AGING_BUCKETS], 0.0)
            )
            days = line["days_overdue"] if line["amount_residual"] > 0 else 0
            key = next(
                key for key, _label, limit in AGING_BUCKETS if limit is None or days <= limit
            )
            row[key] += line["amount_residual"]
        return [
            {"currency": currency, "buckets": row, "total": sum(row.values())}
            for currency, row in sorted(aging.items(), key=lambda kv: kv[0].name)
        ]

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------

    @api.model
    def _ar_formatter(self, lang=None):
        """Amounts and dates in the language ``lang`` (a code; by default the language of
        the rendering): the reminders' open items, and the portal's pages in the customer's
        language whatever the language of the browser.

        A follow-up run renders thousands of reminders: it renders them with a dict in the
        context (``ar_followup_formatters``) that keeps one formatter per language for its
        batch.
        """
        env = self.with_context(lang=lang).env if lang else self.env
        formatters = self.env.context.get("ar_followup_formatters")
        if formatters is None:
            return ArFormatter(env)
        if env.lang not in formatters:
            formatters[env.lang] = ArFormatter(env)
        return formatters[env.lang]

    @api.model
    def _ar_aging_labels(self):
        return [(key, label._translate(self.env.lang)) for key, label, _limit in AGING_BUCKETS]
