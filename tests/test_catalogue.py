"""Every example of every rule in the catalogue is a test (positive: fires on exactly the marked
words; negative: stays silent). A rule without two of each cannot be loaded at all."""

import pytest

from expertise.engine.catalogue import load_catalogue, parse_rule_file
from expertise.engine.examples import run_example
from expertise.errors import CatalogueError

CATALOGUE = load_catalogue()
CASES = [(rule, ex) for rule in CATALOGUE.rules for ex in rule.examples]


@pytest.mark.parametrize(
    "rule,example", CASES, ids=[f"{r.id}:{'fires' if e.fires else 'clean'}:{n}" for n, (r, e) in enumerate(CASES)]
)
def test_rule_example(rule, example):
    result = run_example(CATALOGUE, rule, example)
    assert result.ok, result.describe()


def test_all_twelve_factors_are_known():
    assert list(CATALOGUE.factors) == ["3a", "3b", "3v", "3g", "3d", "3e", "3zh", "3z", "3i", "4a", "4b", "4v"]
    for factor in CATALOGUE.factors.values():
        assert factor.citation.endswith("от 26.02.2010 № 96")


def test_every_rule_has_legal_basis_explanation_and_fix():
    for rule in CATALOGUE.rules:
        assert rule.legal_basis.startswith(("подпункт", "пункт")), rule.id
        assert len(rule.explanation) > 40 and len(rule.recommendation) > 30, rule.id
        assert rule.id.startswith(rule.factor.id + "."), rule.id


def test_rule_without_examples_is_refused():
    text = """
factor: 3b
rules:
  - id: 3b.test
    title: t
    severity: finding
    explanation: x
    recommendation: y
    pattern: [{lemma: вправе}]
    examples:
      fires: ["Орган [вправе] отказать."]
      clean: ["Заявитель вправе отозвать заявление."]
"""
    with pytest.raises(CatalogueError, match="не менее двух примеров"):
        parse_rule_file(text, "custom.yaml", CATALOGUE.factors)


def test_malformed_rule_file_names_file_and_line():
    with pytest.raises(CatalogueError, match=r"custom\.yaml:4: ошибка синтаксиса YAML"):
        parse_rule_file("factor: 3b\nrules:\n  - id: [unclosed\n", "custom.yaml", CATALOGUE.factors)
    with pytest.raises(CatalogueError, match=r"custom\.yaml:3: неизвестные ключи правила: severty"):
        parse_rule_file("factor: 3b\nrules:\n  - id: x\n    severty: finding\n", "custom.yaml", CATALOGUE.factors)
