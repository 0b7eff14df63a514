"""Builds the wheel of one add-on of this repository, ``odoo-addon-<add-on>`` (OCA naming):
``ar_followup`` by default, ``ADDON=ar_followup_sale``, ``ar_followup_stock`` or
``ar_followup_bank`` for a bridge (one wheel per add-on, as OCA publishes them; a bridge's
wheel requires the wheels of the add-ons of this repository and of OCA it depends on).

The add-on is packaged as ``odoo.addons.<add-on>``.

ADDON=... python -m pip wheel --no-deps --no-build-isolation .   (or: make wheel, all of them)
"""

import ast
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
ADDON = os.environ.get("ADDON", "ar_followup")
ADDON_DIR = os.path.join(HERE, ADDON)


def _manifest():
    with open(os.path.join(ADDON_DIR, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())


def _packages_and_data():
    """Every folder of the add-on is a package of ``odoo.addons.ar_followup``; every
    non-Python file (XML, CSV, PO, static assets) is package data of its folder."""
    packages, package_dir, package_data = [], {}, {}
    for dirpath, dirnames, filenames in os.walk(ADDON_DIR):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        rel = os.path.relpath(dirpath, HERE)
        package = "odoo.addons." + rel.replace(os.sep, ".")
        packages.append(package)
        package_dir[package] = rel
        package_data[package] = [name for name in filenames if not name.endswith((".py", ".pyc"))]
    return packages, package_dir, package_data


# OCA add-ons a bridge depends on: their wheels are on PyPI (18.0)
OCA_ADDONS = {
    "account_statement_import_camt",
    "account_statement_import_coda",
    "account_reconcile_oca",
    "account_reconcile_model_oca",
    "partner_risk_insurance",
    "account_banking_sepa_direct_debit",
    "account_payment_return_import_iso20022",
    "queue_job",
}

manifest = _manifest()
packages, package_dir, package_data = _packages_and_data()

setup(
    name="odoo-addon-" + ADDON,
    version=manifest["version"],
    description=manifest["summary"],
    author=manifest["author"],
    license="LGPL-3",
    python_requires=">=3.10",
    # the manifest's external dependencies (Odoo itself is not on PyPI for 18.0), and the
    # wheels of the add-ons of this repository it depends on
    install_requires=manifest.get("external_dependencies", {}).get("python", [])
    + [
        f"odoo-addon-{dep}"
        for dep in manifest.get("depends", [])
        if os.path.isfile(os.path.join(HERE, dep, "__manifest__.py"))
    ]
    + [f"odoo-addon-{dep}>=18.0,<18.1" for dep in manifest.get("depends", []) if dep in OCA_ADDONS],
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    zip_safe=False,
    classifiers=[
        "Programming Language :: Python",
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
    ],
)
