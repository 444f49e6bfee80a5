"""Text output: one line per finding, `path:unit label:factor:rule: message` (like a linter)."""

from __future__ import annotations

from expertise.pipeline import Report

_HINT = "[проверить] "


def finding_line(path: str, finding) -> str:
    prefix = _HINT if finding.severity == "hint" else ""
    units = finding.units_label
    return f"{path}:{units}:{finding.factor}:{finding.rule}: {prefix}«{finding.quote}» — {finding.title}"


def render_text(reports: list[Report]) -> str:
    lines = []
    for report in reports:
        for finding in report.findings:
            lines.append(finding_line(report.path, finding))
    return "\n".join(lines)


def summary_line(reports: list[Report]) -> str:
    findings = sum(1 for r in reports for f in r.findings if f.severity == "finding")
    hints = sum(1 for r in reports for f in r.findings if f.severity == "hint")
    docs = sum(1 for r in reports if r.document is not None)
    return f"Проверено документов: {docs}; коррупциогенных факторов: {findings}; подсказок для проверки: {hints}."
