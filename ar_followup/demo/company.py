# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the demo company needs besides its customers and invoices (``generator.py``): its
bank account, its logo, statutory interest rates for the demo's dates, and PDFs rendered
again once Odoo serves (``render_documents``, called by ``scripts/demo.sh``)."""

import base64
import io
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from PIL import Image, ImageDraw, ImageFont

from ..models.ar_interest_rate import DERIVED_KINDS, ECB, RATE_KINDS

# the demo's rates are entered for the past year: interest runs from the due dates of its
# invoices (at most 60 days ago), its history from eight weeks ago
DEMO_RATE_DAYS = 365
# written on every rate the demo enters (the source of a rate is not translated: both)
DEMO_RATE_MARK = "Demo figure — not the published rate / Demowaarde — niet de gepubliceerde rente"
LOGO_GREEN = (31, 94, 74)
LOGO_ORANGE = (232, 140, 48)


def company_bank_account(env, company):
    """An IBAN for the company: every reminder and dossier prints it."""
    if not company.partner_id.bank_ids:
        env["res.partner.bank"].sudo().create(
            {"acc_number": "NL91ABNA0417164300", "partner_id": company.partner_id.id}
        )


def company_logo(company):
    """The demo company's logo (drawn here, our own), unless it has one: without it the
    login page, the portal and the documents show Odoo's *Your logo*."""
    if company.uses_default_logo:
        company.logo = base64.b64encode(logo_png())


def logo_png():
    """A small PNG: a green tile with a white V over an orange pallet, and the name."""
    image = Image.new("RGBA", (520, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 156, 156), radius=24, fill=LOGO_GREEN)
    draw.polygon(
        [(34, 34), (62, 34), (80, 88), (98, 34), (126, 34), (92, 112), (68, 112)], fill="white"
    )
    for left in (34, 70, 106):
        draw.rectangle((left, 122, left + 20, 132), fill=LOGO_ORANGE)
    draw.rectangle((30, 116, 130, 121), fill=LOGO_ORANGE)
    try:
        font = ImageFont.load_default(size=46)
    except TypeError:  # Pillow before 10.1: its bitmap font only
        font = ImageFont.load_default()
    draw.text((180, 30), "Van der Berg", fill=LOGO_GREEN, font=font)
    draw.text((180, 90), "groothandel", fill=LOGO_ORANGE, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_interest_rates(env, today):
    """Statutory interest rates for the demo's dates (the past year up to ``today``) where the
    shipped table has none (a half-year the credit manager enters after its publication):
    the last known figure repeated, each row's source saying it is a demo figure. The ECB
    rows give their commercial rates, marked the same way. Returns the rows entered."""
    Rate = env["ar.interest.rate"].sudo()
    first = today - timedelta(days=DEMO_RATE_DAYS)
    values = []
    for kind, spec in RATE_KINDS.items():
        if kind in DERIVED_KINDS:
            continue  # derived from the ECB rows
        periods = Rate._ar_periods(kind)
        start = Rate._ar_period_start(kind, first)
        while start <= today:
            known = [rate for day, _end, rate in periods if day < start]
            if known and Rate._ar_rate_on(kind, start, periods) is None:
                values.append(
                    {
                        "kind": kind,
                        "date_from": start,
                        "rate": known[-1],
                        "source": f"{DEMO_RATE_MARK} ({known[-1]:.2f}% repeated)",
                    }
                )
            start += relativedelta(months=spec.months)
    rows = Rate.create(values)
    ecb_rows = rows.filtered(lambda row: row.kind == ECB)
    for row in ecb_rows.derived_rate_ids.with_context(ar_derive=True):
        row.source = f"{DEMO_RATE_MARK}: {row.source}"
    return rows + ecb_rows.derived_rate_ids


def render_documents(env, company):
    """The dossiers of the company's collection cases rendered again (the PDF and the
    invoices' PDFs in it), into the same attachments: the demo data are generated in an Odoo
    shell, where wkhtmltopdf cannot fetch the reports' styles from a server; demo.sh calls
    this once Odoo serves (``report.url``)."""
    cases = env["ar.collection.case"].search(
        [("company_id", "=", company.id), ("dossier_ids", "!=", False)]
    )
    cases._ar_regenerate_dossier()
    return cases
