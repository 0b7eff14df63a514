from . import test_i18n
from . import test_insurer_deadlines
from . import test_uninsured_decision
from . import test_insurer_claim
from . import test_insurance_security
from . import test_demo
from . import test_oca_form
from . import test_uninsured_order
