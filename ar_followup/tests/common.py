import json
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.models.ir_mail_server import IrMailServer

# The users of the tests, by role: their groups.
ROLES = {
    "billing": "account.group_account_invoice,base.group_user",
    "credit_user": "ar_followup.group_ar_user,base.group_user",
    "credit_manager": "ar_followup.group_ar_manager,base.group_user",
    "internal": "base.group_user",
    "portal": "base.group_portal",
}

# Every test works at pinned dates around this day.
D0 = date(2026, 3, 2)


def days(n):
    return D0 + timedelta(days=n)


def csrf_token_in(html):
    """The CSRF token of the first form of a portal page."""
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


class ArFollowupCase(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.company_data["company"]
        cls.policy = cls.company.ar_default_policy_id
        cls.levels = {level.delay: level for level in cls.policy.level_ids}
        cls.Run = cls.env["ar.followup.run"]
        cls.credit_manager = cls._user("ar_manager", "credit_manager", name="Credit Manager")
        cls.account_manager = cls._user("ar_account_manager", "internal", name="Account Manager")
        cls.customer = cls._customer("Customer One")

    @classmethod
    def _agency(cls, name, kind="agency", contact_email=None, **terms):
        """A contact marked as a collection agency (bailiff, lawyer) with ``terms``
        (``ar.collection.agency``'s fields): the contact's own e-mail is ``contact_email``."""
        partner = cls.env["res.partner"].create(
            {"name": name, "is_company": True, "email": contact_email, "lang": "en_US"}
        )
        cls.env["ar.collection.agency"].create({"partner_id": partner.id, "kind": kind, **terms})
        return partner

    @classmethod
    def _user(cls, login, role, company=None, groups="", **values):
        """A user of ``role`` (see :data:`ROLES`, plus ``groups``) in ``company`` (default:
        the test company) only."""
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            groups=",".join(filter(None, [ROLES[role], groups])),
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            **values,
        )

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": "{}@example.com".format(name.lower().replace(" ", ".")),
                "lang": "en_US",
                "phone": "+31 20 123 4567",
                **values,
            }
        )

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        due,
        currency=None,
        move_type="out_invoice",
        post=True,
        company=None,
        invoice_date=None,
        override=False,
    ):
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": invoice_date or due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Goods",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            if override:
                # the customer is on hold: a credit-control manager's override, then posted
                cls.env["ar.credit.override"].with_user(cls.credit_manager).create(
                    {"res_model": "account.move", "res_id": move.id, "reason": "Test"}
                )
            action = move.action_post()
            # the button asks a manager for an override instead of posting (#28): say so
            assert move.state == "posted", f"{move.display_name} not posted: {action}"
        return move

    @classmethod
    def _demo_provider(cls):
        """Odoo's demo payment provider, for the test company (as `make demo` enables it)."""
        demo = cls.env.ref("payment.payment_provider_demo").sudo()
        provider = demo.copy({"company_id": cls.company.id, "state": "test", "is_published": True})
        provider.journal_id = cls.company_data["default_journal_bank"]
        method = cls.env.ref("payment_demo.payment_method_demo").sudo()
        method.active = True
        return provider.with_env(cls.env), method.with_env(cls.env)

    @classmethod
    def _pay(cls, invoice, amount, on=None):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": on or invoice.invoice_date})
            ._create_payments()
        )

    def _set_followup_state(self, invoice, level, last_date):
        """Put ``invoice`` at ``level``, reached on ``last_date`` (as an earlier run would)."""
        State = self.env["ar.followup.move.state"].sudo()
        state = State.search([("move_id", "=", invoice.id)])
        values = {"level_id": level.id if level else False, "last_date": last_date}
        if state:
            state.write(values)
        else:
            State.create({"move_id": invoice.id, **values})

    def _run(self, on, send=True, **kwargs):
        """The follow-up of ``on``; then the mail queue sends its e-mails (as Odoo's mail
        scheduler does between two daily runs; in tests the mail server accepts everything),
        unless ``send`` is false."""
        run = self.Run.with_company(kwargs.pop("company", self.company)).process(on, **kwargs)
        if send:
            self._send_queue()
        return run

    def _set_batch_size(self, size):
        """The run works in batches of ``size`` customers (the system parameter)."""
        self.env["ir.config_parameter"].sudo().set_param("ar_followup.batch_size", size)

    def _statement(self, partner, on, company=None):
        """The statement of ``partner`` at ``on`` (ar.followup.statement)."""
        return self.env["ar.followup.statement"]._ar_statement(partner, on, company or self.company)

    def _reminder(self, partner, on, level=None, company=None):
        """The reminder of ``level`` (default: the 14-day letter's template's level) to
        ``partner`` at ``on``, as the preview builds it: not saved."""
        return self.env["ar.followup.reminder"].new(
            {
                "company_id": (company or self.company).id,
                "date": on,
                "partner_id": partner.commercial_partner_id.id,
                "level_id": (level or self.levels[7]).id,
                "channel": "email",
            }
        )

    @contextmanager
    def _smtp_down(self):
        def refuse(*args, **kwargs):
            raise ConnectionRefusedError(111, "Connection refused")

        with patch.object(IrMailServer, "connect", refuse):
            yield

    def _send_queue_at(self, when):
        with freeze_time(when):
            self._send_queue()

    def _make_fourteen_day_letter(self, level, **values):
        """Make ``level`` a 14-day letter: its template and letter text state the costs."""
        level.write(
            {
                "is_fourteen_day_letter": True,
                "mail_template_id": self.env.ref(
                    "ar_followup.mail_template_fourteen_day_letter"
                ).id,
                "letter_text": "<p>Pay within 14 days, else collection costs of "
                "{collection_costs}.</p>",
                **values,
            }
        )

    @classmethod
    def _account(cls, partner):
        """The customer's account in the partner's company (made when first needed), as the
        partner's *Customer account* button opens it."""
        account = cls.env["ar.customer.account"]._ar_of(partner).with_env(partner.env)
        account.invalidate_recordset()  # its figures as a page loaded now shows them
        return account

    @classmethod
    def _set_credit(cls, partner, **values):
        """Odoo's ``credit_limit`` on the partner, the rest (``credit_policy``...) on its
        account, as the user of ``partner`` sets them on the two forms."""
        if "credit_limit" in values:
            partner.write({"credit_limit": values.pop("credit_limit")})
        if values:
            cls._account(partner).write(values)

    def _server_action(self, xmlid, records, user=None):
        """The server action ``xmlid`` run on ``records`` as the list's Action menu runs it."""
        action = self.env.ref(xmlid)
        if user:
            action = action.with_user(user)
        return action.with_context(active_model=records._name, active_ids=records.ids).run()

    def _rpc(self, login, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over JSON-RPC as ``login`` (whose password is its
        login), as the web client calls it (an ``HttpCase``): ``("ok", result)``, or
        ``("error", the error's name, its message)``."""
        self.authenticate(login, login)
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": {"context": {"allowed_company_ids": self.company.ids}, **kwargs},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        if "error" in body:
            return "error", body["error"]["data"]["name"], body["error"]["data"]["message"]
        return "ok", body.get("result")  # Odoo leaves out a result of None

    def _go_ahead(self, document, user, reason="Paid by phone; the bank confirmed it"):
        """``user``, a credit-control manager, presses the document's button (post, confirm,
        validate), gets the credit override's dialog, gives ``reason`` and goes ahead: the
        dialog's result."""
        button = document._ar_credit_document_action()
        action = getattr(document.with_user(user), button)()
        self.assertEqual(action.get("res_model"), "ar.credit.override.wizard", action)
        self.assertFalse(document.state in ("posted", "sale", "done"))
        wizard = self.env["ar.credit.override.wizard"].with_user(user).browse(action["res_id"])
        wizard.reason = reason
        return wizard.action_confirm()

    def _refused(self, login, model, method, *args, **kwargs):
        """``model.method`` over JSON-RPC as ``login`` is refused with a clean error (no
        traceback): its message."""
        result = self._rpc(login, model, method, *args, **kwargs)
        self.assertEqual(result[0], "error", (model, method, result))
        self.assertNotIn("Traceback", result[2])
        return result[2]

    def _ok(self, login, model, method, *args, **kwargs):
        """``model.method`` over JSON-RPC as ``login`` goes through: its result."""
        result = self._rpc(login, model, method, *args, **kwargs)
        self.assertEqual(result[0], "ok", (model, method, result))
        return result[1]

    def _transaction(self, partner, amount, reference, orders=None, invoices=None, done=True):
        """An online payment of ``partner`` with Odoo's demo provider, made as the portal's
        flow makes it (as the superuser), for ``orders`` or ``invoices``; ``done``: confirmed
        and post-processed (by the scheduled action, OdooBot), else left a draft."""
        if not getattr(self, "_provider_method", None):
            self._provider_method = self._demo_provider()
        provider, method = self._provider_method
        values = {
            "provider_id": provider.id,
            "payment_method_id": method.id,
            "partner_id": partner.id,
            "amount": amount,
            "currency_id": self.company.currency_id.id,
            "reference": reference,
            "operation": "online_direct",
        }
        if orders is not None:
            values["sale_order_ids"] = [Command.set(orders.ids)]
            values["currency_id"] = orders.currency_id.id
        if invoices is not None:
            values["invoice_ids"] = [Command.set(invoices.ids)]
        tx = self.env["payment.transaction"].sudo().create(values)
        if done:
            tx._set_done()
            tx.with_user(self.env.ref("base.user_root"))._post_process()
        return tx

    def _send_queue(self):
        self.env["mail.mail"].sudo().process_email_queue()

    def _mails(self, partner):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)], order="id"
        )

    def _history(self, partner, channel=None):
        domain = [("partner_id", "=", partner.id)]
        if channel:
            domain.append(("channel", "=", channel))
        return self.env["ar.followup.history"].search(domain, order="id")

    def _activities(self, partner):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)], order="id"
        )
