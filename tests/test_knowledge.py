"""Every entry of the competence knowledge base (3д/3е) recognises the provision it was written for,
in the kind of act it applies to, and the reason it prints is its own."""

import pytest
import yaml

from conftest import ROOT
from expertise.documents.structure import build_document
from expertise.documents.txt_reader import read_text
from expertise.pipeline import Checker

ENTRIES = yaml.safe_load((ROOT / "factors" / "knowledge" / "competence.yaml").read_text(encoding="utf-8"))["entries"]
HEADINGS = {
    "municipal": "АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ\nПОСТАНОВЛЕНИЕ\n",
    "executive": "МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ ВЕРХНЕОКСКОЙ ОБЛАСТИ\nПРИКАЗ\n",
    "any": "АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ\nПОСТАНОВЛЕНИЕ\n",
    "representative": "ДУМА ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ\nРЕШЕНИЕ\n",
}


@pytest.fixture(scope="module")
def checker():
    return Checker()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_entry_recognises_its_sample(entry, checker):
    sample = entry["sample"].strip("«»")
    heading = HEADINGS[entry["bodies"][0]]
    doc = build_document(read_text(f"{heading}от 01.02.2026 № 5\nО порядке\n1. {sample}\n"))
    findings = [f for f in checker.check_document(doc).findings if f.factor == entry["factor"]]
    reason = " ".join(entry["reason"].split())[:60]
    assert any(reason in " ".join(f.explanation.split()) for f in findings), (entry["id"], findings)


def test_entries_do_not_fire_in_a_law_of_the_federation(checker):
    """A federal statute settles these matters itself: no competence hint in it."""
    for entry in ENTRIES:
        if "any" in entry["bodies"]:
            continue
        doc = build_document(read_text(f"ФЕДЕРАЛЬНЫЙ ЗАКОН\nО порядке\nСтатья 1.\n1. {entry['sample'].strip('«»')}\n"))
        assert not [f for f in checker.check_document(doc).findings if f.rule.startswith(("3d.", "3e."))], entry["id"]


OUTDATED = yaml.safe_load((ROOT / "factors" / "knowledge" / "outdated.yaml").read_text(encoding="utf-8"))["entries"]


@pytest.mark.parametrize("entry", OUTDATED, ids=[e["id"] for e in OUTDATED])
def test_outdated_entry_recognises_its_sample_only_after_its_date(entry, checker):
    """Each abolished body, repealed act or form is found in its sample provision in a draft dated
    after the change, and not in one dated before it."""
    import datetime as dt

    since = entry["since"] if isinstance(entry["since"], dt.date) else dt.date.fromisoformat(str(entry["since"]))
    sample = entry["sample"][1:-1]  # «…» around the provision

    def outdated(date):
        doc = build_document(read_text(
            f"АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ\nПОСТАНОВЛЕНИЕ\nот {date:%d.%m.%Y} № 5\nО порядке\n1. {sample}\n"))
        return [f for f in checker.check_document(doc).findings if f.rule.endswith("outdated-reference")]

    after = outdated(since + dt.timedelta(days=30))
    assert after, entry["id"]
    assert " ".join(entry["replacement"].split()) in " ".join(after[0].recommendation.split())
    assert not outdated(since - dt.timedelta(days=30)), entry["id"]
