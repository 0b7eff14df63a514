from . import ar_followup_preview
