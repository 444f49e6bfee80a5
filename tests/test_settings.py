"""Settings files and organisation rule packs, as a user drops them next to their drafts."""

import subprocess

import pytest

from test_cli import DRAFT, run

CUSTOM_RULE = """
factor: 4v
rules:
  - id: 4v.org-v-ustanovlennom-poryadke
    title: «В установленном порядке» без указания, каким актом
    severity: finding
    pattern:
      - [{text: в, mark: true}, {lemma: установить, mark: true}, {lemma: порядок, mark: true}]
    explanation: Порядок не назван — «{{ quote }}».
    recommendation: Указать акт, которым установлен порядок, вместо слов «{{ quote }}».
    examples:
      fires:
        - "Документы направляются [в установленном порядке]."
        - "Субсидия возвращается [в установленном порядке]."
      clean:
        - "Документы направляются в порядке, установленном пунктом 2.4."
        - "Документы направляются почтой."
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "draft.txt").write_text(DRAFT + "6. Документы направляются в установленном порядке.\n", encoding="utf-8")
    rules = tmp_path / "our-rules"
    rules.mkdir()
    (rules / "org.yaml").write_text(CUSTOM_RULE, encoding="utf-8")
    return tmp_path


def test_project_settings_disable_factor_change_severity_and_add_rules(expertise_cmd, project):
    (project / "expertise.toml").write_text(
        '[rules]\ndisable = ["3b.mozhet-byt-passive"]\nseverity = { "3b.vpravo-organ" = "hint" }\n'
        'dirs = ["our-rules"]\n', encoding="utf-8")
    res = run(expertise_cmd, "check", str(project / "draft.txt"))
    out = res.stdout.decode()
    assert "3b.mozhet-byt-passive" not in out
    assert ":3b:3b.vpravo-organ: [проверить] «вправе»" in out
    assert ":4v:4v.org-v-ustanovlennom-poryadke: «в установленном порядке»" in out
    shown = run(expertise_cmd, "config", "show", "--config", str(project / "expertise.toml")).stdout.decode()
    assert f"rules.disable = ['3b.mozhet-byt-passive']    # {project / 'expertise.toml'}" in shown


def test_custom_rule_examples_run_under_rules_check(expertise_cmd, project):
    res = run(expertise_cmd, "rules", "--check", "--rules-dir", str(project / "our-rules"), "--factor", "4v")
    assert res.returncode == 0, res.stdout.decode()
    broken = CUSTOM_RULE.replace('"Документы направляются почтой."', '"Документы направляются в установленном порядке почтой."')
    (project / "our-rules" / "org.yaml").write_text(broken, encoding="utf-8")
    res = run(expertise_cmd, "rules", "--check", "--rules-dir", str(project / "our-rules"), "--factor", "4v")
    assert res.returncode == 1
    assert "Пример не прошёл: 4v.org-v-ustanovlennom-poryadke: ожидалось отсутствие находок" in res.stdout.decode()


@pytest.mark.parametrize("content,message", [
    ("[rules]\ndisabel = 1\n", "bad.toml:2: неизвестный параметр «rules.disabel»"),
    ("[rules\n", "bad.toml:1: ошибка синтаксиса TOML"),
    ('[rules]\nseverity = { "3b.vpravo-organ" = "fatal" }\n', "bad.toml:2: уровень «fatal»"),
    ('[opinion]\nform = "letter"\n', "bad.toml:2: форма заключения «letter»"),
])
def test_malformed_settings_name_file_and_line(expertise_cmd, project, content, message):
    (project / "bad.toml").write_text(content, encoding="utf-8")
    res = run(expertise_cmd, "check", "--config", str(project / "bad.toml"), str(project / "draft.txt"))
    assert res.returncode == 2
    err = res.stderr.decode().strip()
    assert message in err and len(err.splitlines()) == 1


def test_malformed_rule_file_names_file_and_line(expertise_cmd, project):
    (project / "our-rules" / "org.yaml").write_text("factor: 4v\nrules:\n  - id: x\n    severty: hint\n", encoding="utf-8")
    res = run(expertise_cmd, "check", "--rules-dir", str(project / "our-rules"), str(project / "draft.txt"))
    assert res.returncode == 2
    assert "org.yaml:3: неизвестные ключи правила: severty" in res.stderr.decode()
