# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the credit decision reads of an online payment is the payment flow's: a transaction's
state changes through the provider's flow (``_update_state``, which ``_set_done`` and the
other steps use), and its amount, customer, reference and the documents it pays are those it
was made with. Odoo lets billing users write transactions (its access rights), so that a
forged *done* transaction, or another customer's linked to an order or an invoice, would
let a held customer's order be confirmed or its invoice posted; nobody writes those by hand
any more (the server's own flows run as the superuser, or inside the provider's flow)."""

import contextlib
import contextvars

from odoo import api, models
from odoo.exceptions import AccessError

# set while the provider's flow changes a transaction's state (per thread or task)
_IN_FLOW = contextvars.ContextVar("ar_followup_payment_flow", default=False)

# what the credit decision and the exemptions read of a transaction
TRUSTED_FIELDS = frozenset(
    {
        "state",
        "amount",
        "currency_id",
        "partner_id",
        "reference",
        "provider_id",
        "operation",
        "invoice_ids",
        "sale_order_ids",
    }
)


@contextlib.contextmanager
def _payment_flow():
    token = _IN_FLOW.set(True)
    try:
        yield
    finally:
        _IN_FLOW.reset(token)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise AccessError(
                self.env._("A payment transaction starts as a draft; its provider moves it on.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and not _IN_FLOW.get() and TRUSTED_FIELDS.intersection(vals):
            raise AccessError(
                self.env._(
                    "The state, amount, customer, reference and documents of a payment "
                    "transaction are its provider's: they are not written by hand."
                )
            )
        return super().write(vals)

    def _update_state(self, allowed_states, target_state, state_message):
        with _payment_flow():
            return super()._update_state(allowed_states, target_state, state_message)


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        if "transaction_ids" in vals and not self.env.su:
            raise AccessError(
                self.env._("The online payments of an invoice are linked by the payment itself.")
            )
        return super().write(vals)
