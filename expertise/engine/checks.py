"""Python checks: what token patterns cannot express (document-level analyses, cross-unit logic).

A check is registered under a name and referenced from a rule's ``check:`` key in the catalogue;
the rule supplies the metadata (factor, explanation, examples). A check yields ``Hit``s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from expertise.documents.model import Unit

if TYPE_CHECKING:
    from expertise.engine.catalogue import Rule
    from expertise.engine.context import DocContext


@dataclass
class Hit:
    unit: Unit
    start: int
    end: int
    related: list[Unit] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # extra variables for the templates


CheckFn = Callable[["DocContext", "Rule"], Iterable[Hit]]
CHECKS: dict[str, CheckFn] = {}


def register_check(name: str) -> Callable[[CheckFn], CheckFn]:
    def wrap(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn

    return wrap
