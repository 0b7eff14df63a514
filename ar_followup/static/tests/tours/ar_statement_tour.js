import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("ar_followup_portal_statement", {
    url: "/my/statement",
    steps: () => [
        {
            content: "The statement lists the open invoice",
            trigger: ".o_ar_statement td:contains('INV/')",
        },
        {
            content: "The statement can be downloaded",
            trigger: "a.o_ar_statement_pdf[href='/my/statement/pdf']",
            run: async function () {
                const response = await fetch("/my/statement/pdf");
                if (response.status !== 200) {
                    throw new Error(`statement download failed: ${response.status}`);
                }
            },
        },
        {
            content: "Number of instalments",
            trigger: ".o_ar_plan_request input[name='instalments']",
            run: "edit 3",
        },
        {
            content: "First instalment",
            trigger: ".o_ar_plan_request input[name='first_date']",
            run: function () {
                const date = new Date(Date.now() + 7 * 24 * 3600 * 1000);
                this.anchor.value = date.toISOString().slice(0, 10);
            },
        },
        {
            content: "Ask for the plan",
            trigger: "button.o_ar_plan_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is confirmed",
            trigger: ".o_ar_statement .alert-success",
        },
    ],
});
