"""Collection agencies as records of their own (issue #30): the terms of a contact that
collects claims, the manager's by the access rights; the address its dossiers go to is the
agency's, not the contact's own e-mail; bad input refused in words, nothing stored."""

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ArFollowupCase


@tagged("post_install", "-at_install")
class TestCollectionAgency(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user("agency_billing", "billing", name="Bea Billing")
        cls.Agency = cls.env["ar.collection.agency"].with_user(cls.credit_manager)
        cls.visser = cls.env["res.partner"].create(
            {"name": "Deurwaarders Visser", "is_company": True, "email": "info@visser.example"}
        )

    def test_the_address_is_the_contacts_when_marked_and_stays_the_agencys(self):
        agency = self.Agency.create({"partner_id": self.visser.id, "kind": "bailiff"})
        self.assertEqual(agency.email, "info@visser.example")
        self.visser.email = "other@visser.example"
        agency.invalidate_recordset()
        self.assertEqual(agency.email, "info@visser.example")
        agency.email = "zaken@visser.example"
        self.assertEqual(agency.email, "zaken@visser.example")
        # and a case for it reads its terms
        case = (
            self.env["ar.collection.case"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.customer.id, "agency_id": self.visser.id})
        )
        self.assertEqual(case.collection_agency_id, agency)
        self.assertEqual(case.agency_kind, "bailiff")

    def test_bad_terms_are_refused_and_nothing_is_stored(self):
        nameless = self.env["res.partner"].create({"name": "No Mail Incasso", "email": False})
        bad = [
            ({"partner_id": nameless.id}, ValidationError, "needs one valid e-mail address"),
            (
                {"partner_id": self.visser.id, "commission": 150.0},
                ValidationError,
                "between 0 and 100",
            ),
            (
                {"partner_id": self.visser.id, "commission": -1.0},
                ValidationError,
                "between 0 and 100",
            ),
        ]
        for vals, error, message in bad:
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(error, message),
                self.env.cr.savepoint(),
            ):
                self.Agency.create(vals)
        self.assertFalse(self.env["ar.collection.agency"].search([]))
        agency = self.Agency.create({"partner_id": self.visser.id, "commission": 12.5})
        # the same contact twice: refused in words, as the web client shows it
        with mute_logger("odoo.sql_db", "odoo.http"):
            result = self._rpc(
                "ar_manager", "ar.collection.agency", "create", {"partner_id": self.visser.id}
            )
        self.assertEqual(result[0], "error", result)
        self.assertIn("marked already", result[2])
        with (
            self.assertRaisesRegex(ValidationError, "needs one valid e-mail address"),
            self.env.cr.savepoint(),
        ):
            agency.email = False
        agency.invalidate_recordset()
        self.assertEqual(self.env["ar.collection.agency"].search_count([]), 1)
        self.assertEqual((agency.email, agency.commission), ("info@visser.example", 12.5))

    def test_only_a_manager_marks_agencies_also_over_rpc(self):
        agency = self.Agency.create({"partner_id": self.visser.id, "commission": 10.0})
        read = self._rpc("agency_billing", "ar.collection.agency", "read", [agency.id], ["email"])
        self.assertEqual(read[0], "ok", read)
        attacks = [
            ("write", [agency.id], {"email": "evil@attacker.example"}),
            ("write", [agency.id], {"commission": 0.0}),
            ("create", {"partner_id": self.customer.id, "email": "evil@attacker.example"}),
            ("unlink", [agency.id]),
        ]
        for method, *args in attacks:
            result = self._rpc("agency_billing", "ar.collection.agency", method, *args)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), method)
        # a portal user reads nothing of it
        self._user("agency_portal", "portal", name="Pat Portal")
        result = self._rpc("agency_portal", "ar.collection.agency", "read", [agency.id], ["email"])
        self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"))
        self.assertEqual((agency.email, agency.commission), ("info@visser.example", 10.0))
        self.assertEqual(self.env["ar.collection.agency"].search_count([]), 1)

    def test_an_agency_is_its_companys(self):
        """The terms of an agency are its company's: a credit-control manager of another
        company neither reads, changes nor deletes them (he marks the contact for his own
        company), and a case of his company does not read them."""
        agency = self.Agency.create({"partner_id": self.visser.id, "commission": 10.0})
        other = self.setup_other_company(name="Agency Company B")["company"]
        self._user("agency_manager_b", "credit_manager", company=other)
        theirs = {"context": {"allowed_company_ids": other.ids}}
        found = self._rpc("agency_manager_b", "ar.collection.agency", "search_read", [], **theirs)
        self.assertEqual(found, ("ok", []))
        attacks = [
            ("read", [agency.id], ["email"]),
            ("write", [agency.id], {"email": "evil@attacker.example"}),
            ("unlink", [agency.id]),
        ]
        for method, *args in attacks:
            result = self._rpc("agency_manager_b", "ar.collection.agency", method, *args, **theirs)
            self.assertEqual(result[:2], ("error", "odoo.exceptions.AccessError"), method)
        self.assertEqual(agency.email, "info@visser.example")
        result = self._rpc(
            "agency_manager_b",
            "ar.collection.agency",
            "create",
            {"partner_id": self.visser.id, "email": "b@visser.example"},
            **theirs,
        )
        self.assertEqual(result[0], "ok", result)
        self.assertEqual(self.env["ar.collection.agency"].browse(result[1]).company_id, other)
        self.assertEqual(agency.email, "info@visser.example")
        # and bad input over RPC is refused in words
        for vals in ({"email": ["a@b.example", "c@d.example"]}, {"email": "not an address"}):
            result = self._rpc("ar_manager", "ar.collection.agency", "write", [agency.id], vals)
            self.assertEqual(result[0], "error", result)
            self.assertIn("valid e-mail address", result[2])
