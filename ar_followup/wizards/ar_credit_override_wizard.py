# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The dialog of a credit-control manager who goes ahead despite the credit decision: it names
the hold or the excess of each document, asks the reason, gives the overrides and, opened by a
button, presses that button again (the document's own: post, confirm, validate)."""

import json

from odoo import api, fields, models
from odoo.exceptions import UserError


class ArCreditOverrideWizard(models.TransientModel):
    _name = "ar.credit.override.wizard"
    _description = "Credit Override"

    res_model = fields.Char(string="Document model", required=True, readonly=True)
    res_ids = fields.Char(
        string="Documents", required=True, readonly=True, help="The documents, as a JSON list."
    )
    problems = fields.Text(string="Despite", compute="_compute_problems")
    reason = fields.Text(
        help="Why you go ahead; it is kept in the document's chatter and the overrides' list."
    )
    proceed = fields.Boolean(
        string="Go ahead at once",
        readonly=True,
        help="Press the document's button again once the override is given.",
    )

    @api.model
    def _ar_action(self, documents, proceed):
        """The dialog's window for ``documents``."""
        wizard = self.create(
            {"res_model": documents._name, "res_ids": json.dumps(documents.ids), "proceed": proceed}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit override"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _ar_documents(self):
        self.ensure_one()
        try:
            ids = json.loads(self.res_ids or "[]")
        except ValueError:
            ids = None
        if not isinstance(ids, list) or not all(type(i) is int for i in ids):
            raise UserError(self.env._("A credit override is given on documents."))
        # which model is checked by the override itself (ar.credit.override._ar_document)
        self.env["ar.credit.override"]._ar_document(self.res_model, ids[0] if ids else None)
        documents = self.env[self.res_model].browse(ids).exists()
        documents.check_access("read")
        return documents

    @api.depends("res_model", "res_ids")
    def _compute_problems(self):
        for wizard in self:
            documents = wizard._ar_documents()
            problems = documents._ar_credit_document_problems()
            wizard.problems = "\n\n".join(
                "{}\n{}".format(
                    document.display_name, "\n".join(f"- {line}" for line in problems[document])
                )
                for document in documents
                if problems.get(document)
            ) or self.env._("Nothing stops these documents any more.")

    def action_confirm(self):
        self.ensure_one()
        documents = self._ar_documents()
        self.env["ar.credit.override"].create(
            [
                {"res_model": documents._name, "res_id": document.id, "reason": self.reason}
                for document in documents
            ]
        )
        action = self.proceed and documents._ar_credit_document_action()
        if not action:
            return {"type": "ir.actions.act_window_close"}
        result = getattr(documents, action)()
        if isinstance(result, dict):
            return result
        return {"type": "ir.actions.act_window_close"}
