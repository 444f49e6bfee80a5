"""JSON output (contract version 1; fields are only ever added)."""

from __future__ import annotations

import json

from expertise.pipeline import Report

CONTRACT_VERSION = 1


def render_json(reports: list[Report]) -> str:
    return json.dumps({"version": CONTRACT_VERSION, "documents": [r.to_dict() for r in reports]},
                      ensure_ascii=False, indent=2)
