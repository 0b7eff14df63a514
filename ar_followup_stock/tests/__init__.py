from . import test_delivery_credit
from . import test_i18n
