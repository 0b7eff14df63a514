import os

from odoo.tests import tagged

from odoo.addons.ar_followup.tests.test_i18n import DutchTranslationCase


@tagged("post_install", "-at_install")
class TestDutchTranslation(DutchTranslationCase):
    __test__ = True
    ADDON = "ar_followup_queue_job"
    I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")
