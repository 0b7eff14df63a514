from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ArFollowupCase, csrf_token_in, days


@tagged("post_install", "-at_install")
class TestDisputePortal(ArFollowupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls._customer("Portal Buyer")
        cls.portal_user = cls._user(
            "dsp_portal_user",
            "portal",
            password="dsp_portal_user",
            partner_id=cls.portal_partner.id,
        )
        cls.other_partner = cls._customer("Other Buyer")
        cls.other_user = cls._user(
            "dsp_other_user", "portal", password="dsp_other_user", partner_id=cls.other_partner.id
        )
        cls.invoice = cls._invoice(cls.portal_partner, 400.0, days(-10))
        cls.other_invoice = cls._invoice(cls.other_partner, 300.0, days(-10))

    def _form_url(self, invoice, token=None):
        url = f"/my/invoices/{invoice.id}/dispute"
        return url + (f"?access_token={token}" if token else "")

    def _csrf(self):
        return csrf_token_in(self.url_open(self._form_url(self.invoice)).text)

    def test_form_and_validation_keep_input(self):
        self.authenticate("dsp_portal_user", "dsp_portal_user")
        page = self.url_open(self._form_url(self.invoice))
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.invoice.name, page.text)
        self.assertIn('value="400.00"', page.text)
        csrf = self._csrf()
        bad = self.url_open(
            self._form_url(self.invoice),
            data={
                "csrf_token": csrf,
                "reason": "quality",
                "description": "Scratched panels",
                "amount": "400.01",
            },
        )
        self.assertEqual(bad.status_code, 200)
        self.assertIn("cannot be more than the open amount", bad.text)
        self.assertIn("Scratched panels", bad.text, "what was typed is kept")
        self.assertIn('value="400.01"', bad.text)
        self.assertFalse(self.invoice.ar_dispute_ids)
        bad = self.url_open(
            self._form_url(self.invoice),
            data={"csrf_token": csrf, "reason": "nonsense", "description": "", "amount": "abc"},
        )
        self.assertIn("Choose what the dispute is about", bad.text)
        self.assertIn("Tell us in a few words", bad.text)
        self.assertIn("as a number", bad.text)
        self.assertFalse(self.invoice.ar_dispute_ids)

    def test_bad_input_gives_a_message_not_a_500(self):
        """Numbers Python's float() takes but no amount is, NUL bytes: HTTP 200 with the
        message, what was typed kept, nothing stored."""
        self.authenticate("dsp_portal_user", "dsp_portal_user")
        csrf = self._csrf()
        valid = {"csrf_token": csrf, "reason": "quality", "description": "Scratched panels"}
        for amount, message in (
            ("1e309", "as a number"),
            ("inf", "as a number"),
            ("-inf", "as a number"),
            ("nan", "as a number"),
            ("Infinity", "as a number"),
            ("9" * 5000, "as a number"),
            ("1.7e308", "as a number"),
            ("-1.7e308", "as a number"),
            ("-5", "must be more than zero"),
            ("1.2.3,4", "as a number"),
            ("0.001", "must be more than zero"),
            ("12\x00", "as a number"),
        ):
            response = self.url_open(self._form_url(self.invoice), data={**valid, "amount": amount})
            self.assertEqual(response.status_code, 200, amount[:20])
            self.assertIn(message, response.text, amount[:20])
            self.assertIn("Scratched panels", response.text, "what was typed is kept")
            self.assertFalse(self.invoice.ar_dispute_ids, amount[:20])
        self.assertIn('value="Infinity"', response.text.replace('value="12"', 'value="Infinity"'))
        # what is typed comes back escaped, never as markup
        response = self.url_open(
            self._form_url(self.invoice),
            data={**valid, "amount": "inf", "description": "<script>alert(1)</script>"},
        )
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", response.text)
        self.assertNotIn("<script>alert(1)", response.text)
        response = self.url_open(
            self._form_url(self.invoice),
            data={**valid, "amount": "10", "description": "Broken\x00 glass"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("NUL byte", response.text)
        self.assertIn("Broken glass", response.text, "what was typed is kept, without the NUL")
        response = self.url_open(
            self._form_url(self.invoice),
            data={**valid, "amount": "10"},
            files={"attachments": ("photo\x00.jpg", b"jpeg", "image/jpeg")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("rename the file", response.text)
        self.assertFalse(self.invoice.ar_dispute_ids)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=like", "photo%.jpg")]))

    def test_the_amount_as_the_customers_language_writes_it(self):
        """A Dutch customer gets the open amount as Dutch writes it and may type 2.000,00
        (the demo's Café De Hoek was told "as a number, e.g. 125,50")."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.portal_partner.lang = "nl_NL"
        invoice = self._invoice(self.portal_partner, 8474.84, days(-10))
        self.authenticate("dsp_portal_user", "dsp_portal_user")
        page = self.url_open(self._form_url(invoice))
        self.assertIn('value="8.474,84"', page.text)
        self.assertIn('<option value="quality">Kwaliteit</option>', page.text)
        response = self.url_open(
            self._form_url(invoice),
            data={
                "csrf_token": csrf_token_in(page.text),
                "reason": "quality",
                "description": "Beschadigde pallets",
                "amount": "2.000,00",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        self.assertEqual(invoice.ar_dispute_ids.amount_disputed, 2000.0)

    def test_customer_downloads_its_files(self):
        """The customer's files are on its own message in the portal chatter (not an internal
        note) and listed on the dispute page: that customer downloads them, another one
        does not."""
        self.authenticate("dsp_portal_user", "dsp_portal_user")
        csrf = self._csrf()
        self.url_open(
            self._form_url(self.invoice),
            data={
                "csrf_token": csrf,
                "reason": "delivery",
                "description": "Only half delivered",
                "amount": "150",
            },
            files={"attachments": ("delivery-note.txt", b"signed for 5 of 10 boxes", "text/plain")},
        )
        dispute = self.invoice.ar_dispute_ids
        attachment = dispute._ar_customer_attachments()
        self.assertEqual(attachment.name, "delivery-note.txt")
        message = dispute.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        self.assertEqual(message.author_id, self.portal_partner)
        self.assertFalse(message.is_internal or message.subtype_id.internal, "not a note")
        page = self.url_open(f"/my/disputes/{dispute.id}")
        self.assertIn("delivery-note.txt", page.text)
        token = attachment.access_token
        link = f"/web/content/{attachment.id}?download=true&amp;access_token={token}"
        self.assertIn(link, page.text)
        download = self.url_open(link.replace("&amp;", "&"))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, b"signed for 5 of 10 boxes")
        # another customer: neither the page nor the file
        self.authenticate("dsp_other_user", "dsp_other_user")
        self.assertEqual(self.url_open(f"/my/disputes/{dispute.id}").status_code, 403)
        self.assertIn(self.url_open(f"/web/content/{attachment.id}").status_code, (403, 404))
        self.assertIn(
            self.url_open(f"/web/content/{attachment.id}?access_token=guess").status_code,
            (403, 404),
        )
        # nobody logged in, with the dispute's token (the link of its e-mails)
        self.authenticate(None, None)
        dispute._portal_ensure_token()
        page = self.url_open(f"/my/disputes/{dispute.id}?access_token={dispute.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(link, page.text)
        self.assertEqual(
            self.url_open(link.replace("&amp;", "&")).content, b"signed for 5 of 10 boxes"
        )
        self.assertIn(self.url_open(f"/web/content/{attachment.id}").status_code, (403, 404))

    def test_dispute_created_and_listed(self):
        self.authenticate("dsp_portal_user", "dsp_portal_user")
        csrf = self._csrf()
        response = self.url_open(
            self._form_url(self.invoice),
            data={
                "csrf_token": csrf,
                "reason": "delivery",
                "description": "Only half delivered",
                "amount": "150,50",
            },
            files={"attachments": ("delivery-note.txt", b"signed for 5 of 10 boxes", "text/plain")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        dispute = self.invoice.ar_dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.amount_disputed, 150.50)
        self.assertEqual(dispute.reason, "delivery")
        self.assertEqual(dispute.partner_id, self.portal_partner)
        self.assertEqual(
            self.env["ir.attachment"]
            .search([("res_model", "=", "ar.dispute"), ("res_id", "=", dispute.id)])
            .name,
            "delivery-note.txt",
        )
        self.assertIn(f"/my/disputes/{dispute.id}", response.headers["Location"])
        listing = self.url_open("/my/disputes")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(dispute.name, listing.text)
        detail = self.url_open(f"/my/disputes/{dispute.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("Only half delivered", detail.text)
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/disputes"', home.text, "the portal home links the disputes")
        # a second dispute on the same invoice goes to the open one
        again = self.url_open(self._form_url(self.invoice), allow_redirects=False)
        self.assertIn(f"/my/disputes/{dispute.id}", again.headers["Location"])

    def test_forbidden_cases(self):
        other_dispute = self.env["ar.dispute"].create(
            {
                "partner_id": self.other_partner.id,
                "move_ids": [Command.set(self.other_invoice.ids)],
                "reason": "other",
            }
        )
        self.authenticate("dsp_portal_user", "dsp_portal_user")
        csrf = self._csrf()
        # another customer's invoice and dispute: forbidden, nothing of it shown
        response = self.url_open(self._form_url(self.other_invoice))
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.other_invoice.name, response.text)
        response = self.url_open(
            self._form_url(self.other_invoice),
            data={
                "csrf_token": csrf,
                "reason": "quality",
                "description": "Forged id",
                "amount": "1",
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(
            self.other_invoice.ar_dispute_ids.filtered(lambda d: d.description == "Forged id")
        )
        response = self.url_open(f"/my/disputes/{other_dispute.id}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(other_dispute.name, response.text)
        self.assertNotIn(other_dispute.name, self.url_open("/my/disputes").text)
        # a missing record
        self.assertEqual(self.url_open("/my/disputes/999999").status_code, 404)
        self.assertEqual(
            self.url_open(self._form_url(self.invoice.browse(999999))).status_code, 404
        )
        # wrong token
        response = self.url_open(self._form_url(self.other_invoice, token="not-the-token"))
        self.assertEqual(response.status_code, 403)
        # no CSRF token: refused
        response = self.url_open(
            self._form_url(self.invoice),
            data={"reason": "quality", "description": "No token here", "amount": "10"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.invoice.ar_dispute_ids)

    def test_access_token_without_login(self):
        self.invoice._portal_ensure_token()
        token = self.invoice.access_token
        page = self.url_open(self._form_url(self.invoice, token))
        self.assertEqual(page.status_code, 200)
        csrf = csrf_token_in(page.text)
        response = self.url_open(
            self._form_url(self.invoice),
            data={
                "csrf_token": csrf,
                "access_token": token,
                "reason": "pricing",
                "description": "Wrong unit price",
                "amount": "40",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        dispute = self.invoice.ar_dispute_ids
        self.assertEqual(dispute.amount_disputed, 40.0)
        self.assertIn("access_token=", response.headers["Location"])
        # the dispute page is reachable with its own token only
        self.assertEqual(self.url_open(response.headers["Location"]).status_code, 200)
        self.assertEqual(
            self.url_open(f"/my/disputes/{dispute.id}?access_token=x").status_code, 403
        )
        # the invoice's token does not open another invoice
        self.assertEqual(self.url_open(self._form_url(self.other_invoice, token)).status_code, 403)

    def test_portal_invoice_pages_offer_the_dispute(self):
        self.authenticate("dsp_portal_user", "dsp_portal_user")
        page = self.url_open(self.invoice.get_portal_url())
        self.assertIn("Dispute this invoice", page.text)
        listing = self.url_open("/my/invoices")
        self.assertIn(f"/my/invoices/{self.invoice.id}/dispute", listing.text)

    def test_tour_portal_user_disputes_an_invoice(self):
        self.start_tour("/my/invoices", "ar_followup_portal_dispute", login="dsp_portal_user")
        dispute = self.invoice.ar_dispute_ids
        self.assertEqual(dispute.reason, "quality")
        self.assertEqual(dispute.amount_disputed, 400.0)
