"""The registry of reviews, on SQLite and on a real PostgreSQL server (fixture ``registry_db``).

Recording is idempotent (same content + date + kind = one review), also from 8 processes at once; a
failed recording leaves nothing behind; the migrations build exactly the models' schema; CSV export and
import round-trip; an unreachable or newer-schema database is one Russian line and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from registry_helpers import (PLAN_DATES, PLAN_DRAFTS, document, draft_text, findings, plan_factors, plan_key)
from sqlalchemy import create_engine, text

from expertise.errors import InputError
from expertise.registry import service
from expertise.registry.db import dispose_engines, open_engine, resolve_url, schema_revisions

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "samples" / "postanovlenie_subsidii.txt"
D1, D2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """`expertise …` in this process (the same main() as the console script)."""
    from expertise.cli import main

    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def run_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("expertise")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONWARNINGS="ignore", **(env or {})))


def assert_one_russian_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert any("а" <= ch <= "я" for ch in lines[0].lower())
    return lines[0]


# --- recording ------------------------------------------------------------------------------------


def test_record_review_fills_the_card(registry_db):
    doc = document(draft_text("Об утверждении Порядка выдачи разрешений",
                              body="МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ РЕСПУБЛИКИ ТАТАРСТАН", kind="ПРИКАЗ"))
    found = findings(doc, {"3b": 2, "4v": 1}, hints={"3a": 1})
    rid = service.record_review(db=registry_db, document=doc, findings=found, review_date=D1, number="17-э",
                                reviewer="Иванов И.И.", opinion_path="/tmp/zakl.docx")
    assert isinstance(rid, int)
    card = service.get_review(db=registry_db, review_id=rid)
    assert card.title == "Об утверждении Порядка выдачи разрешений"
    assert card.act_kind == "приказ"
    assert card.body == "Министерство цифрового развития Республики Татарстан"
    assert (card.kind, card.review_date, card.number, card.reviewer) == ("ведомственная", D1, "17-э", "Иванов И.И.")
    assert card.opinion_path == "/tmp/zakl.docx"
    assert card.factors_found is True
    assert card.factor_counts == {"3b": 2, "4v": 1}  # the hint is kept in the findings but is no factor
    assert [f["factor"] for f in card.findings] == ["3b", "3b", "4v", "3a"]
    assert card.findings[3]["severity"] == "hint" and card.findings[0]["quote"] == doc.units[-1].text[:2]
    assert len(card.content_hash) == 64 and card.changed is None and card.window is None

    clean = service.record_review(db=registry_db, document=document(draft_text("Об ином")), findings=[],
                                  review_date=D1)
    card = service.get_review(db=registry_db, review_id=clean)
    assert card.factors_found is False and card.factor_counts == {} and card.findings == []
    with pytest.raises(InputError, match="Вид экспертизы"):
        service.record_review(db=registry_db, document=doc, findings=[], kind="прокурорская", review_date=D1)


def test_recording_is_idempotent(registry_db):
    text_ = draft_text("Об утверждении Порядка выдачи разрешений")
    doc = document(text_)
    rid = service.record_review(db=registry_db, document=doc, findings=findings(doc, {"3b": 1}), review_date=D1,
                                reviewer="Иванов И.И.")
    for _ in range(3):
        assert service.record_review(db=registry_db, document=doc, findings=findings(doc, {"3b": 1}),
                                     review_date=D1) == rid
    # the same text with other line breaks and spaces is the same draft
    respaced = document(text_.replace(" ", "  ").replace("\n", "\r\n"))
    assert service.record_review(db=registry_db, document=respaced, findings=findings(doc, {"3b": 2}),
                                 review_date=D1, number="5") == rid
    card = service.get_review(db=registry_db, review_id=rid)
    assert card.number == "5" and card.reviewer == "Иванов И.И."  # given fields update, missing ones stay
    assert card.factor_counts == {"3b": 2}  # the latest check's findings
    assert service.counts(db=registry_db) == {"drafts": 1, "reviews": 1, "factors": 1, "outcomes": 0, "windows": 0}

    other_date = service.record_review(db=registry_db, document=doc, findings=[], review_date=D2)
    other_kind = service.record_review(db=registry_db, document=doc, findings=[], review_date=D1, kind="независимая")
    changed = service.record_review(db=registry_db, document=document(text_.replace("выдачи", "оформления")),
                                    findings=[], review_date=D1)
    assert len({rid, other_date, other_kind, changed}) == 4
    counts = service.counts(db=registry_db)
    assert (counts["drafts"], counts["reviews"]) == (2, 4)


def test_failed_recording_leaves_nothing(registry_db, monkeypatch):
    doc = document(draft_text("Об утверждении Порядка"))

    def broken_insert(*args, **kwargs):
        raise RuntimeError("сбой на последнем шаге записи")

    open_engine(registry_db)  # migrate first: the failure must hit the recording itself
    monkeypatch.setattr(service, "insert", broken_insert)  # factor counts are written last
    with pytest.raises(RuntimeError):
        service.record_review(db=registry_db, document=doc, findings=findings(doc, {"3a": 1}), review_date=D1)
    monkeypatch.undo()
    assert service.counts(db=registry_db) == {"drafts": 0, "reviews": 0, "factors": 0, "outcomes": 0, "windows": 0}


def test_outcome_and_window(registry_db):
    doc = document(draft_text("Об утверждении Порядка"))
    rid = service.record_review(db=registry_db, document=doc, findings=findings(doc, {"3a": 1}), review_date=D1)
    service.set_outcome(db=registry_db, review_id=rid, changed=True, outcome_date=dt.date(2025, 4, 1), note="учтено")
    service.set_outcome(db=registry_db, review_id=rid, changed=False)  # changed again; date and note stay
    service.set_window(db=registry_db, review_id=rid, published_from=dt.date(2025, 2, 1),
                       published_to=dt.date(2025, 2, 10), contact="Петров П.П., 8 (800) 000-00-00")
    service.set_window(db=registry_db, review_id=rid, published_from=dt.date(2025, 2, 1),
                       published_to=dt.date(2025, 2, 11), conclusions=2)
    card = service.get_review(db=registry_db, review_id=rid)
    assert (card.changed, card.outcome_date, card.outcome_note) == (False, dt.date(2025, 4, 1), "учтено")
    assert card.window == service.WindowRow(dt.date(2025, 2, 1), dt.date(2025, 2, 11),
                                            "Петров П.П., 8 (800) 000-00-00", 2)
    assert service.counts(db=registry_db)["outcomes"] == 1 and service.counts(db=registry_db)["windows"] == 1
    with pytest.raises(InputError, match="нет записи № 999"):
        service.set_outcome(db=registry_db, review_id=999, changed=True)
    with pytest.raises(InputError, match="раньше"):
        service.set_window(db=registry_db, review_id=rid, published_from=dt.date(2025, 2, 10),
                           published_to=dt.date(2025, 2, 1))


# --- the CLI ----------------------------------------------------------------------------------------


def test_cli_add_list_show_outcome_window(registry_db, capsys, monkeypatch):
    code, out, err = run_cli(capsys, "registry", "add", str(SAMPLE), "--date", "01.03.2025", "--number", "12",
                             "--reviewer", "Иванов И.И.", "--db", registry_db)
    assert code == 0, err
    assert out.startswith("Запись № 1: ведомственная экспертиза от 01.03.2025 записана в реестр; выявлено")
    code, out, _ = run_cli(capsys, "registry", "add", str(SAMPLE), "--date", "2025-03-01", "--db", registry_db)
    assert code == 0 and "Запись № 1" in out and "уже была в реестре" in out

    monkeypatch.setenv("EXPERTISE_DB", registry_db)  # the environment names the database when --db is absent
    code, out, _ = run_cli(capsys, "registry", "list", "--year", "2025")
    assert code == 0
    assert "01.03.2025" in out and "Об утверждении Порядка предоставления субсидий" in out
    assert "Всего записей: 1." in out
    assert run_cli(capsys, "registry", "list", "--year", "2024")[1].strip() == "Записей не найдено."
    assert "Всего записей: 1." in run_cli(capsys, "registry", "list", "--body", "ГОРОДСКОГО ОКРУГА")[1]
    assert "Записей не найдено." in run_cli(capsys, "registry", "list", "--search", "аккредитации")[1]

    assert run_cli(capsys, "registry", "set-outcome", "1", "--changed", "yes", "--date", "01.04.2025",
                   "--note", "замечания учтены")[0] == 0
    assert run_cli(capsys, "registry", "window", "1", "--from", "01.02.2025", "--to", "10.02.2025",
                   "--contact", "Петров П.П.", "--conclusions", "0")[0] == 0
    code, out, _ = run_cli(capsys, "registry", "show", "1")
    assert code == 0
    for expected in ("Вид акта: постановление", "заключение от 01.03.2025 № 12", "Эксперт: Иванов И.И.",
                     "Коррупциогенные факторы выявлены: да", "3б – ", "Изменения в проект внесены: да (01.04.2025); "
                     "замечания учтены", "размещен с 01.02.2025 по 10.02.2025; контакт: Петров П.П.",
                     "пункт 2.6 приложения: 3б определение компетенции по формуле «вправе» — «вправе»"):
        assert expected in out
    code, _, err = run_cli(capsys, "registry", "show", "42")
    assert code == 2 and assert_one_russian_line(err) == "В реестре нет записи № 42."
    code, _, err = run_cli(capsys, "registry", "add", str(SAMPLE), "--date", "31.02.2025")
    assert code == 2 and "Неверная дата заключения «31.02.2025»" in err


# --- CSV ----------------------------------------------------------------------------------------------


def _populate(db: str) -> None:
    a, b = document(draft_text("Об утверждении Порядка А")), document(draft_text("Об утверждении Порядка Б"))
    ra = service.record_review(db=db, document=a, findings=findings(a, {"3b": 2, "4v": 1}), review_date=D1, number="1")
    service.record_review(db=db, document=b, findings=[], review_date=D2, reviewer="Петров П.П.")
    service.record_review(db=db, document=b, findings=[], review_date=D2, kind="независимая")
    service.set_outcome(db=db, review_id=ra, changed=True, outcome_date=dt.date(2025, 4, 1), note="учтено; полностью")
    service.set_window(db=db, review_id=ra, published_from=dt.date(2025, 2, 1), published_to=dt.date(2025, 2, 10),
                       contact="Петров П.П.", conclusions=1)


def _comparable(rows):
    return sorted((r.content_hash, r.title, r.act_kind, r.body, r.kind, r.review_date, r.number, r.reviewer,
                   r.factors_found, tuple(sorted(r.factor_counts.items())), r.changed, r.outcome_date, r.outcome_note,
                   r.window, json.dumps(r.findings, ensure_ascii=False, sort_keys=True)) for r in rows)


def test_csv_export_import_round_trip(registry_db, tmp_path, capsys):
    _populate(registry_db)
    exported = tmp_path / "registry.csv"
    code, out, _ = run_cli(capsys, "registry", "export", str(exported), "--db", registry_db)
    assert code == 0 and "Выгружено записей: 3" in out
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8

    target = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    code, out, _ = run_cli(capsys, "registry", "import", str(exported), "--db", target)
    assert code == 0 and out.strip() == "Загружено строк: 3; новых записей: 3."
    original = service.list_reviews(db=registry_db, with_findings=True)
    assert _comparable(service.list_reviews(db=target, with_findings=True)) == _comparable(original)
    # importing again, or back into the source, adds nothing
    assert run_cli(capsys, "registry", "import", str(exported), "--db", target)[1].strip() == \
        "Загружено строк: 3; новых записей: 0."
    assert run_cli(capsys, "registry", "import", str(exported), "--db", registry_db)[1].strip() == \
        "Загружено строк: 3; новых записей: 0."
    assert service.counts(db=registry_db)["reviews"] == 3


def test_csv_typed_by_hand_and_atomic(registry_db, tmp_path, capsys):
    """A registry kept by hand in Excel (cp1251, commas, Russian headers, no hash) loads; a bad row loads nothing."""
    rows = [
        "Наименование проекта,Вид акта,Разработчик,Вид экспертизы,Дата заключения,Факторы по типам,Изменения внесены",
        "О порядке А,постановление,Администрация района,ведомственная,15.01.2024,,",
        'О порядке Б,приказ,Администрация района,ведомственная,2024-02-20,"3б=1, 4в=2",да',
    ]
    good = tmp_path / "hand.csv"
    good.write_bytes("\r\n".join(rows).encode("cp1251"))
    code, out, err = run_cli(capsys, "registry", "import", str(good), "--db", registry_db)
    assert code == 0, err
    listed = service.list_reviews(db=registry_db, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    assert [(r.title, r.factor_counts, r.factors_found, r.changed) for r in listed] == [
        ("О порядке А", {}, False, None), ("О порядке Б", {"3b": 1, "4v": 2}, True, True)]

    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows[:2] + ["О порядке В,приказ,Администрация района,ведомственная,31.02.2024,,",
                                         "О порядке Г,приказ,Администрация района,ведомственная,01.03.2024,,"]),
                   encoding="utf-8")
    before = service.counts(db=registry_db)
    code, _, err = run_cli(capsys, "registry", "import", str(bad), "--db", registry_db)
    assert code == 2
    assert assert_one_russian_line(err) == f"«{bad}», строка 3, графа «Дата заключения»: неверная дата «31.02.2024»."
    assert service.counts(db=registry_db) == before


# --- concurrency ----------------------------------------------------------------------------------


def _worker(url: str, worker: int, per_worker: int, barrier, results) -> None:
    """One recording process: its 50 reviews, started at the same moment as the others."""
    from registry_helpers import plan_text

    try:
        keys = [plan_key(worker, i) for i in range(per_worker)]
        docs = {d: document(plan_text(d)) for d, _, _ in keys}
        barrier.wait(timeout=60)
        ids = [service.record_review(db=url, document=docs[d], findings=findings(docs[d], plan_factors(d)), kind=kind,
                                     review_date=dt.date.fromisoformat(date), reviewer=f"процесс {worker}")
               for d, date, kind in keys]
        results.put((worker, [[list(key), rid] for key, rid in zip(keys, ids)], None))
    except BaseException as error:  # noqa: BLE001 - reported to the test
        import traceback

        results.put((worker, None, "".join(traceback.format_exception(error))))


def test_eight_processes_record_at_once(registry_db):
    """8 processes (forked: the imports are done once, the databases are opened by each child) record 50
    reviews each at the same moment, on a fresh database (so they also race to migrate it)."""
    import multiprocessing

    from expertise.language.names import proper_case_body

    proper_case_body("Администрация района")  # warm the morphology dictionary before forking
    dispose_engines()  # no pooled connection is inherited by the children
    workers, per_worker = 8, 50
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(registry_db, w, per_worker, barrier, queue)) for w in range(workers)]
    for proc in procs:
        proc.start()
    outcomes = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
        assert proc.exitcode == 0
    errors = [err for _, _, err in outcomes if err]
    assert not errors, errors[0]
    results = [res for _, res, _ in outcomes]

    keys = {plan_key(w, i) for w in range(workers) for i in range(per_worker)}
    recordings = sum(len(r) for r in results)
    assert recordings == workers * per_worker and len(keys) < recordings  # duplicates on purpose
    ids: dict[tuple, set[int]] = {}
    for result in results:
        for key, rid in result:
            ids.setdefault(tuple(key), set()).add(rid)
    assert all(len(v) == 1 for v in ids.values())  # every process got the same id for the same review
    assert len({next(iter(v)) for v in ids.values()}) == len(keys)
    expected_factor_rows = sum(len(plan_factors(d)) for d, _, _ in keys)
    assert service.counts(db=registry_db) == {"drafts": len({d for d, _, _ in keys}), "reviews": len(keys),
                                              "factors": expected_factor_rows, "outcomes": 0, "windows": 0}
    assert len(keys) == PLAN_DRAFTS * len(PLAN_DATES)
    rows = service.list_reviews(db=registry_db)
    assert sum(r.factors_total for r in rows) == sum(sum(plan_factors(d).values()) for d, _, _ in keys)


# --- schema and errors -------------------------------------------------------------------------------


def test_migrations_build_the_models_schema(registry_db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from expertise.registry.models import Base

    engine = open_engine(registry_db)
    heads, _ = schema_revisions()
    with engine.connect() as conn:
        assert set(MigrationContext.configure(conn).get_current_heads()) == heads
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_newer_schema_is_refused(registry_db, capsys):
    open_engine(registry_db)
    dispose_engines()
    engine = create_engine(registry_db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(InputError, match="более новой версией expertise"):
        open_engine(registry_db)
    result = run_script("registry", "list", "--db", registry_db)
    assert result.returncode == 2
    line = assert_one_russian_line(result.stderr)
    assert line.startswith("База данных реестра создана более новой версией expertise (схема «9999_from_the_future»)")
    assert result.stdout == ""


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "postgresql-tcp"])
def test_unreachable_database(backend, tmp_path):
    if backend == "sqlite":
        blocker = tmp_path / "file"
        blocker.write_text("")
        url = f"sqlite:///{blocker}/sub/registry.sqlite3"  # a directory under a file: cannot be created
        expected = "Не удалось открыть базу данных реестра"
    elif backend == "postgresql":
        url = f"postgresql+psycopg://user:secret@/registry?host={tmp_path}&port=5999"  # no server on this socket
        expected = "Не удалось подключиться к базе данных реестра"
    else:
        import socket

        with socket.socket() as s:  # a local port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"postgresql+psycopg://user:secret@127.0.0.1:{port}/registry"
        expected = "Не удалось подключиться к базе данных реестра"
    result = run_script("report", "--year", "2025", "--db", url)
    assert result.returncode == 2
    line = assert_one_russian_line(result.stderr)
    assert line.startswith(expected), line
    assert "secret" not in line  # the password is never shown


def test_database_url_resolution(registry_db, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("EXPERTISE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'data' / 'expertise' / 'registry.sqlite3'}"
    assert resolve_url("archive/r.sqlite3") == f"sqlite:///{tmp_path / 'archive' / 'r.sqlite3'}"
    (tmp_path / "expertise.toml").write_text(f'[registry]\ndb = "{registry_db}"\n', encoding="utf-8")
    assert resolve_url() == registry_db  # the project settings
    monkeypatch.setenv("EXPERTISE_DB", "sqlite:///elsewhere.sqlite3")
    assert resolve_url() == "sqlite:///elsewhere.sqlite3"  # the environment before the settings
    assert resolve_url(registry_db) == registry_db  # --db before everything
    monkeypatch.delenv("EXPERTISE_DB")
    doc = document(draft_text("Об утверждении Порядка"))
    service.record_review(db=None, document=doc, findings=[], review_date=D1)  # goes to the settings' database
    assert service.counts(db=registry_db)["reviews"] == 1
    code, _, err = run_cli(capsys, "registry", "list", "--db", "mysql+nosuchdriver://x/y")
    assert code == 2 and assert_one_russian_line(err).startswith("Неверный адрес базы данных реестра")
