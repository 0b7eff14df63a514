// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { Activity } from "@mail/core/web/activity";
import { ActivityListPopoverItem } from "@mail/core/web/activity_list_popover_item";
import { patch } from "@web/core/utils/patch";

patch(Activity.prototype, {
    async onClickArHandOff() {
        await this.props.activity.arHandOff();
    },
});

patch(ActivityListPopoverItem.prototype, {
    async onClickArHandOff() {
        // the popover closes as it does for Edit
        this.props.onClickEditActivityButton?.();
        await this.props.activity.arHandOff();
    },
});
