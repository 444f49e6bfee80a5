"""`expertise check` as a user runs it: exit codes, the text and JSON contracts, bad input."""

import json
import os
import subprocess

import pytest

DRAFT = """АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО РАЙОНА
ПОСТАНОВЛЕНИЕ
Об утверждении Порядка выдачи разрешений
1. Утвердить Порядок выдачи разрешений.
Приложение
к постановлению администрации
1. Заявитель вправе отозвать заявление.
2. Уполномоченный орган вправе отказать в выдаче разрешения.
3. Заявителю может быть отказано в выдаче разрешения в случае непредставления документов.
4. О принятом решении заявитель уведомляется в течение 3 рабочих дней со дня его принятия.
5. Решение может быть обжаловано в судебном порядке.
"""

CLEAN = """ПОСТАНОВЛЕНИЕ
Об утверждении Положения о комиссии
1. Комиссия рассматривает заявление в течение 10 рабочих дней со дня его поступления.
2. Заявитель вправе отозвать заявление до принятия решения.
"""


def run(cmd, *args, input=None):
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run([cmd, *args], input=input, capture_output=True, env=env, timeout=300)


@pytest.fixture
def drafts(tmp_path):
    flagged = tmp_path / "flagged.txt"
    flagged.write_text(DRAFT, encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="cp1251")
    return flagged, clean


def test_text_output_names_unit_factor_rule(expertise_cmd, drafts):
    flagged, _ = drafts
    res = run(expertise_cmd, "check", str(flagged))
    assert res.returncode == 1, res.stderr.decode()
    lines = res.stdout.decode().splitlines()
    assert lines == [
        f"{flagged}:пункт 2 приложения:3b:3b.vpravo-organ: «вправе» — "
        "Полномочие органа или должностного лица сформулировано через «вправе» / «может»",
        f"{flagged}:пункт 3 приложения:3b:3b.mozhet-byt-passive: «может быть отказано» — "
        "Решение органа в безличной форме «может быть (отказано, продлено, приостановлено)»",
    ]


def test_clean_draft_exits_zero(expertise_cmd, drafts):
    _, clean = drafts
    res = run(expertise_cmd, "check", str(clean))
    assert res.returncode == 0, res.stdout.decode() + res.stderr.decode()
    assert res.stdout == b""


def test_json_contract(expertise_cmd, drafts):
    flagged, clean = drafts
    res = run(expertise_cmd, "check", "--format", "json", str(flagged), str(clean))
    data = json.loads(res.stdout)
    assert data["version"] == 1
    first, second = data["documents"]
    assert first["path"] == str(flagged) and second["findings"] == []
    assert first["title"] == "Об утверждении Порядка выдачи разрешений"
    assert first["units"] == 11
    finding = first["findings"][0]
    for key, kind in [("factor", str), ("factor_name", str), ("rule", str), ("severity", str), ("unit", str),
                      ("unit_path", list), ("quote", str), ("start", int), ("end", int), ("explanation", str),
                      ("recommendation", str), ("legal_basis", str)]:
        assert isinstance(finding[key], kind), key
    assert finding["unit_path"] == ["приложение", "пункт 2 приложения"]
    text = "2. Уполномоченный орган вправе отказать в выдаче разрешения."
    assert text[finding["start"]:finding["end"]] == finding["quote"] == "вправе"
    assert finding["legal_basis"].startswith("подпункт «б» пункта 3 Методики")


def test_stdin_and_min_severity(expertise_cmd):
    text = "1. Администрация вправе отказать заявителю в выдаче справки.\n".encode("utf-8")
    res = run(expertise_cmd, "check", "-", "--min-severity", "finding", input=text)
    assert res.returncode == 1
    assert res.stdout.decode().startswith("-:пункт 1:3b:3b.vpravo-organ:")


def test_directory_recursive_with_jobs(expertise_cmd, drafts, tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "more.txt").write_text(DRAFT, encoding="utf-8")
    res = run(expertise_cmd, "check", "--jobs", "2", "--format", "json", str(tmp_path))
    docs = json.loads(res.stdout)["documents"]
    assert sorted(os.path.basename(d["path"]) for d in docs) == ["clean.txt", "flagged.txt", "more.txt"]
    assert res.returncode == 1


@pytest.mark.parametrize("setup,message", [
    (lambda d: str(d / "missing.txt"), "не найден"),
    (lambda d: (d / "empty_dir").mkdir() or str(d / "empty_dir"), "нет проектов для проверки"),
    (lambda d: (d / "junk.txt").write_bytes(bytes(range(256)) * 40) and str(d / "junk.txt"), "двоичные данные"),
    (lambda d: (d / "draft.xyz").write_text("текст") and str(d / "draft.xyz"), "не поддерживается"),
    (lambda d: (d / "empty.txt").write_bytes(b"") or str(d / "empty.txt"), "пуст"),
    (lambda d: (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) and str(d / "old.doc"),
     "Word 97–2003"),
])
def test_bad_input_gives_exit_2_and_one_russian_line(expertise_cmd, tmp_path, setup, message):
    target = setup(tmp_path)
    res = run(expertise_cmd, "check", target)
    err = res.stderr.decode()
    assert res.returncode == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_unknown_option_is_a_russian_usage_error(expertise_cmd):
    res = run(expertise_cmd, "check", "--bogus", "x.txt")
    assert res.returncode == 2
    assert "неизвестный параметр --bogus" in res.stderr.decode()
