from . import test_engine
from . import test_exclusions
from . import test_policies
from . import test_constraints
from . import test_security
from . import test_templates
from . import test_performance
from . import test_i18n
