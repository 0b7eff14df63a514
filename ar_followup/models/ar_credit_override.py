# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The one credit decision of the documents that give credit or goods: a customer invoice
posted, a sales order confirmed (or raised, or moved to another customer), a delivery done.

It is enforced where the state changes (``account.move.write`` to *posted*,
``sale.order.write``/``create`` to *sale*, ``stock.move.write`` to *done*), whatever method,
``sudo()`` or scheduled action got there: a document of a customer on credit hold, or above
its credit limit under the *Block* policy, goes ahead only with a credit-control manager's
override (``ar.credit.override``), given with a reason that the document's chatter keeps.
The superuser and OdooBot (crons, post-processing of payments) are never a manager.

The server's own documents that must go ahead (the follow-up's fee invoices) are named by the
server, in the process, through :func:`decided_by_system`: never a context key, which any
client can send over JSON-RPC."""

import contextlib
import contextvars

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

MANAGER = "ar_followup.group_ar_manager"

# (model, id) of the documents the server decided itself, for the code running inside
# :func:`decided_by_system` only (per thread or task; nothing a client sends reaches it)
_SYSTEM_DECIDED = contextvars.ContextVar("ar_followup_system_decided", default=frozenset())


@contextlib.contextmanager
def decided_by_system(records):
    """The credit decision of ``records`` is the server's own, for the code in the block:
    e.g. the fee invoice the follow-up run posts for a customer it has just put on hold."""
    token = _SYSTEM_DECIDED.set(
        _SYSTEM_DECIDED.get() | {(records._name, rid) for rid in records.ids}
    )
    try:
        yield
    finally:
        _SYSTEM_DECIDED.reset(token)


def is_decided_by_system(record):
    return (record._name, record.id) in _SYSTEM_DECIDED.get()


def server_today(env):
    """Today as the server's scheduled actions count it (in OdooBot's time zone), never in a
    time zone a client sends in its context: a credit decision's day."""
    tz = env.ref("base.user_root").sudo().tz or "UTC"
    return fields.Date.context_today(env["res.users"].with_context(tz=tz))


def is_credit_manager(user):
    """Whether ``user`` decides on credit: a credit-control manager, never the superuser or
    OdooBot (crons pass every group check, they decide nothing)."""
    return bool(user) and not user._is_superuser() and user.has_group(MANAGER)


class ArCreditOverride(models.Model):
    _name = "ar.credit.override"
    _description = "Credit Override"
    _order = "id desc"
    _rec_name = "res_name"

    res_model = fields.Char(string="Document model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, readonly=True, index=True
    )
    res_name = fields.Char(string="Document", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Credit-control manager",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(
        required=True,
        readonly=True,
        default=lambda self: server_today(self.env),
        help="An override is good on the day it is given, for the document's next step.",
    )
    amount = fields.Float(
        string="Up to",
        readonly=True,
        help="The document's amount (or, for a delivery, its quantity) when the override was "
        "given: a document raised since, or moved to another customer, needs a new one.",
    )
    snapshot = fields.Json(
        readonly=True,
        help="What the document was when the override was given (its amount; a delivery's "
        "quantity of each product): it covers that much, no more.",
    )
    reason = fields.Text(required=True, readonly=True, help="Why the manager goes ahead.")
    problems = fields.Text(
        string="Despite", readonly=True, help="The hold or the excess the manager overrode."
    )
    state = fields.Selection(
        [("approved", "Given"), ("used", "Used")],
        default="approved",
        required=True,
        readonly=True,
    )
    date_used = fields.Datetime(string="Used on", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not is_credit_manager(self.env.user):
            raise AccessError(
                self.env._("Only a credit-control manager can override a credit decision.")
            )
        for vals in vals_list:
            reason = (vals.get("reason") or "").strip()
            if not reason:
                raise ValidationError(self.env._("Give the reason of the credit override."))
            document = self._ar_document(vals.get("res_model"), vals.get("res_id"))
            problems = document._ar_credit_document_problems().get(document) or []
            vals.update(
                reason=reason,
                res_name=document.display_name,
                company_id=document.company_id.id,
                partner_id=document._ar_credit_document_customer().id,
                snapshot=document._ar_credit_document_snapshot(),
                amount=sum(document._ar_credit_document_snapshot().values()),
                problems="\n".join(problems),
                # what the system writes: never what a caller sends
                user_id=self.env.uid,
                date=server_today(self.env),
                state="approved",
                date_used=False,
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("A credit override is not changed; give a new one."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise AccessError(self.env._("A credit override is kept: it is the audit trail."))

    @api.model
    def _ar_document(self, res_model, res_id):
        """The document ``res_model``/``res_id`` that an override may be given on (a model
        of the credit decision, a record the user may read), else an error."""
        if (
            not isinstance(res_model, str)
            or res_model not in self.env
            or not hasattr(self.env[res_model], "_ar_credit_document_problems")
            or not isinstance(res_id, int)
        ):
            raise ValidationError(
                self.env._("A credit override is given on an invoice, an order or a delivery.")
            )
        document = self.env[res_model].browse(res_id).exists()
        if not document:
            raise ValidationError(self.env._("That document does not exist."))
        document.check_access("read")
        return document

    # -- the decision ----------------------------------------------------------------------

    @api.model
    def _ar_approvals(self, documents):
        """The overrides given today and not used yet on ``documents``: ``{document:
        override}`` (the newest of each, of a manager who still is one, for the document as
        it was then: the same customer, at most the same amount)."""
        if not documents:
            return {}
        overrides = (
            self.sudo()
            .search(
                [
                    ("res_model", "=", documents._name),
                    ("res_id", "in", documents.ids),
                    ("state", "=", "approved"),
                    ("date", "=", server_today(self.env)),
                ],
                order="id desc",
            )
            .filtered(lambda o: is_credit_manager(o.user_id))
        )
        approvals = {}
        for override in overrides:
            document = documents.browse(override.res_id)
            if document in approvals or not override._ar_covers(document):
                continue
            approvals[document] = override
        return approvals

    def _ar_covers(self, document):
        """Whether this override still covers ``document``: its customer, and no more of
        anything than then (the amount; a delivery's quantity of each product, no other
        product)."""
        self.ensure_one()
        if document._ar_credit_document_customer() != self.partner_id:
            return False
        approved = self.snapshot or {}
        return all(
            key in approved and float_compare(value, approved[key], 2) <= 0
            for key, value in document._ar_credit_document_snapshot().items()
        )

    @api.model
    def _ar_decide(self, problems, refusal, override):
        """The credit decision of documents changing state: ``problems`` is ``{document: [why
        not]}`` (all of one model); each document with problems goes ahead only on an
        override given by a credit-control manager, which is then used and logged on the
        document (``override``: "Confirmed by %(user)s despite:"); else nothing goes ahead
        and the first document's problems and ``refusal`` are the error."""
        problems = {document: lines for document, lines in problems.items() if lines}
        if not problems:
            return
        documents = next(iter(problems)).browse([d.id for d in problems])
        approvals = self._ar_approvals(documents)
        missing = [document for document in problems if document not in approvals]
        if missing:
            raise UserError(self._ar_refusal(problems[missing[0]], refusal))
        now = fields.Datetime.now()
        for document, lines in problems.items():
            approval = approvals[document]
            approval.sudo().write({"state": "used", "date_used": now})
            document.sudo()._message_log(
                body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
                % (
                    override % {"user": approval.user_id.name},
                    Markup().join(Markup("<li>%s</li>") % line for line in lines),
                    self.env._("Reason: %(reason)s", reason=approval.reason),
                )
            )

    @api.model
    def _ar_refusal(self, lines, refusal):
        """The error of a credit decision: why, who may go ahead and how."""
        how = (
            self.env._(
                "As a credit-control manager, use Credit override on the document and give "
                "the reason."
            )
            if is_credit_manager(self.env.user)
            else refusal
        )
        return "\n".join([*lines, how])

    @api.model
    def _ar_button(self, documents, refusal):
        """Before a button moves ``documents`` on (post, confirm, validate): ``None`` when
        the decision lets them (no problem, or an override given); a credit-control manager
        gets the override's dialog, naming the problems and asking the reason; anybody else
        the refusal at once."""
        problems = {
            document: lines
            for document, lines in documents._ar_credit_document_problems().items()
            if lines
        }
        if not problems:
            return None
        approvals = self._ar_approvals(documents.browse([d.id for d in problems]))
        pending = [document for document in problems if document not in approvals]
        if not pending:
            return None
        if not is_credit_manager(self.env.user):
            raise UserError("\n".join([*problems[pending[0]], refusal]))
        return self.env["ar.credit.override.wizard"]._ar_action(
            documents.browse([d.id for d in pending]), proceed=True
        )
