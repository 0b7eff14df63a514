import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("ar_followup_portal_dispute", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "Open the dispute form of the invoice",
            trigger: "a.o_ar_dispute_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the reason",
            trigger: "select[name='reason']",
            run: "select quality",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name='description']",
            run: "edit The pallets arrived damaged.",
        },
        {
            content: "Send the dispute",
            trigger: "button.o_ar_dispute_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dispute page shows it",
            trigger: ".o_ar_dispute_page h4:contains('DSP/')",
        },
        {
            content: "Go to the list of disputes",
            trigger: "a[href='/my/disputes']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dispute is listed",
            trigger: ".o_ar_disputes_table td:contains('Quality')",
        },
    ],
});
