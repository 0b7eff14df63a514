from . import ar_followup_run
from . import ar_followup_run_claim
from . import ar_followup_run_job
from . import res_company
from . import res_config_settings
