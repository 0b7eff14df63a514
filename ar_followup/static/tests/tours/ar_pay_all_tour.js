import { registry } from "@web/core/registry";

// Opened from a reminder's statement link, without logging in: pay all overdue invoices in
// one online payment with Odoo's demo provider.
registry.category("web_tour.tours").add("ar_followup_pay_all_overdue", {
    steps: () => [
        {
            content: "The statement lists the overdue invoices",
            trigger: ".o_ar_statement td:contains('INV/')",
        },
        {
            content: "Pay all overdue",
            trigger: "a.o_ar_pay_overdue",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's payment form, for the amount of both invoices",
            trigger: "#o_payment_summary_amount:contains('350.50')",
        },
        {
            content: "The demo provider",
            trigger: 'input[name="o_payment_radio"][data-payment-method-code="demo"]',
            run: "click",
        },
        {
            content: "A card number",
            trigger: 'input[name="customer_input"]',
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: 'button[name="o_payment_submit_button"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back from the payment: thanked, on a page without the link's token",
            trigger: ".o_ar_statement_paid",
        },
    ],
});
