from . import test_bank_import
from . import test_i18n
