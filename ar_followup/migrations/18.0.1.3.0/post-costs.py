# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.3.0: collection costs are claimed once per invoice, by the law of the customer.

- A level that charged costs by any policy (``fee_policy``) now claims costs
  (``charge_costs``); the rule is the law's, not the level's.
- The companies keep what their businesses paid: a fixed amount where a level charged one,
  the WIK scale where the terms applied it (``ar_wik_b2b``), else €40 per invoice where a
  level charged costs (the new default for a company that charged none is the WIK scale).
- Invoices charged costs or interest before are marked so on their state: never again costs,
  interest from then on less what was charged.
"""


def _has_column(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    if _has_column(cr, "ar_followup_level", "fee_policy"):
        cr.execute(
            """
            UPDATE ar_followup_level
               SET charge_costs = TRUE
             WHERE fee_policy IS NOT NULL AND fee_policy != 'none'
            """
        )
        cr.execute(
            """
            UPDATE res_company c
               SET ar_costs_b2b = 'fixed', ar_costs_b2b_fixed = l.amount
              FROM (SELECT company_id, MAX(fee_fixed_amount) AS amount
                      FROM ar_followup_level
                     WHERE fee_policy = 'fixed' AND fee_fixed_amount > 0
                     GROUP BY company_id) l
             WHERE l.company_id = c.id
            """
        )
        wik_b2b = (
            "c.ar_wik_b2b IS TRUE" if _has_column(cr, "res_company", "ar_wik_b2b") else "FALSE"
        )
        cr.execute(
            f"""
            UPDATE res_company c
               SET ar_costs_b2b = CASE WHEN {wik_b2b} THEN 'wik' ELSE 'minimum' END
             WHERE c.ar_costs_b2b IS DISTINCT FROM 'fixed'
               AND EXISTS (SELECT 1 FROM ar_followup_level l
                            WHERE l.company_id = c.id
                              AND l.fee_policy IN ('nl_wik', 'eu_b2b', 'be_consumer'))
            """
        )
    cr.execute(
        """
        INSERT INTO ar_followup_move_state AS s (move_id, costs_date, interest_date)
        SELECT r.move_id,
               MIN(h.date) FILTER (WHERE h.fee_amount > 0),
               MAX(h.date) FILTER (WHERE h.interest_amount > 0)
          FROM ar_followup_history h
          JOIN ar_followup_history_move_rel r ON r.history_id = h.id
         WHERE h.channel = 'fee'
         GROUP BY r.move_id
            ON CONFLICT (move_id) DO UPDATE
           SET costs_date = COALESCE(s.costs_date, EXCLUDED.costs_date),
               interest_date = COALESCE(s.interest_date, EXCLUDED.interest_date)
        """
    )
