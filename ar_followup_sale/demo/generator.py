# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo of the credit decision at the order (``make demo``, after ar_followup's generator):
a customer on credit hold with a quotation it cannot accept online, and a customer who pays
30 % of its orders in advance with a quotation that asks for it (the portal's pay-to-confirm,
Northwind Traders, portal login northwind / northwind). With stock installed, the goods are
in the warehouse, so that a delivery of the held customer can be tried."""

from odoo import Command, fields

HELD = "Houthandel Jansen"
PREPAYING = "Northwind Traders Ltd"


def generate(env, company):
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    company = env["res.company"].browse(company.id)
    today = fields.Date.context_today(company)
    Partner = env["res.partner"].with_company(company)
    held = Partner.search([("name", "=", HELD), ("is_company", "=", True)], limit=1)
    prepaying = Partner.search([("name", "=", PREPAYING), ("is_company", "=", True)], limit=1)
    if not held or not prepaying:
        return
    product = env["product.product"].create(
        {
            "name": "Pallet kopieerpapier A4 (200 pakken)",
            "type": "consu",
            "list_price": 900.0,
            "taxes_id": [Command.set(company.account_sale_tax_id.ids)],
            **({"is_storable": True} if "is_storable" in env["product.product"]._fields else {}),
        }
    )
    if "stock.quant" in env:
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 40)
    env["ar.customer.account"]._ar_of(held.sudo())._ar_set_credit_hold(
        "betalingsafspraak niet nagekomen", today
    )
    env["ar.customer.account"]._ar_of(prepaying)._ar_set_prepayment(
        0.3, "betaald na de tweede aanmaning", today
    )
    for partner, quantity in ((held, 4), (prepaying, 2)):
        order = (
            env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": env.ref("base.user_admin").id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": quantity})
                    ],
                }
            )
        )
        order.action_quotation_sent()
        order.message_subscribe(partner_ids=partner.ids)  # its portal users see it
        order._portal_ensure_token()
