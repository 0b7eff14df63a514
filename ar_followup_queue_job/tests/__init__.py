from . import test_i18n
from . import test_job_claims
from . import test_job_run
from . import test_job_security
