import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ACTS = SHARED / "acts"


@pytest.fixture(scope="session")
def expertise_cmd():
    """The installed console script (the same one a user runs)."""
    exe = Path(sys.executable).with_name("expertise")
    if not exe.exists():
        pytest.fail("console script `expertise` is not installed in this environment")
    return str(exe)


# --- registry databases: SQLite and a throwaway PostgreSQL cluster (tests/pg_cluster.py) ------------


@pytest.fixture(scope="session")
def pg_server():
    """Admin URL of a PostgreSQL server for the registry tests: ``EXPERTISE_TEST_PG_URL``, else a throwaway
    cluster (initdb in a temporary directory, unix socket only) stopped and removed after the session."""
    import os

    from pg_cluster import Cluster, find_bin_dir

    url = os.environ.get("EXPERTISE_TEST_PG_URL")
    if url:
        yield url
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = ("PostgreSQL is not installed (initdb/pg_ctl not found); "
                  + ("run scripts/test.sh as root, which installs the Debian package postgresql"
                     if os.geteuid() == 0 else "install the Debian package postgresql or set EXPERTISE_TEST_PG_URL"))
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        raise
    yield cluster.admin_url
    from expertise.registry.db import dispose_engines

    dispose_engines()
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def registry_db(request, tmp_path):
    """A fresh, empty registry database URL: an SQLite file, then a new database on the PostgreSQL server."""
    from expertise.registry.db import dispose_engines

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    else:
        from pg_cluster import create_database

        url = create_database(request.getfixturevalue("pg_server"))
    yield url
    dispose_engines()
    if request.param == "postgresql":
        from pg_cluster import drop_database

        drop_database(request.getfixturevalue("pg_server"), url)
