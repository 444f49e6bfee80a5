"""The generated rule reference in docs/ must match the catalogue (one source of truth)."""

from conftest import ROOT
from expertise.engine.catalogue import load_catalogue
from expertise.outputs.reference import explain_rule, reference_markdown


def test_reference_is_up_to_date():
    current = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert current == reference_markdown(load_catalogue()), "docs/reference.md устарел: выполните `expertise docs`"


def test_reference_has_every_rule_with_all_sections():
    catalogue = load_catalogue()
    text = reference_markdown(catalogue)
    for rule in catalogue.rules:
        section = text.split(f"### `{rule.id}`", 1)[1].split("\n### ", 1)[0]
        for heading in ("**Что ищет.**", "**Почему это коррупциогенный фактор.**", "**Пример.**",
                        "**Как исправить.**", "**Основание.**"):
            assert heading in section, (rule.id, heading)


def test_explain_shows_examples_and_fix_without_template_markup():
    text = explain_rule(load_catalogue().rule("3b.mozhet-byt-passive"))
    assert "[может быть отказано]" in text
    assert "{{" not in text and "Как исправить:" in text
