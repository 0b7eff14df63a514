from . import models
from . import wizards


def post_init_hook(env):
    """Give every existing company its default follow-up policy with the default levels."""
    env["res.company"].search([])._ar_ensure_default_policy()
