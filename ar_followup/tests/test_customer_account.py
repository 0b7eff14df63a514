"""The customer's account per company (``ar.customer.account``, issue #30): the partner's
follow-up state and credit data live in it, the access layer decides who changes them (tested
over JSON-RPC as the web client calls it), the hold changes only through its logged methods,
and the partner still reads, searches, sorts and groups them per company."""

import psycopg2

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, days


@tagged("post_install", "-at_install")
class TestCustomerAccount(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Account Company B")["company"]
        # billing with contact creation: may write partners, not their accounts
        cls.billing = cls._user(
            "account_billing",
            "billing",
            groups="base.group_partner_manager",
            password="account_billing",
        )
        cls.manager = cls._user("account_manager", "credit_manager", password="account_manager")
        cls.held = cls._customer("Account Held")
        cls.env["ar.customer.account"]._ar_of(
            cls.held.with_company(cls.company)
        )._ar_set_credit_hold("Unpaid final notice", days(0))
        cls.Account = cls.env["ar.customer.account"]

    def _account(self, partner, company=None):
        return self.Account.search(
            [("partner_id", "=", partner.id), ("company_id", "=", (company or self.company).id)]
        )

    def test_one_account_per_customer_and_company(self):
        account = self._account(self.held)
        self.assertEqual(len(account), 1)
        self.assertTrue(account.credit_hold)
        self.assertEqual(account.credit_hold_origin, "manual")
        # the same customer in company B: its own account, created when first needed
        self.assertFalse(self._account(self.held, self.company_b))
        self.assertFalse(self.held.with_company(self.company_b).ar_credit_hold)
        self.Account._ar_get(self.held, self.company_b)[self.held.id].credit_policy = "warn"
        account_b = self._account(self.held, self.company_b)
        self.assertEqual(account_b.credit_policy, "warn")
        self.assertFalse(account.credit_policy)
        self.assertEqual(self.held.with_company(self.company).ar_account_id.credit_policy, False)
        self.assertEqual(self.held.with_company(self.company_b).ar_account_id.credit_policy, "warn")
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint():
            self.Account.create({"partner_id": self.held.id, "company_id": self.company.id})

    def test_a_contact_has_no_account_of_its_own(self):
        contact = self.env["res.partner"].create({"name": "C", "parent_id": self.held.id})
        self.assertTrue(contact.with_company(self.company).ar_credit_hold)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Account.create({"partner_id": contact.id, "company_id": self.company.id})
        # over JSON-RPC: no account of the contact, and its hold is its company's
        result = self._rpc(
            "account_manager",
            "ar.customer.account",
            "create",
            {"partner_id": contact.id, "company_id": self.company.id, "credit_policy": "block"},
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.ValidationError"))
        result = self._rpc(
            "account_manager", "res.partner", "write", [contact.id], {"ar_credit_hold": False}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"))
        self.assertIn("are those of Account Held", result[2])
        self.assertTrue(self._account(self.held).credit_hold)
        self.assertFalse(self._account(self.held).credit_policy)

    def test_billing_user_reads_but_does_not_write_accounts(self):
        account = self._account(self.held)
        status, rows = self._rpc(
            "account_billing", "ar.customer.account", "read", [account.id], ["credit_hold"]
        )
        self.assertEqual((status, rows[0]["credit_hold"]), ("ok", True))
        for method, args in (
            ("write", ([account.id], {"credit_policy": "none"})),
            ("write", ([account.id], {"credit_hold": False})),
            ("create", ({"partner_id": self.customer.id, "company_id": self.company.id},)),
            ("unlink", ([account.id],)),
        ):
            result = self._rpc("account_billing", "ar.customer.account", method, *args)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), method)
        # through the partner: the hold is refused, the follow-up fields are the billing
        # user's to set, as on the partner form before
        result = self._rpc(
            "account_billing", "res.partner", "write", [self.held.id], {"ar_credit_hold": False}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        result = self._rpc(
            "account_billing",
            "res.partner",
            "write",
            [self.held.id],
            {
                "ar_followup_paused_until": "2026-03-20",
                "ar_followup_responsible_id": self.manager.id,
            },
        )
        self.assertEqual(result, ("ok", True))
        account.invalidate_recordset()
        self.assertEqual(account.followup_paused_until, days(18))
        self.assertEqual(account.followup_responsible_id, self.manager)
        self.assertTrue(account.credit_hold)
        self.assertFalse(account.insured_limit)

    def test_manager_lifts_a_hold_on_the_account_through_the_logged_method(self):
        account = self._account(self.held)
        result = self._rpc(
            "account_manager",
            "ar.customer.account",
            "write",
            [account.id],
            {"credit_hold": False, "credit_hold_origin": "followup"},
        )
        self.assertEqual(result, ("ok", True))
        account.invalidate_recordset()
        self.assertFalse(account.credit_hold)
        self.assertFalse(account.credit_hold_origin)
        lines = self.env["ar.followup.history"].search(
            [("partner_id", "=", self.held.id), ("channel", "=", "release")]
        )
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines.note, f"by {self.manager.name}")
        self.assertEqual(
            self.held.message_ids[:1].body, f"<p>Credit hold lifted: by {self.manager.name}.</p>"
        )
        # and sets it again the same way: a hold by hand, logged, never a forged origin
        result = self._rpc(
            "account_manager",
            "ar.customer.account",
            "write",
            [account.id],
            {
                "credit_hold": True,
                "credit_hold_origin": "followup",
                "credit_hold_date": "2020-01-01",
            },
        )
        self.assertEqual(result, ("ok", True))
        account.invalidate_recordset()
        self.assertEqual((account.credit_hold, account.credit_hold_origin), (True, "manual"))
        self.assertNotEqual(str(account.credit_hold_date), "2020-01-01")
        # a measure cannot be created with a new account either
        other = self._customer("Account Other")
        result = self._rpc(
            "account_manager",
            "ar.customer.account",
            "create",
            {"partner_id": other.id, "company_id": self.company.id, "credit_hold": True},
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.ValidationError"))
        self.assertFalse(self._account(other))

    def test_other_company_accounts_are_invisible(self):
        self.Account._ar_get(self.held, self.company_b)[self.held.id].insured_limit = 1000.0
        account_b = self._account(self.held, self.company_b)
        status, ids = self._rpc(
            "account_manager", "ar.customer.account", "search", [("partner_id", "=", self.held.id)]
        )
        self.assertEqual(status, "ok")
        self.assertNotIn(account_b.id, ids)
        result = self._rpc(
            "account_manager", "ar.customer.account", "read", [account_b.id], ["insured_limit"]
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        result = self._rpc(
            "account_manager",
            "ar.customer.account",
            "write",
            [account_b.id],
            {"insured_limit": 0.0},
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        self.assertEqual(account_b.insured_limit, 1000.0)

    def test_partner_fields_search_sort_and_group_per_company(self):
        other = self._customer("Account Free")
        self.env["ar.customer.account"]._ar_of(
            other.with_company(self.company_b).sudo()
        )._ar_set_credit_hold("in B only", days(0))
        Partner = self.env["res.partner"].with_company(self.company)
        names = ("Account Held", "Account Free")
        domain = [("name", "in", names)]
        self.assertEqual(Partner.search(domain + [("ar_credit_hold", "=", True)]), self.held)
        # no account, or an account without a hold: not on hold (NULL as False)
        self.assertEqual(Partner.search(domain + [("ar_credit_hold", "=", False)]), other)
        self.assertEqual(Partner.search(domain + [("ar_credit_hold", "!=", True)]), other)
        PartnerB = Partner.with_company(self.company_b)
        self.assertEqual(PartnerB.search(domain + [("ar_credit_hold", "=", True)]), other)
        # sorted and grouped by the account's value, as the Follow-ups list does
        self.assertEqual(
            Partner.search(domain, order="ar_credit_hold desc, id").mapped("name"),
            ["Account Held", "Account Free"],
        )
        groups = Partner.read_group(domain, ["ar_credit_hold"], ["ar_credit_hold"])
        counts = {g["ar_credit_hold"]: g["ar_credit_hold_count"] for g in groups}
        self.assertEqual(counts, {True: 1, False: 1})
        self.held.with_company(self.company).sudo().ar_followup_responsible_id = self.manager
        groups = Partner.read_group(
            domain, ["ar_followup_responsible_id"], ["ar_followup_responsible_id"]
        )
        self.assertEqual(
            {
                g["ar_followup_responsible_id"] and g["ar_followup_responsible_id"][0]
                for g in groups
            },
            {self.manager.id, False},
        )
        # the search view's text search on the responsible
        self.assertEqual(
            Partner.search(domain + [("ar_followup_responsible_id", "ilike", self.manager.name)]),
            self.held,
        )
        fields_ = Partner.fields_get(["ar_credit_hold", "ar_next_followup_date"])
        self.assertTrue(fields_["ar_credit_hold"]["sortable"])
        self.assertTrue(fields_["ar_next_followup_date"]["groupable"])

    def test_the_run_keeps_the_accounts_level_and_next_date(self):
        """Over a sequence of runs, a new invoice and a payment, the account's level and next
        date are those of the customer's open invoices (the highest level, the earliest next
        date), and an account without open invoices has neither."""
        customer = self._customer("Account Ladder")
        first = self._invoice(customer, 100.0, days(-10))
        for day in (0, 7, 14, 21, 28):
            if day == 7:
                self._invoice(customer, 50.0, days(10))
            if day == 28:
                self._pay(first, 100.0, days(28))
            self._run(days(day))
            account = self._account(customer)
            self.assertEqual(len(account), 1, "created by the first run")
            open_states = self.env["ar.followup.move.state"].search(
                [
                    ("move_id.commercial_partner_id", "=", customer.id),
                    ("move_id.amount_residual", ">", 0),
                ]
            )
            levels = open_states.level_id.sorted("delay")
            self.assertEqual(account.followup_level_id, levels[-1:], f"day {day}")
            dates = [d for d in open_states.mapped("next_date") if d]
            self.assertEqual(account.next_followup_date, min(dates) if dates else False)
            self.assertEqual(customer.with_company(self.company).ar_followup_level_id, levels[-1:])
        # the first invoice paid: the level of the second alone
        self.assertEqual(
            account.followup_level_id,
            self.env["ar.followup.move.state"]
            .search([("move_id.commercial_partner_id", "=", customer.id)])
            .filtered(lambda s: s.move_id.amount_residual)
            .level_id,
        )

    def test_partner_many2one_fields_search_by_name_and_path(self):
        """The search view searches the responsible by name; a domain may go through it."""
        self.held.with_company(self.company).sudo().ar_followup_responsible_id = self.manager
        Partner = self.env["res.partner"].with_company(self.company)
        domain = [("name", "in", ("Account Held", "Customer One"))]
        name = self.manager.name
        for term, expected in (
            (("ar_followup_responsible_id", "ilike", name), self.held),
            (("ar_followup_responsible_id", "not ilike", name), self.customer),
            (("ar_followup_responsible_id", "=", name), self.held),
            (("ar_followup_responsible_id", "!=", name), self.customer),
            (("ar_followup_responsible_id.login", "=", "account_manager"), self.held),
            (("ar_followup_responsible_id", "=", False), self.customer),
            (("ar_followup_responsible_id", "in", self.manager.ids), self.held),
        ):
            self.assertEqual(Partner.search(domain + [term]), expected, term)


@tagged("post_install", "-at_install")
class TestCustomerAccountAttacks(ArFollowupCase, HttpCase):
    """What an attacker tried on the accounts (issue #30's security review), over JSON-RPC:
    each is refused with a clear error and leaves the hold where it was, or goes through the
    logged methods."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user(
            "attack_billing",
            "billing",
            groups="base.group_partner_manager",
            password="attack_billing",
        )
        cls.manager = cls._user("attack_manager", "credit_manager", password="attack_manager")
        cls.held = cls._customer("Attack Held")
        cls.env["ar.customer.account"]._ar_of(
            cls.held.with_company(cls.company)
        )._ar_set_credit_hold("Unpaid final notice", days(0))
        cls.contact = cls.env["res.partner"].create(
            {"name": "Attack Contact", "parent_id": cls.held.id}
        )
        cls.Account = cls.env["ar.customer.account"]

    def _held(self, partner):
        partner = partner.with_company(self.company)
        partner.invalidate_recordset()
        return partner.ar_credit_hold

    def test_a_manager_of_another_company_moves_and_deletes_none_of_ours(self):
        """A credit-control manager of company B only: our held customer's contact is not
        taken out of it, the customer not put under another, nor deleted, nor merged."""
        other = self.setup_other_company(name="Attack Company B")["company"]
        self._user("attack_manager_b", "credit_manager", company=other, password="attack_manager_b")
        theirs = {"context": {"allowed_company_ids": other.ids}}
        shell = self.env["res.partner"].create({"name": "Attack Shell", "is_company": True})
        attacks = [
            ("write", [self.contact.id], {"parent_id": False}),
            ("write", [self.held.id], {"parent_id": shell.id, "is_company": False}),
            ("unlink", [self.held.id]),
        ]
        for method, *args in attacks:
            result = self._rpc("attack_manager_b", "res.partner", method, *args, **theirs)
            self.assertEqual(result[0], "error", (method, result))
            self.assertNotIn("Traceback", result[2])
        self.assertEqual(self.contact.parent_id, self.held)
        self.assertFalse(self.held.parent_id)
        self.assertTrue(self._held(self.held))
        wizard = self._rpc(
            "attack_manager_b",
            "base.partner.merge.automatic.wizard",
            "create",
            {"partner_ids": [Command.set([self.held.id, shell.id])], "dst_partner_id": shell.id},
            **theirs,
        )
        self.assertEqual(wizard[0], "ok", wizard)
        merge = self._rpc(
            "attack_manager_b",
            "base.partner.merge.automatic.wizard",
            "action_merge",
            [wizard[1]],
            **theirs,
        )
        self.assertEqual(merge[0], "error", merge)
        self.assertTrue(self.held.exists())
        # a manager of both companies may (the customer's data are his)
        result = self._rpc("attack_manager", "res.partner", "write", [self.contact.id], {})
        self.assertEqual(result[0], "ok", result)

    def _releases(self, partner):
        return self.env["ar.followup.history"].search_count(
            [("partner_id", "=", partner.id), ("channel", "=", "release")]
        )

    def test_the_commercial_entity_is_not_written_by_hand(self):
        for login in ("attack_billing", "attack_manager"):
            result = self._rpc(
                login,
                "res.partner",
                "write",
                [self.contact.id],
                {"commercial_partner_id": self.contact.id},
            )
            self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"), login)
            self.assertIn("follows its company", result[2])
        self.assertEqual(self.contact.commercial_partner_id, self.held)
        self.assertTrue(self._held(self.contact))
        # writing the value Odoo computes anyway is harmless
        self.assertEqual(
            self._rpc(
                "attack_billing",
                "res.partner",
                "write",
                [self.contact.id],
                {"commercial_partner_id": self.held.id},
            ),
            ("ok", True),
        )

    def test_a_billing_user_does_not_merge_away_a_hold(self):
        twin = self._customer("Attack Twin", email=self.held.email)
        twin.with_company(self.company).sudo().ar_followup_paused_until = days(1)
        wizard = self.env["base.partner.merge.automatic.wizard"]
        status, wizard_id = self._rpc(
            "attack_billing",
            wizard._name,
            "create",
            {
                "partner_ids": [(6, 0, [self.held.id, twin.id])],
                "dst_partner_id": twin.id,
                "state": "selection",
            },
        )
        self.assertEqual(status, "ok")
        result = self._rpc("attack_billing", wizard._name, "action_merge", [wizard_id])
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        self.assertTrue(self.held.exists())
        self.assertTrue(self._held(self.held))

    def test_a_manager_merge_keeps_the_one_account_with_credit_data(self):
        twin = self._customer("Attack Twin", email=self.held.email)
        twin.with_company(self.company).sudo().ar_followup_paused_until = days(1)
        # the account part of a merge (who may merge: the test above)
        Merge = self.env["base.partner.merge.automatic.wizard"].sudo()
        Merge._merge((self.held | twin).ids, dst_partner=twin)
        self.assertFalse(self.held.exists())
        account = self.Account.search([("partner_id", "=", twin.id)])
        self.assertEqual(len(account), 1)
        self.assertTrue(account.credit_hold, "the hold went with the merged customer")
        self.assertTrue(self._held(twin))
        # two customers with credit data in one company: settled first, not merged
        other = self._customer("Attack Other", email=twin.email)
        self.Account._ar_get(other, self.company)[other.id].credit_policy = "block"
        with self.assertRaisesRegex(UserError, "each have credit data"):
            Merge._merge((twin | other).ids, dst_partner=other)

    def test_an_account_stays_its_customers_in_its_company(self):
        account = self.Account.search([("partner_id", "=", self.held.id)])
        other = self._customer("Attack Moved")
        company_b = self.setup_other_company(name="Attack Company B")["company"]
        for vals in ({"partner_id": other.id}, {"company_id": company_b.id}):
            result = self._rpc("attack_manager", self.Account._name, "write", [account.id], vals)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"), vals)
        self.assertEqual((account.partner_id, account.company_id), (self.held, self.company))
        self.assertFalse(self._held(other))

    def test_what_the_follow_up_keeps_is_not_written_by_a_manager(self):
        account = self.Account.search([("partner_id", "=", self.held.id)])
        for vals in (
            {"followup_level_id": self.policy.level_ids[-1:].id},
            {"next_followup_date": "2030-01-01"},
            {"credit_review_notified": "2026-01-01"},
            {"credit_hold_reason": "forged"},
            {"credit_hold_origin": "followup"},
        ):
            result = self._rpc("attack_manager", self.Account._name, "write", [account.id], vals)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"), vals)
        self.assertEqual(
            (account.followup_level_id, account.credit_hold_origin, account.credit_hold_reason),
            (self.Account.followup_level_id, "manual", "Unpaid final notice"),
        )

    def test_a_billing_user_does_not_delete_a_held_customer(self):
        result = self._rpc("attack_billing", "res.partner", "unlink", [self.held.id])
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        self.assertTrue(self.held.exists())
        # a contact of it, or a customer without credit data, is deleted as before
        self.assertEqual(
            self._rpc("attack_billing", "res.partner", "unlink", [self.contact.id]), ("ok", True)
        )
        plain = self._customer("Attack Plain")
        self.assertEqual(
            self._rpc("attack_billing", "res.partner", "unlink", [plain.id]), ("ok", True)
        )

    def test_a_hold_is_not_changed_with_the_partners_company(self):
        parent = self._customer("Attack Parent")
        result = self._rpc(
            "attack_manager",
            "res.partner",
            "write",
            [self.held.id],
            {"ar_credit_hold": False, "parent_id": parent.id, "is_company": False},
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"))
        self.assertIn("in two steps", result[2])
        self.assertTrue(self._held(self.held))
        self.assertFalse(self.held.parent_id)
        self.assertEqual(self._releases(self.held), 0)

    def test_a_hold_asked_at_creation_is_logged(self):
        status, pid = self._rpc(
            "attack_manager",
            "res.partner",
            "create",
            {"name": "Attack New", "ar_credit_hold": True},
        )
        self.assertEqual(status, "ok")
        partner = self.env["res.partner"].browse(pid).with_company(self.company)
        account = partner.ar_account_id
        self.assertEqual((partner.ar_credit_hold, account.credit_hold_origin), (True, "manual"))
        self.assertEqual(account.credit_hold_reason, f"by {self.manager.name}")
        self.assertEqual(
            self.env["ar.followup.history"].search_count(
                [("partner_id", "=", pid), ("channel", "=", "hold")]
            ),
            1,
        )
        result = self._rpc(
            "attack_billing", "res.partner", "create", {"name": "X", "ar_credit_hold": True}
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))

    def test_the_responsible_is_an_internal_user(self):
        portal = self._user("attack_portal", "portal")
        result = self._rpc(
            "attack_billing",
            "res.partner",
            "write",
            [self.held.id],
            {"ar_followup_responsible_id": portal.id},
        )
        self.assertEqual(result[:2], ("error", "odoo.exceptions.ValidationError"))
        self.assertFalse(self.held.with_company(self.company).ar_followup_responsible_id)

    def test_many2one_fields_searched_by_names_and_hierarchy(self):
        Partner = self.env["res.partner"].with_company(self.company)
        self.held.with_company(self.company).sudo().ar_followup_policy_id = self.policy
        domain = [("id", "in", (self.held | self.customer).ids)]
        for term, expected in (
            (("ar_followup_policy_id", "in", [self.policy.name]), self.held),
            (("ar_followup_policy_id", "not in", [self.policy.name]), self.customer),
            (("ar_followup_policy_id", "child_of", self.policy.id), self.held),
            (("ar_followup_policy_id", "parent_of", [self.policy.id]), self.held),
        ):
            self.assertEqual(Partner.search(domain + [term]), expected, term)

    def test_what_the_follow_up_keeps_is_not_created_or_copied_by_a_manager(self):
        """Found by the attack of the account's page: ``create`` and ``copy`` took what
        ``write`` refuses (a level, of another company too, and the next dates)."""
        other = self._customer("Attack Created")
        level = self.policy.level_ids[-1:]
        for vals in (
            {"next_followup_date": "2000-01-01"},
            {"credit_review_notified": "2000-01-01"},
            {"followup_level_id": level.id},
        ):
            result = self._rpc(
                "attack_manager",
                self.Account._name,
                "create",
                {"partner_id": other.id, "company_id": self.company.id, **vals},
            )
            self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"), vals)
        self.assertFalse(self.Account.search([("partner_id", "=", other.id)]))
        account = self._account(self._customer("Attack Copied"))
        account.sudo().write({"followup_level_id": level.id, "next_followup_date": days(5)})
        status, copy_id = self._rpc(
            "attack_manager", self.Account._name, "copy", [account.id], {"partner_id": other.id}
        )
        self.assertEqual(status, "ok")
        copy = self.Account.browse(copy_id)
        self.assertFalse(copy.followup_level_id or copy.next_followup_date)

    def test_a_held_customer_is_not_made_a_contact(self):
        """Found by the attack: a manager made a held customer a contact of another, and its
        hold stopped applying without a release in the history."""
        parent = self._customer("Attack New Parent")
        for vals in ({"parent_id": parent.id, "is_company": False},):
            result = self._rpc("attack_manager", "res.partner", "write", [self.held.id], vals)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.UserError"), vals)
            self.assertIn("lift that first", result[2])
        self.assertFalse(self.held.parent_id)
        self.assertTrue(self._held(self.held))
        # lifted first (logged), it may be moved
        self._account(self.held).sudo(False).with_user(self.manager).write({"credit_hold": False})
        result = self._rpc(
            "attack_manager",
            "res.partner",
            "write",
            [self.held.id],
            {"parent_id": parent.id, "is_company": False},
        )
        self.assertEqual(result, ("ok", True))
        self.assertEqual(self._releases(self.held), 1)
