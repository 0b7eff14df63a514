"""Prepayment for risky customers (issue #19): a customer who pays a share of its orders in
advance gets quotations that ask for it online (Odoo's ``require_payment`` and
``prepayment_percent``), set by a credit-control manager, by a level of the ladder or, for a
new customer, by the company's rule, and lifted with a line in the follow-up history."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.ar_followup.tests.common import ArFollowupCase, days

from .common import SaleCreditCase

SALES = "sales_team.group_sale_salesman_all_leads"


@tagged("post_install", "-at_install")
class TestPrepayment(SaleCreditCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._user("arp_salesman", "internal", groups=SALES, name="Sam Sales")
        cls.manager = cls._user("arp_manager", "credit_manager", groups=SALES, name="Cora Credit")
        cls.company.write(
            {
                "portal_confirmation_pay": False,
                "prepayment_percent": 1.0,
                "account_use_credit_limit": True,  # Odoo counts what is to invoice then
            }
        )

    def _lines(self, partner):
        return self._history(partner).filtered(
            lambda h: h.channel in ("prepayment", "prepayment_lifted")
        )

    def test_set_by_a_manager_asked_online_and_lifted_with_a_history_line(self):
        before = self._order(self.customer, 500.0)  # an open quotation from before
        self.assertFalse(before.require_payment)
        self._account(self.customer.with_user(self.manager)).write(
            {"prepayment_required": True, "prepayment_percent": 0.3}
        )
        line = self._lines(self.customer)
        self.assertEqual(line.mapped("channel"), ["prepayment"])
        self.assertEqual(line.note, "Prepayment of 30 % required: by Cora Credit.")
        self.assertEqual(self._account(self.customer).prepayment_origin, "manual")
        # the open quotation and every new one ask for 30 % online
        new = self._order(self.customer, 500.0, user=self.salesman)
        for order in (before, new):
            self.assertEqual((order.require_payment, order.prepayment_percent), (True, 0.3))
            self.assertEqual(order.ar_prepayment_percent, 0.3)
            # 30 % of 500.00 = 150.00 (Odoo's own amount to pay to confirm)
            self.assertEqual(order._get_prepayment_required_amount(), 150.0)
        # unpaid, the salesman cannot confirm it; the manager can, logged
        with self.assertRaises(UserError) as error:
            new.with_user(self.salesman).action_confirm()
        message = str(error.exception)
        self.assertIn("Customer One pays 30 % of its orders in advance: ", message)
        self.assertIn(f"150.00 of {new.name}, paid online so far: ", message)
        self._go_ahead(new, self.manager)
        self.assertEqual(new.state, "sale")
        log = new.message_ids.filtered(lambda m: "despite" in (m.body or ""))
        self.assertIn("Confirmed by Cora Credit despite:", log.body)
        self.assertIn("pays 30 % of its orders in advance", log.body)
        # a change of the share is a new line; writing the same share again is none
        self._account(self.customer.with_user(self.manager)).write({"prepayment_percent": 0.5})
        self._account(self.customer.with_user(self.manager)).write({"prepayment_required": True})
        self.assertEqual(before.prepayment_percent, 0.5)
        self._account(self.customer.with_user(self.manager)).write({"prepayment_required": False})
        lines = self._lines(self.customer)
        self.assertEqual(lines.mapped("channel"), ["prepayment", "prepayment", "prepayment_lifted"])
        self.assertEqual(lines[-1].note, "Prepayment lifted: by Cora Credit.")
        self.assertIn("Prepayment lifted", self.customer.message_ids[0].body)
        # the open quotation has the company's settings back; new ones ask nothing
        self.assertFalse(before.require_payment)
        self.assertFalse(self._order(self.customer, 100.0).require_payment)
        self.assertFalse(self._account(self.customer).prepayment_percent)

    def test_paid_in_advance_it_is_confirmed_whatever_the_hold(self):
        self._account(self.customer.with_user(self.manager)).write(
            {"prepayment_required": True, "prepayment_percent": 0.3}
        )
        self.env["ar.customer.account"]._ar_of(self.customer.sudo())._ar_set_credit_hold(
            "Invoices 60 days overdue", days(0)
        )
        short = self._order(self.customer, 500.0)
        self._pay_online(short, 100.0)  # less than 150.00: not confirmed
        self.assertEqual(short.state, "draft")
        with self.assertRaises(UserError):
            short.with_user(self.salesman).action_confirm()
        paid = self._order(self.customer, 500.0)
        self._pay_online(paid, 150.0)  # the portal's pay-to-confirm
        self.assertEqual(paid.state, "sale")
        # what was paid online counts as paid in the exposure: 500.00 to invoice, less the
        # two payments of 150.00 and 100.00 on the receivable = 250.00
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self._account(self.customer).exposure, 250.0, places=2)

    def test_a_salesman_can_neither_set_lift_nor_lower_it(self):
        self._account(self.customer.with_user(self.manager)).write(
            {"prepayment_required": True, "prepayment_percent": 0.3}
        )
        billing = self._user("arp_billing", "billing", name="Bea Billing")
        account = self._account(self.customer)
        for login in ("arp_salesman", "arp_billing"):
            for vals in (
                {"prepayment_required": False},
                {"prepayment_percent": 0.01},
                {"prepayment_origin": "new_customer"},
            ):
                result = self._rpc(login, "ar.customer.account", "write", [account.id], vals)
                self.assertEqual(result[0], "error", (login, vals, result))
        with self.assertRaises(AccessError):
            self._account(self.customer.with_user(billing)).write({"prepayment_required": False})
        self.assertEqual(
            (
                self._account(self.customer).prepayment_required,
                self._account(self.customer).prepayment_percent,
            ),
            (True, 0.3),
        )
        self.assertEqual(len(self._lines(self.customer)), 1)
        # nor on the order: a quotation asks at least the customer's share
        order = self._order(self.customer, 500.0, user=self.salesman)
        for vals in ({"prepayment_percent": 0.01}, {"require_payment": False}):
            result = self._rpc("arp_salesman", "sale.order", "write", [order.id], vals)
            self.assertEqual(result[0], "error", (vals, result))
            self.assertIn("pays 30 % of its orders in advance", result[2])
        order.invalidate_recordset()
        self.assertEqual((order.require_payment, order.prepayment_percent), (True, 0.3))
        # nor confirm it by writing its state, nor create a quotation that asks less
        for vals in ({"state": "sale"}, {"state": "sale", "require_payment": False}):
            result = self._rpc("arp_salesman", "sale.order", "write", [order.id], vals)
            self.assertEqual(result[0], "error", (vals, result))
            self.assertIn("pays 30 % of its orders in advance", result[2])
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        count = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        result = self._rpc(
            "arp_salesman",
            "sale.order",
            "create",
            {"partner_id": self.customer.id, "require_payment": False, "prepayment_percent": 0.01},
        )
        self.assertEqual(result[0], "error", result)
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), count
        )
        order.with_user(self.manager).write({"prepayment_percent": 0.2})  # the manager may
        self.assertEqual(order.prepayment_percent, 0.2)

    def test_a_share_must_be_above_nothing_and_at_most_all(self):
        for share in (0.0, -0.1, 1.5, 1000.0):
            with self.assertRaises(ValidationError) as error:
                self._account(self.customer.with_user(self.manager)).write(
                    {"prepayment_required": True, "prepayment_percent": share}
                )
            if share == 1000.0:
                self.assertIn("(not 100000 %)", str(error.exception))
        self.assertFalse(self._account(self.customer).prepayment_required)
        self.assertFalse(self._lines(self.customer))
        with self.assertRaises(ValidationError):
            self.levels[max(self.levels)].write(
                {"ar_prepayment": True, "ar_prepayment_percent": 0.0}
            )

    def test_a_level_asks_for_it_the_run_only_ever_raises_it(self):
        top = self.levels[max(self.levels)]
        top.write({"ar_prepayment": True, "ar_prepayment_percent": 0.5})
        other = self._customer("Customer Two")
        self._account(other.with_user(self.manager)).write(
            {"prepayment_required": True, "prepayment_percent": 1.0}
        )
        below = self.levels[sorted(self.levels)[-2]]
        for partner in (self.customer, other):
            invoice = self._invoice(partner, 800.0, days(0))
            self._set_followup_state(invoice, below, days(below.delay))
        quotation = self._order(self.customer, 200.0)
        on = days(top.delay)
        self._run(on)
        line = self._lines(self.customer)
        self.assertEqual(line.mapped("channel"), ["prepayment"])
        self.assertEqual((line.level_id, line.date, line.run_id.date), (top, on, on))
        self.assertEqual(self._account(self.customer).prepayment_origin, "followup")
        self.assertEqual(self._account(self.customer).prepayment_percent, 0.5)
        self.assertEqual(quotation.prepayment_percent, 0.5)
        # the customer who already paid all in advance keeps paying all
        self.assertEqual(self._account(other).prepayment_percent, 1.0)
        self.assertEqual(len(self._lines(other)), 1)
        # the same run again, the next days, a payment of everything: no new line, and a
        # prepayment set by the ladder stays until a manager lifts it
        self._run(on)
        self._pay(self.customer.invoice_ids, 800.0, on=days(top.delay + 1))
        self._run(days(top.delay + 2))
        self.assertEqual(len(self._lines(self.customer)), 1)
        self.assertTrue(self._account(self.customer).prepayment_required)

    def test_a_new_customer_pays_in_advance_until_invoices_are_paid_on_time(self):
        known = self._customer("Known Customer")
        self.env["sale.order"].sudo().create(
            {"partner_id": known.id, "company_id": self.company.id}
        )
        self.company.write(
            {
                "ar_prepayment_new_customers": True,
                "ar_prepayment_new_customer_invoices": 2,
                "ar_prepayment_new_customer_percent": 1.0,
            }
        )
        new = self._customer("New Customer")
        first = self._order(new, 300.0, user=self.salesman)
        self.assertEqual((first.require_payment, first.prepayment_percent), (True, 1.0))
        self.assertEqual(self._account(new).prepayment_origin, "new_customer")
        self.assertEqual(
            self._lines(new).note,
            "Prepayment of 100 % required: new customer, until 2 invoices are paid on time.",
        )
        again = self._order(known, 300.0)
        self.assertFalse(again.require_payment, "not its first quotation")
        # invoices: one paid on time, one paid late, one open; then the second on time
        on_time = self._invoice(new, 100.0, days(0))
        late = self._invoice(new, 100.0, days(0))
        later = self._invoice(new, 100.0, days(20))
        self._pay(on_time, 100.0, on=days(-1))
        self._pay(late, 100.0, on=days(5))
        self.assertEqual(
            self.env["ar.customer.account"]._ar_invoices_paid_on_time(new, self.company),
            {new.id: 1},
        )
        self._run(days(10))
        self.assertTrue(self._account(new).prepayment_required, "1 of 2 invoices paid on time")
        self._pay(later, 100.0, on=days(20))  # on its due date: on time
        self._run(days(21))
        self.assertFalse(self._account(new).prepayment_required)
        lifted = self._lines(new)[-1]
        self.assertEqual(lifted.channel, "prepayment_lifted")
        self.assertIn("2 invoices paid on time", lifted.note)
        # its next quotations ask nothing: it is no longer new
        self.assertFalse(self._order(new, 300.0).require_payment)

    def test_a_prepayment_in_one_company_never_applies_in_another(self):
        other = self.setup_other_company(name="Sales B")["company"]
        other.write({"portal_confirmation_pay": False})
        self.salesman.sudo().company_ids = [Command.link(other.id)]
        self._account(self.customer.with_user(self.manager)).write({"prepayment_required": True})
        self.assertEqual(self._account(self.customer).prepayment_percent, 1.0)
        order = self._order(self.customer, 500.0, company=other)
        self.assertFalse(order.require_payment)
        self.assertFalse(order.ar_prepayment_percent)
        order.with_user(self.salesman).with_company(other).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_the_check_of_a_prepaying_customer_costs_the_same_whatever_the_lines(self):
        self._account(self.customer.with_user(self.manager)).write(
            {"prepayment_required": True, "prepayment_percent": 0.3}
        )
        self._set_credit(self.customer.sudo(), credit_limit=100000.0, credit_policy="block")
        orders = [self._order(self.customer, 100.0) for _ in range(3)]
        orders[2].order_line = [
            Command.create({"product_id": self.product_a.id, "price_unit": 1.0}) for _ in range(59)
        ]
        self.env.invalidate_all()
        orders[0]._ar_credit_problems()  # caches of the first check (currency rates, groups)
        counts = []
        for order in orders[1:]:
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            problems = order._ar_credit_problems()
            counts.append(self.env.cr.sql_log_count - start)
            self.assertEqual(len(problems[order]), 1, "the prepayment, nothing else")
        self.assertEqual(counts[0], counts[1], counts)


@tagged("post_install", "-at_install")
class TestPrepaymentTour(ArFollowupCase, HttpCase):
    def test_tour_a_prepayment_customer_pays_to_confirm_its_quotation(self):
        """In a real browser: the customer on hold who pays 30 % in advance opens its
        quotation from the e-mail, pays the down payment, and the order is confirmed."""
        self._demo_provider()
        self.company.write({"portal_confirmation_pay": False, "portal_confirmation_sign": False})
        self.env["ar.customer.account"]._ar_of(self.customer.sudo())._ar_set_credit_hold(
            "Invoices 60 days overdue", days(0)
        )
        Account = self.env["ar.customer.account"]
        Account._ar_of(self.customer.with_company(self.company))._ar_set_prepayment(
            0.3, "test", days(0)
        )
        order = (
            self.env["sale.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "price_unit": 500.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        self.assertEqual((order.require_payment, order.require_signature), (True, False))
        order.action_quotation_sent()
        self.start_tour(order.get_portal_url(), "ar_followup_sale_prepay_to_confirm")
        tx = order.transaction_ids
        self.assertEqual((tx.state, tx.amount), ("done", 150.0))
        if not tx.is_post_processed:
            tx._post_process()
        self.assertEqual(order.state, "sale", "paid in advance: confirmed despite the hold")
        self.assertTrue(self.customer.ar_credit_hold)


@tagged("post_install", "-at_install")
class TestPrepaymentAttacks(SaleCreditCase, HttpCase):
    """What an attacker tried on the prepayment of the customer's account (issue #30)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._user(
            "arpa_manager", "credit_manager", groups=SALES, password="arpa_manager"
        )

    def test_a_prepayment_asked_on_a_new_account_keeps_its_share(self):
        status, pid = self._rpc("arpa_manager", "res.partner", "create", {"name": "Prepay New"})
        self.assertEqual(status, "ok")
        status, action = self._rpc("arpa_manager", "res.partner", "action_ar_open_account", [pid])
        self.assertEqual(status, "ok")
        result = self._rpc(
            "arpa_manager",
            "ar.customer.account",
            "write",
            [action["res_id"]],
            {"prepayment_required": True, "prepayment_percent": 0.4},
        )
        self.assertEqual(result, ("ok", True))
        partner = self.env["res.partner"].browse(pid).with_company(self.company)
        self.assertEqual(
            (self._account(partner).prepayment_required, self._account(partner).prepayment_percent),
            (True, 0.4),
        )
        self.assertEqual(self._account(partner).prepayment_origin, "manual")
        self.assertEqual(
            len(self._history(partner).filtered(lambda h: h.channel == "prepayment")), 1
        )
        # a share typed as text is read as Odoo reads a number field
        account = self.env["ar.customer.account"].browse(action["res_id"])
        result = self._rpc(
            "arpa_manager",
            "ar.customer.account",
            "write",
            [account.id],
            {"prepayment_required": True, "prepayment_percent": "0.5"},
        )
        self.assertEqual(result, ("ok", True))
        account.invalidate_recordset()
        self.assertEqual(account.prepayment_percent, 0.5)
        # the share alone, as the form sends it: the prepayment set again with it, logged
        result = self._rpc(
            "arpa_manager",
            "ar.customer.account",
            "write",
            [account.id],
            {"prepayment_percent": 0.25},
        )
        self.assertEqual(result, ("ok", True))
        account.invalidate_recordset()
        self.assertEqual(account.prepayment_percent, 0.25)
        self.assertEqual(
            len(self._history(partner).filtered(lambda h: h.channel == "prepayment")), 3
        )
        # of a customer who does not prepay: refused, a share is asked with the prepayment
        free = self._account(self._customer("Prepay Free"))
        result = self._rpc(
            "arpa_manager", "ar.customer.account", "write", [free.id], {"prepayment_percent": 0.1}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"))
        self.assertFalse(free.prepayment_percent)

    def test_a_portal_user_does_not_read_the_hold_reason_of_its_order(self):
        self.env["ar.customer.account"]._ar_of(
            self.customer.with_company(self.company)
        )._ar_set_credit_hold("internal: fraud check", days(0))
        order = self._order(self.customer, 100.0)
        portal = self._user(
            "arpa_portal", "portal", partner_id=self.customer.id, password="arpa_portal"
        )
        order.message_subscribe(partner_ids=portal.partner_id.ids)
        with self.assertRaises(AccessError):
            order.with_user(portal).read(["ar_partner_credit_hold_reason"])
        self.assertEqual(
            order.with_user(portal).read(["ar_partner_credit_hold"])[0]["ar_partner_credit_hold"],
            True,
        )
