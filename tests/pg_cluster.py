"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary directory, a server listening
only on a unix socket in that directory, databases created on demand, everything removed after.

initdb refuses to run as root: as root the cluster belongs to the ``postgres`` user (created by the
Debian package) or, failing that, ``nobody``, and the server commands run through ``runuser``.
``EXPERTISE_TEST_PG_URL`` (a server URL to a database the tests may create databases from) skips the
cluster and uses that server instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url


def find_bin_dir() -> Path | None:
    """Directory with initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")
                  if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()]

    def version(path: Path) -> tuple:
        return tuple(int(x) if x.isdigit() else 0 for x in path.parent.name.split("."))

    return max(candidates, key=version) if candidates else None


def _owner() -> str | None:
    """The user that runs the server when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("no non-root user to run PostgreSQL as (neither postgres nor nobody exists)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.owner = _owner()
        self.root = Path(tempfile.mkdtemp(prefix="expertise-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()  # names the socket file; the server listens on no TCP address
        self.log = self.root / "server.log"
        self.admin_url = f"postgresql+psycopg://postgres@/postgres?host={self.root}&port={self.port}"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.owner is not None:
            cmd = ["runuser", "-u", self.owner, "--", *cmd] if shutil.which("runuser") else \
                ["su", "-s", "/bin/sh", self.owner, "-c", " ".join(f"'{a}'" for a in cmd)]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.root)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:1])} failed ({result.returncode}): {result.stderr.strip()}\n{log}")
        return result

    def start(self) -> None:
        if self.owner is not None:
            shutil.chown(self.root, self.owner, self.owner)
            self.root.chmod(0o755)  # root (the tests) must reach the socket
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-k {self.root} -p {self.port} -c listen_addresses='' -c max_connections=200 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        return create_database(self.admin_url, name)


def create_database(admin_url: str, name: str | None = None) -> str:
    import psycopg

    name = name or f"expertise_{uuid.uuid4().hex[:12]}"
    url = make_url(admin_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    """Drop a database made by :func:`create_database` (its connections are closed first)."""
    import psycopg

    name = make_url(url).database
    conninfo = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
