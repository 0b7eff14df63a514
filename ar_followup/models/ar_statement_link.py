# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The link to a customer's statement that every reminder carries: most customers of an SME
have no portal login, so the link opens the statement with a token of its own, without one.

A link is scoped to one commercial partner and one company, unguessable (256 random bits),
valid until its expiry date (the company's *Statement links valid for* days after the last
reminder that carried it: each reminder renews it), and revocable by a credit-control manager
(the link stops working at once; the next reminder carries a new one).
"""

import re
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import consteq, hmac

# what secrets.token_urlsafe makes: URL-safe base64
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,128}")


def _new_token(_records=None):
    return secrets.token_urlsafe(32)


class ArStatementLink(models.Model):
    _name = "ar.statement.link"
    _description = "Statement Link"
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    token = fields.Char(required=True, readonly=True, copy=False, default=_new_token)
    date_expiry = fields.Date(
        string="Valid until",
        required=True,
        readonly=True,
        help="The link opens the statement up to this day; each reminder that carries it "
        "renews it.",
    )
    active = fields.Boolean(
        default=True,
        readonly=True,
        help="A revoked link opens nothing any more, nor the invoice pages it listed; the next "
        "reminder carries new ones.",
    )
    revoked_by_id = fields.Many2one("res.users", string="Revoked by", readonly=True)

    _sql_constraints = [
        ("token_uniq", "unique (token)", "A statement link token is unique."),
    ]

    @api.depends("partner_id", "date_expiry")
    def _compute_display_name(self):
        for link in self:
            link.display_name = link.partner_id.display_name

    @api.model
    def _ar_links(self, partners, company, date):
        """``{commercial partner id: link}`` valid for the customers from ``date`` for the
        company's period, renewed; three statements for any number of customers (a run
        gives every reminder of a batch its link)."""
        partner_ids = sorted(set(partners.commercial_partner_id.ids))
        if not partner_ids:
            return {}
        until = date + timedelta(days=company.ar_statement_link_days)
        self.flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, id, date_expiry
                  FROM ar_statement_link
                 WHERE partner_id = ANY(%s) AND company_id = %s AND active
                   AND date_expiry >= %s
                 ORDER BY partner_id, id DESC
                """,
                partner_ids,
                company.id,
                date,
            )
        )
        found = {pid: (link_id, expiry) for pid, link_id, expiry in cr.fetchall()}
        renew = [link_id for link_id, expiry in found.values() if expiry < until]
        if renew:
            cr.execute(
                SQL(
                    "UPDATE ar_statement_link SET date_expiry = %s, write_uid = %s,"
                    " write_date = now() AT TIME ZONE 'UTC' WHERE id = ANY(%s)",
                    until,
                    self.env.uid,
                    renew,
                )
            )
        ids = {pid: link_id for pid, (link_id, _expiry) in found.items()}
        missing = [pid for pid in partner_ids if pid not in ids]
        if missing:
            cr.execute(
                SQL(
                    """
                    INSERT INTO ar_statement_link
                           (partner_id, company_id, token, date_expiry, active,
                            create_uid, create_date, write_uid, write_date)
                    SELECT unnest(%(partners)s::int[]), %(company)s,
                           unnest(%(tokens)s::varchar[]), %(until)s, TRUE,
                           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                    RETURNING partner_id, id
                    """,
                    partners=missing,
                    company=company.id,
                    tokens=[_new_token() for _pid in missing],
                    until=until,
                    uid=self.env.uid,
                )
            )
            ids.update(cr.fetchall())
        self.invalidate_model()
        links = self.sudo().browse(list(ids.values()))  # one prefetch for all of them
        by_id = {link.id: link for link in links}
        return {pid: by_id[link_id] for pid, link_id in ids.items()}

    @api.model
    def _ar_find(self, token):
        """The link of ``token`` that opens a statement today, else an empty recordset."""
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            return self.browse()  # not a token we make (a NUL byte, a path, ...): no query
        link = self.sudo().search([("token", "=", token)], limit=1)
        if not link or link.date_expiry < fields.Date.context_today(link):
            return self.browse()
        return link

    @api.model
    def _ar_customer(self, token):
        """The customer of the link of ``token`` (commercial partner, sudo, in the link's
        company), else an empty recordset."""
        link = self._ar_find(token)
        if not link:
            return self.env["res.partner"]
        return link.partner_id.commercial_partner_id.sudo().with_company(link.company_id)

    def _ar_url(self):
        """The link, in the customer's language (its URL prefix: a customer without a login
        has no language cookie, and Odoo would show the page in the default language)."""
        self.ensure_one()
        lang = self.env["res.lang"]._get_data(code=self.partner_id.lang or "")
        default = (
            self.env["ir.default"].sudo()._get_model_defaults("res.partner").get("lang") or "en_US"
        )  # (cached: a run makes thousands of links)
        prefix = f"/{lang.url_code}" if lang.active and lang.code != default else ""
        return f"{self.company_id.get_base_url()}{prefix}/statement/{self.token}"

    def _ar_qr_signature(self, moves=""):
        """What the address of the link's QR image carries instead of its token: an HMAC of
        the token and of the invoices the code asks (``moves``, their ids joined by "-"),
        with the database secret, which opens nothing else and asks nothing else."""
        self.ensure_one()
        message = f"{self.token}:{moves}" if moves else self.token
        return hmac(self.env(su=True), "ar_followup.statement_qr", message)

    def _ar_qr_url(self, invoice_ids=None):
        """The address of the SEPA QR image of a reminder e-mail (see the controller): with
        ``invoice_ids``, the code asks what is still open of these invoices only."""
        self.ensure_one()
        base = self.company_id.get_base_url()
        if invoice_ids:
            moves = "-".join(str(move_id) for move_id in sorted(invoice_ids))
            signature = self._ar_qr_signature(moves)
            return f"{base}/statement/qr/{self.id}/{moves}/{signature}.png"
        return f"{base}/statement/qr/{self.id}/{self._ar_qr_signature()}.png"

    @api.model
    def _ar_find_qr(self, link_id, signature, moves=""):
        """The link whose QR image address is ``link_id``, ``moves`` and ``signature``:
        ``None`` when that is not an address we made; an empty recordset when its link does
        not open a statement today (revoked, expired); else the link."""
        link = self.sudo().browse(link_id).exists()
        if not link or not consteq(str(signature), link._ar_qr_signature(moves)):
            return None
        if not link.active or link.date_expiry < fields.Date.context_today(link):
            return self.browse()
        return link

    def action_revoke(self):
        """Revoke the links: they open nothing any more (credit-control managers), nor do the
        invoice pages they listed: the customer's invoices and credit notes in the link's
        company get new access tokens (the next reminder carries the new ones)."""
        self.check_access("write")
        self.sudo().write({"active": False, "revoked_by_id": self.env.uid})
        self.env["account.move"].flush_model(["access_token"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move m SET access_token = gen_random_uuid()::text
                  FROM ar_statement_link l
                 WHERE l.id = ANY(%s)
                   AND m.commercial_partner_id = l.partner_id
                   AND m.company_id = l.company_id
                   AND m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                   AND m.access_token IS NOT NULL
             RETURNING m.id
                """,
                self.ids,
            )
        )
        moves = self.env["account.move"].browse([row[0] for row in self.env.cr.fetchall()])
        moves.invalidate_recordset(["access_token", "access_url"])
        return True
