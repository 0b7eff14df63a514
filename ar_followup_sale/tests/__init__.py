from . import test_order_credit
from . import test_i18n
