from . import ar_followup_preview
from . import ar_credit_hold_wizard
from . import ar_dispute_resolve_wizard
