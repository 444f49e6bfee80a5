"""`expertise eval` in the build: quality on the corpus must not regress.

Issue 4 sets the floor: per-factor F1 on corpus/ no lower than 0.8. Measured 2026-11-23 (after the
fourth round, 45 drafts, 175 findings): every factor between 0.842 (3и) and 1.000, overall F1 0.905;
the floors sit a little below (0.82 per factor, 0.87 overall).
These are figures on the corpus the rules were tuned on; each blind round scored 0.41–0.54 before
the rules were extended on it, and corpus/heldout/ measures what they are worth on drafts nobody tuned
on (see test_heldout_is_measured). Raise a floor whenever a factor improves.
"""

from conftest import ROOT
from expertise.evaluation import report

FLOORS = {factor: 0.82 for factor in ("3a", "3b", "3v", "3g", "3d", "3e", "3zh", "3z", "3i", "4a", "4b", "4v")}


def test_corpus_quality_does_not_regress():
    rep = report(ROOT / "corpus", acts=None)
    assert rep["drafts"] >= 45 and rep["gold_findings"] >= 175
    f1 = {factor: s["f1"] for factor, s in rep["factors"].items()}
    below = {factor: (f1.get(factor, 0.0), floor) for factor, floor in FLOORS.items() if f1.get(factor, 0.0) < floor}
    assert not below, f"F1 below the floor (measured, floor): {below}"
    assert rep["overall"]["f1"] >= 0.87
    assert rep["label_accuracy"] >= 0.95


def test_real_flagged_provisions_are_found_with_the_right_factor():
    rep = report(ROOT / "corpus", acts=None)
    dev = rep["flagged_dev"]
    assert dev["total"] == 17
    assert dev["recall"] >= 0.9 and dev["right_factor_share"] >= 0.8, dev


def test_clean_drafts_stay_almost_clean():
    from expertise.evaluation import evaluate_corpus
    from expertise.pipeline import Checker

    results = evaluate_corpus(ROOT / "corpus", Checker(min_severity="finding"))
    clean = [r for r in results if r.name.startswith(("clean_", "real_"))]
    assert len(clean) == 13
    # measured 2026-11-23: 4 findings on 13 clean drafts (ПП № 10's «целесообразность» three times)
    false_alarms = sum(len(r.predicted) for r in clean)
    assert false_alarms <= 5, [(r.name, [(f.unit.label, f.rule) for f in r.predicted]) for r in clean]


def test_heldout_is_measured():
    """corpus/heldout/ was written blind to the rules after they were tuned on corpus/; it measures
    what the catalogue is worth on new drafts. Measured 2026-11-23: P 0.455, R 0.417, F1 0.435 when it
    was written; P 0.478, R 0.458, F1 0.468 after two more blind rounds were tuned on (and the eval
    learnt to match a finding's own factor before its satellites). Nine more blind drafts joined it
    (their own F1 0.492); the 15 drafts together: P 0.519, R 0.450, F1 0.482 — far below corpus/.
    The floor guards against regressions only; no rule may be tuned on these drafts."""
    rep = report(ROOT / "corpus" / "heldout", acts=None)
    assert rep["drafts"] == 15 and rep["gold_findings"] == 60
    assert rep["overall"]["f1"] >= 0.40, rep["overall"]
    assert rep["label_accuracy"] >= 0.90
