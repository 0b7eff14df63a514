"""``make demo`` and ``make test`` on a fresh machine (issue #33): ``ensure_postgres`` of
scripts/prepare.sh installs and starts PostgreSQL on Debian as root, and elsewhere says exactly
what to install. Run on a pretend machine: a PATH of stubs (apt-get, pg_ctlcluster, psql, ...)
that log what they are asked and act like the real ones, never the real commands."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo.tests import BaseCase, tagged

PREPARE = Path(__file__).resolve().parents[2] / "scripts" / "prepare.sh"

# Each stub logs its name and arguments to $STUB_LOG; $STATE holds the pretend machine.
STUBS = {
    "id": """case "$1" in -u) echo "$STUB_UID" ;; -un) echo "$STUB_USER" ;; esac""",
    "uname": """echo "$STUB_UNAME\"""",
    "sleep": "",
    # the package postgresql brings the server, postgresql-common's tools and the client; its
    # cluster 15/main is created, not started (no service manager in a container)
    "apt-get": """case " $* " in *" install "*postgresql*)
        mkdir -p "$PG_LIB_DIR/15/bin" && printf '#!/bin/sh\\n' > "$PG_LIB_DIR/15/bin/postgres"
        chmod +x "$PG_LIB_DIR/15/bin/postgres"
        for tool in pg_lsclusters pg_ctlcluster pg_createcluster pg_isready psql; do
            cp "$STATE/package/$tool" "$STUB_DIR/$tool"
        done
        echo down > "$STATE/cluster" ;;
    esac""",
    # util-linux: on every Debian machine
    "runuser": """case " $* " in
        *" createuser "*) touch "$STATE/role" ;;
        *" psql "*) [ -e "$STATE/role" ] && echo 1 ;;
    esac""",
}
PACKAGE = {
    "pg_lsclusters": """[ -e "$STATE/cluster" ] && echo "15 main 5432 $(cat "$STATE/cluster") \
postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log\"""",
    "pg_ctlcluster": """[ "$4" = start ] && echo online > "$STATE/cluster\"""",
    "pg_createcluster": """echo down > "$STATE/cluster\"""",
    "pg_isready": """grep -q online "$STATE/cluster" 2>/dev/null""",
    "psql": """[ -e "$STATE/role" ] && grep -q online "$STATE/cluster" && echo 1""",
}


@tagged("post_install", "-at_install")
class TestPreparePostgres(BaseCase):
    def setUp(self):
        super().setUp()
        if not PREPARE.exists():
            self.skipTest("scripts/prepare.sh is not beside the add-on (installed from a wheel)")
        self.tmp = Path(tempfile.mkdtemp(prefix="ar_prepare_"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.bin = self.tmp / "bin"
        self.state = self.tmp / "state"
        (self.state / "package").mkdir(parents=True)
        self.bin.mkdir()
        # what prepare.sh needs of a real machine
        for tool in ("bash", "dirname", "mkdir", "printf", "chmod", "cp", "cat", "grep", "touch"):
            os.symlink(shutil.which(tool), self.bin / tool)
        for folder, stubs in ((self.bin, STUBS), (self.state / "package", PACKAGE)):
            for name, body in stubs.items():
                self._stub(folder / name, body)
        self.os_release = self.tmp / "os-release"
        self.os_release.write_text('ID=debian\nVERSION_ID="12"\n')

    def _stub(self, path, body):
        path.write_text(f'#!/bin/bash\necho "{path.name} $*" >> "$STUB_LOG"\n{body}\n')
        path.chmod(0o755)

    def _ensure_postgres(self, uid="0", user="root", uname="Linux"):
        """``ensure_postgres`` on the pretend machine: (exit code, output, commands run)."""
        log = self.tmp / "log"
        log.write_text("")
        env = {
            "PATH": str(self.bin),
            "HOME": str(self.tmp),
            "STUB_LOG": str(log),
            "STUB_DIR": str(self.bin),
            "STUB_UID": uid,
            "STUB_USER": user,
            "STUB_UNAME": uname,
            "STATE": str(self.state),
            "PG_LIB_DIR": str(self.tmp / "lib" / "postgresql"),
            "OS_RELEASE": str(self.os_release),
            "VENV": str(self.tmp / "venv"),
        }
        result = subprocess.run(
            [str(self.bin / "bash"), "-c", 'source "$0" && ensure_postgres', str(PREPARE)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return result.returncode, result.stdout + result.stderr, log.read_text().splitlines()

    def test_a_fresh_debian_machine_as_root_gets_postgresql_installed_and_started(self):
        code, output, commands = self._ensure_postgres()
        self.assertEqual(code, 0, output)
        self.assertIn("apt-get install -y -q postgresql", commands)
        self.assertIn("pg_ctlcluster --skip-systemctl-redirect 15 main start", commands)
        self.assertIn("runuser -u postgres -- createuser --superuser root", commands)
        # it says what it did
        for said in (
            "PostgreSQL is not installed: installing Debian's postgresql",
            "Installed PostgreSQL 15",
            "Starting the PostgreSQL cluster 15/main",
            "Creating the PostgreSQL superuser role root",
        ):
            self.assertIn(said, output)
        # the second time: nothing to do
        code, output, commands = self._ensure_postgres()
        self.assertEqual((code, output), (0, ""))
        self.assertFalse([c for c in commands if c.split()[0] in ("apt-get", "runuser")])

    def test_an_installed_server_without_a_cluster_gets_one(self):
        lib = self.tmp / "lib" / "postgresql" / "15" / "bin"
        lib.mkdir(parents=True)
        self._stub(lib / "postgres", "")
        for name, body in PACKAGE.items():
            self._stub(self.bin / name, body)
        (self.state / "role").touch()
        code, output, commands = self._ensure_postgres()
        self.assertEqual(code, 0, output)
        self.assertIn("pg_createcluster 15 main", commands)
        self.assertFalse([c for c in commands if c.startswith("apt-get")])

    def test_elsewhere_it_says_exactly_what_to_install(self):
        cases = (
            # Debian, not root: it does not install; these are the commands
            (
                'ID=ubuntu\nID_LIKE="debian"\n',
                {"uid": "1000", "user": "alice"},
                (
                    "sudo apt-get install postgresql",
                    "sudo -u postgres createuser --superuser alice",
                ),
            ),
            (
                'ID=fedora\nVERSION_ID="40"\n',
                {"uid": "0", "user": "root"},
                (
                    "sudo dnf install postgresql-server postgresql",
                    "sudo postgresql-setup --initdb",
                    "sudo systemctl enable --now postgresql",
                    "sudo -u postgres createuser --superuser root",
                ),
            ),
            (
                "",
                {"uid": "501", "user": "bob", "uname": "Darwin"},
                ("brew install postgresql@15", "brew services start postgresql@15"),
            ),
            (
                "ID=arch\n",
                {"uid": "1000", "user": "carol"},
                ("Install PostgreSQL 15", "createuser --superuser carol"),
            ),
        )
        for os_release, who, expected in cases:
            with self.subTest(os_release=os_release, **who):
                self.os_release.write_text(os_release)
                code, output, commands = self._ensure_postgres(**who)
                self.assertEqual(code, 2, output)
                self.assertIn("PostgreSQL is not installed", output)
                for line in expected:
                    self.assertIn(line, output)
                self.assertFalse([c for c in commands if c.startswith("apt-get")])
