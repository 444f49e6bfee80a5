"""Honest quality figures: the catalogue against the gold annotations of ``corpus/``.

A predicted finding matches a gold one when the factor is the same, the unit label is the same
(or the gold's second unit, for cross-unit findings) and the quotes overlap in that unit's text.
Also measured: the share of matches whose unit label is right, recall on the real flagged
provisions of ``corpus/real/flagged_dev.jsonl``, and density per 10,000 words on the federal codes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from expertise.documents.reader import read_document
from expertise.documents.structure import build_document
from expertise.documents.txt_reader import read_text
from expertise.engine.findings import Finding
from expertise.pipeline import Checker

FACTOR_ORDER = ["3a", "3b", "3v", "3g", "3d", "3e", "3zh", "3z", "3i", "4a", "4b", "4v"]


@dataclass
class Gold:
    unit: str
    factor: str
    quote: str
    also_unit: str | None = None


@dataclass
class DraftResult:
    name: str
    gold: list[Gold]
    predicted: list[Finding]
    matched_gold: set[int] = field(default_factory=set)
    matched_pred: set[int] = field(default_factory=set)
    label_right: int = 0
    label_total: int = 0


def _overlap(a: str, b: str, text: str) -> bool:
    a, b = a.strip(), b.strip()
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    ia, ib = text.find(a), text.find(b)
    return ia >= 0 and ib >= 0 and ia < ib + len(b) and ib < ia + len(a)


def _matches(g: Gold, f: Finding, satellites: bool = True) -> bool:
    # satellite factors are cited together (3а+3ж, 3б+3в, 4в+…): a finding counts for its satellites too
    if g.factor != f.factor and (not satellites or g.factor not in f.also_factors):
        return False
    labels = {f.unit.label} | {u.label for u in f.related}
    if g.unit not in labels and (g.also_unit is None or g.also_unit not in labels):
        return False
    return _overlap(g.quote, f.quote, f.unit.text) or g.quote.strip() in f.unit.text or any(
        g.quote.strip() in u.text for u in f.related)


def _load_gold(path: Path) -> tuple[str, list[Gold]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    golds = [Gold(str(x["unit"]), str(x["factor"]), str(x["quote"]), x.get("also_unit"))
             for x in data.get("findings") or []]
    return data["draft"], golds


def evaluate_corpus(corpus: Path, checker: Checker) -> list[DraftResult]:
    results = []
    for gold_path in sorted((corpus / "gold").glob("*.yaml")):
        draft_name, golds = _load_gold(gold_path)
        doc = read_document(str(corpus / "drafts" / draft_name))
        predicted = checker.check_document(doc).findings
        res = DraftResult(draft_name, golds, predicted)
        # the finding's own factor first, then its satellites: a 3б finding that also cites 3а
        # answers the gold 3б, not the gold 3а beside it
        for satellites in (False, True):
            for gi, g in enumerate(golds):
                if gi in res.matched_gold:
                    continue
                for pi, f in enumerate(predicted):
                    if pi not in res.matched_pred and _matches(g, f, satellites):
                        res.matched_gold.add(gi)
                        res.matched_pred.add(pi)
                        break
        # a provision cited once with its satellite (3з with 3а, 3в with 3б) covers the satellite's
        # gold entry in the same unit too: the gold writes satellites as notes or as entries, both
        for gi, g in enumerate(golds):
            if gi not in res.matched_gold and any(
                    g.factor in f.also_factors and f.unit.label == g.unit and g.quote.strip() in f.unit.text
                    for f in predicted):
                res.matched_gold.add(gi)
        # label accuracy: gold findings found with the right factor and quote, is the unit right?
        for g in golds:
            same = [f for f in predicted if f.factor == g.factor and g.quote.strip() and
                    (g.quote.strip() in f.unit.text and _overlap(g.quote, f.quote, f.unit.text))]
            if same:
                res.label_total += 1
                res.label_right += any(f.unit.label in (g.unit, g.also_unit) for f in same)
        results.append(res)
    return results


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _duplicate_of_match(res: DraftResult, f: Finding) -> bool:
    """A second finding on the same words as a matched one, the same factor again in the same unit
    (ПФР and ФСС in one sentence), or a satellite factor in the same unit (3б beside 3в, 4в beside
    3а), is the same provision cited once more, not a false alarm."""
    return any(p is not f and i in res.matched_pred and p.unit is f.unit and (
        (p.start < f.end and f.start < p.end) or f.factor == p.factor
        or f.factor in p.also_factors or p.factor in f.also_factors)
        for i, p in enumerate(res.predicted))


def per_factor(results: list[DraftResult]) -> dict[str, Scores]:
    scores: dict[str, Scores] = defaultdict(Scores)
    for res in results:
        for gi, g in enumerate(res.gold):
            if gi in res.matched_gold:
                scores[g.factor].tp += 1
            else:
                scores[g.factor].fn += 1
        for pi, f in enumerate(res.predicted):
            if pi not in res.matched_pred and not _duplicate_of_match(res, f):
                scores[f.factor].fp += 1
    return dict(scores)


def flagged_dev_recall(path: Path, checker: Checker) -> dict:
    """Recall on real provisions flagged by Минюст, prosecutors and registers (those quoted verbatim)."""
    total = found = right = 0
    missed = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if not item.get("text"):
            continue
        total += 1
        doc = build_document(read_text(item["text"], item["id"]))
        findings = checker.check_document(doc).findings
        if findings:
            found += 1
            right += any(f.factor in item["factors"] for f in findings)
        else:
            missed.append(item["id"])
    return {"total": total, "found": found, "right_factor": right,
            "recall": found / total if total else 0.0, "right_factor_share": right / total if total else 0.0,
            "missed": missed}


def codes_density(acts: Path, checker: Checker) -> dict:
    words = 0
    counts: Counter = Counter()
    for path in sorted(acts.glob("*.txt")):
        doc = read_document(str(path))
        words += doc.word_count
        for f in checker.check_document(doc).findings:
            counts[(f.factor, f.severity)] += 1
    return {"words": words, "per_10k": {f"{k[0]}:{k[1]}": round(v * 10000 / words, 2) for k, v in sorted(counts.items())},
            "counts": {f"{k[0]}:{k[1]}": v for k, v in sorted(counts.items())}}


def report(corpus: Path, acts: Path | None, checker: Checker | None = None) -> dict:
    checker = checker or Checker()
    results = evaluate_corpus(corpus, checker)
    scores = per_factor(results)
    label_total = sum(r.label_total for r in results)
    out = {
        "drafts": len(results),
        "gold_findings": sum(len(r.gold) for r in results),
        "predicted": sum(len(r.predicted) for r in results),
        "factors": {f: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 3),
                        "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
                    for f in FACTOR_ORDER if (s := scores.get(f))},
        "label_accuracy": round(sum(r.label_right for r in results) / label_total, 3) if label_total else None,
        "errors": {
            "missed": [(r.name, g.unit, g.factor, g.quote) for r in results for i, g in enumerate(r.gold)
                       if i not in r.matched_gold],
            "false": [(r.name, f.unit.label, f.factor, f.rule, f.quote) for r in results
                      for i, f in enumerate(r.predicted) if i not in r.matched_pred and not _duplicate_of_match(r, f)],
        },
    }
    total = Scores(sum(s.tp for s in scores.values()), sum(s.fp for s in scores.values()),
                   sum(s.fn for s in scores.values()))
    out["overall"] = {"precision": round(total.precision, 3), "recall": round(total.recall, 3), "f1": round(total.f1, 3)}
    dev = corpus / "real" / "flagged_dev.jsonl"
    if dev.exists():
        out["flagged_dev"] = flagged_dev_recall(dev, checker)
    if acts is not None and acts.is_dir():
        out["codes"] = codes_density(acts, checker)
    return out


def render_table(rep: dict) -> str:
    lines = [f"Проектов: {rep['drafts']}; эталонных находок: {rep['gold_findings']}; найдено: {rep['predicted']}", "",
             "фактор  TP  FP  FN  точность  полнота  F1"]
    for factor, s in rep["factors"].items():
        lines.append(f"{factor:6} {s['tp']:3} {s['fp']:3} {s['fn']:3}  {s['precision']:8.3f} {s['recall']:8.3f} {s['f1']:6.3f}")
    o = rep["overall"]
    lines.append(f"всего              {o['precision']:8.3f} {o['recall']:8.3f} {o['f1']:6.3f}")
    if rep["label_accuracy"] is not None:
        lines.append(f"\nДоля находок с верной структурной единицей: {rep['label_accuracy']:.3f}")
    if "flagged_dev" in rep:
        d = rep["flagged_dev"]
        lines.append(f"Реальные примеры (flagged_dev, с текстом): {d['found']}/{d['total']} найдено "
                     f"(полнота {d['recall']:.3f}), верный фактор — {d['right_factor']}/{d['total']} "
                     f"({d['right_factor_share']:.3f})")
    if "codes" in rep:
        c = rep["codes"]
        lines.append(f"Плотность на кодексах ({c['words']} слов), на 10 000 слов: " +
                     ", ".join(f"{k} {v}" for k, v in c["per_10k"].items()))
    return "\n".join(lines)
