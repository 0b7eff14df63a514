from . import test_order_credit
