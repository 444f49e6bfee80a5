"""Opening the registry database: which URL, the engine, the migrations, errors in Russian.

The URL, first found wins: the ``db`` argument (``--db``), the ``EXPERTISE_DB`` environment variable,
``[registry] db`` in the settings, else SQLite at ``platformdirs.user_data_dir("expertise")/registry.sqlite3``.
A value without «://» is a path to an SQLite file.

On open the schema is upgraded to head by the Alembic migrations shipped in this package, under a
lock (PostgreSQL advisory lock; SQLite ``BEGIN IMMEDIATE``) so that concurrent first opens do not race.
A database whose schema revision this code does not know was made by a newer expertise: refused.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

from expertise.errors import InputError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_VAR = "EXPERTISE_DB"
FILE_NAME = "registry.sqlite3"
_LOCK_KEY = 7_172_096  # pg_advisory_xact_lock key for migrations (172-ФЗ, ПП № 96)
_SQLITE_TIMEOUT = 60  # seconds a writer waits for the lock

_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_guard = threading.Lock()

T = TypeVar("T")


def default_url() -> str:
    path = Path(platformdirs.user_data_dir("expertise")) / FILE_NAME
    return f"sqlite:///{path}"


def _settings_url() -> str | None:
    from expertise.settings import load_settings

    value = load_settings().get("registry", "db")
    return value or None


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL of the registry (see the module docstring for the order)."""
    raw = db or os.environ.get(ENV_VAR) or _settings_url() or default_url()
    raw = raw.strip()
    if "://" not in raw:  # a plain path: an SQLite file
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    return raw


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given
        return url


def _reason(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0].rstrip(".") if lines else orig.__class__.__name__


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise InputError(f"Неверный адрес базы данных реестра «{url}»: ожидается URL SQLAlchemy "
                         "(sqlite:///путь или postgresql+psycopg://пользователь@сервер/база) или путь к файлу.") from None
    backend = parsed.get_backend_name()
    kwargs: dict = {}
    if backend == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise InputError(f"Не удалось открыть базу данных реестра {display_url(url)}: нельзя создать "
                                 f"каталог «{Path(database).parent}» ({error.strerror or error}).") from None
        kwargs["connect_args"] = {"timeout": _SQLITE_TIMEOUT}
    elif backend == "postgresql":
        kwargs["pool_pre_ping"] = True
        if parsed.get_driver_name() == "psycopg":
            kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(url, **kwargs)
    except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as error:
        raise InputError(f"Неверный адрес базы данных реестра «{display_url(url)}»: {_reason(error)}.") from None
    if backend == "sqlite":
        _sqlite_transactions(engine)
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    """Real transactions on SQLite: the driver's own BEGIN handling off, every transaction takes the
    write lock at once (``BEGIN IMMEDIATE``) so concurrent writers queue instead of failing; the journal
    is a WAL (short commits, readers never blocked; synchronous=NORMAL: consistent after a crash)."""
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextlib.contextmanager
def _writer_lock(engine: Engine) -> Iterator[None]:
    """SQLite writers wait for each other on an OS file lock beside the database (woken as soon as it is
    free) rather than in SQLite's busy handler, which polls with sleeps of up to 100 ms. Elsewhere
    (PostgreSQL, Windows, an in-memory database) nothing: the database's own locking does the work."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        handle = open(database + ".lock", "a+b")  # noqa: SIM115 - held for the transaction
    except OSError:  # a read-only directory: SQLite's own locking alone
        yield
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # releases the lock


def _alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def schema_revisions() -> tuple[set[str], set[str]]:
    """(heads, every known revision) of the migrations shipped with this code."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return set(script.get_heads()), {rev.revision for rev in script.walk_revisions()}


def current_revisions(connection: Connection) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


def _refuse_newer(url: str, current: set[str], known: set[str]) -> None:
    unknown = sorted(current - known)
    if unknown:
        raise InputError(f"База данных реестра создана более новой версией expertise (схема «{', '.join(unknown)}»), "
                         f"чем установленная: обновите expertise ({display_url(url)}).")


def _migrate(engine: Engine, url: str) -> None:
    from alembic import command

    heads, known = schema_revisions()
    try:
        with engine.connect() as connection:
            current = current_revisions(connection)
    except exc.DBAPIError as error:
        raise InputError(f"Не удалось подключиться к базе данных реестра {display_url(url)} ({_reason(error)}).") from None
    _refuse_newer(url, current, known)
    if current == heads:
        return
    with translate_errors(url), _writer_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        current = current_revisions(connection)  # another process may have migrated meanwhile
        _refuse_newer(url, current, known)
        if current != heads:
            command.upgrade(_alembic_config(connection), "head")


def open_engine(db: str | None = None) -> Engine:
    """The engine of the registry at ``db`` (resolved), its schema upgraded to head."""
    url = resolve_url(db)
    with _guard:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _create_engine(url)
        if url not in _ready:
            _migrate(engine, url)
            _ready.add(url)
    return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests; a long-running process switching databases)."""
    with _guard:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _ready.clear()


@contextlib.contextmanager
def translate_errors(url: str) -> Iterator[None]:
    """Database errors → one Russian line (InputError)."""
    try:
        yield
    except InputError:
        raise
    except exc.OperationalError as error:
        raise InputError(f"Ошибка базы данных реестра {display_url(url)} ({_reason(error)}).") from None
    except exc.InterfaceError as error:
        raise InputError(f"Не удалось подключиться к базе данных реестра {display_url(url)} ({_reason(error)}).") from None
    except exc.ProgrammingError as error:
        raise InputError(f"База данных реестра {display_url(url)} не подходит для expertise ({_reason(error)}).") from None


def _retryable(error: exc.DBAPIError) -> bool:
    code = getattr(getattr(error, "orig", None), "sqlstate", None) or getattr(getattr(error, "orig", None), "pgcode", None)
    return code in ("40001", "40P01")  # serialization failure, deadlock detected


def in_transaction(db: str | None, work: Callable[[Connection], T], *, attempts: int = 3) -> T:
    """Run ``work(connection)`` in one transaction: all of it is written, or nothing.

    Retried on a PostgreSQL deadlock or serialization failure (the whole transaction, from the start).
    """
    engine = open_engine(db)
    url = str(engine.url)
    for attempt in range(1, attempts + 1):
        try:
            with _writer_lock(engine), engine.begin() as connection:
                return work(connection)
        except exc.DBAPIError as error:
            if attempt < attempts and _retryable(error):
                time.sleep(0.05 * attempt)
                continue
            with translate_errors(url):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _revision_cli(message: str) -> None:  # pragma: no cover - a developer's tool
    """Autogenerate a new revision against a scratch SQLite database at head."""
    import tempfile

    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        engine = _create_engine(f"sqlite:///{tmp}/scratch.sqlite3")
        _migrate(engine, str(engine.url))
        with engine.begin() as connection:
            command.revision(_alembic_config(connection), message=message, autogenerate=True)


if __name__ == "__main__":  # pragma: no cover
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "revision":
        _revision_cli(sys.argv[2])
    else:
        print("usage: python -m expertise.registry.db revision MESSAGE")
