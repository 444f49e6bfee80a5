"""The rule catalogue: factors and rules loaded from YAML files in ``factors/`` (and user directories).

One file per factor (or factor family). A file holds ``factor:`` and a list of ``rules:``; each rule
carries its id, title, severity, explanation, recommendation (a Jinja2 template), what it
deliberately does not flag, examples (``fires`` with the quoted span in [brackets], ``clean``), and
either a token ``pattern`` (with ``antipatterns`` and ``conditions``) or a registered Python
``check``. The legal basis defaults to the factor's canonical Методика citation.
"""

from __future__ import annotations

import functools
import importlib
import importlib.resources
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from expertise.engine.patterns import Pattern, compile_pattern
from expertise.errors import CatalogueError

SEVERITIES = ("hint", "finding")
_RULE_KEYS = {
    "id", "title", "severity", "explanation", "recommendation", "not_a_factor", "examples",
    "pattern", "antipatterns", "conditions", "check", "legal_basis", "satellites", "enabled",
    "factor", "params",
}


@dataclass(frozen=True)
class Factor:
    id: str
    item: str  # «подпункт «а» пункта 3»
    name: str
    definition: str
    satellites: tuple[str, ...]
    citation: str  # canonical: item + Методика


@dataclass(frozen=True)
class Example:
    fires: bool
    text: str  # without the brackets
    span: tuple[int, int] | None  # the marked quote in ``text``, for positive examples

    @property
    def quote(self) -> str | None:
        return self.text[self.span[0] : self.span[1]] if self.span else None


@dataclass
class Rule:
    id: str
    factor: Factor
    title: str
    severity: str
    explanation: str
    recommendation: str
    legal_basis: str
    examples: list[Example]
    source: str  # file:line
    not_a_factor: str = ""
    patterns: list[Pattern] = field(default_factory=list)  # alternatives
    antipatterns: list[Pattern] = field(default_factory=list)
    conditions: list[tuple[str, Any]] = field(default_factory=list)
    check: str | None = None
    satellites: tuple[str, ...] = ()
    enabled: bool = True
    params: dict[str, Any] = field(default_factory=dict)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping (for error messages)."""


def _construct_mapping(loader, node, deep=False):
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


class _Mapping(dict):
    line = 0


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogueError(f"{where}: ошибка синтаксиса YAML ({problem}).") from None


def parse_example(raw: str, fires: bool, where: str) -> Example:
    if not isinstance(raw, str) or not raw.strip():
        raise CatalogueError(f"{where}: пример должен быть непустой строкой.")
    if not fires:
        return Example(False, raw.strip("\n"), None)
    text = raw.strip("\n")
    start = text.find("[")
    end = text.find("]", start + 1)
    if start < 0 or end < 0 or text.find("[", end) >= 0:
        raise CatalogueError(f"{where}: в положительном примере отметьте цитату одной парой [квадратных скобок].")
    clean = text[:start] + text[start + 1 : end] + text[end + 1 :]
    return Example(True, clean, (start, end - 1))


class Catalogue:
    def __init__(self, factors: dict[str, Factor], rules: list[Rule], methodika: str, version_note: str):
        self.factors = factors
        self.rules = rules
        self.methodika = methodika
        self.version_note = version_note
        self.by_id = {r.id: r for r in rules}

    def select(self, enabled_only: bool = True, factor: str | None = None) -> list[Rule]:
        return [r for r in self.rules if (r.enabled or not enabled_only) and (factor is None or r.factor.id == factor)]

    def rule(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]


def _factors(path_text: str, name: str) -> tuple[dict[str, Factor], str, str]:
    data = load_yaml(path_text, name)
    methodika = " ".join(str(data["methodika"]).split())
    factors = {}
    for raw in data["factors"]:
        citation = f"{raw['item']} {methodika}"
        factors[str(raw["id"])] = Factor(
            id=str(raw["id"]), item=raw["item"], name=raw["name"], definition=" ".join(raw["definition"].split()),
            satellites=tuple(raw.get("satellites") or ()), citation=citation,
        )
    return factors, methodika, " ".join(str(data.get("version_note", "")).split())


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def parse_rule_file(text: str, name: str, factors: dict[str, Factor]) -> list[Rule]:
    data = load_yaml(text, name)
    if not isinstance(data, dict) or "rules" not in data:
        raise CatalogueError(f"{name}: файл правил должен содержать ключи «factor» и «rules».")
    default_factor = str(data.get("factor", ""))
    rules = []
    for raw in data["rules"] or []:
        where = f"{name}:{getattr(raw, 'line', 0)}"
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}: правило должно быть словарём.")
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise CatalogueError(f"{where}: неизвестные ключи правила: {', '.join(sorted(unknown))}.")
        for key in ("id", "title", "severity", "explanation", "recommendation", "examples"):
            if not raw.get(key):
                raise CatalogueError(f"{where}: у правила нет обязательного поля «{key}».")
        factor_id = str(raw.get("factor", default_factor))
        if factor_id not in factors:
            raise CatalogueError(f"{where}: неизвестный фактор «{factor_id}».")
        if raw["severity"] not in SEVERITIES:
            raise CatalogueError(f"{where}: severity должна быть hint или finding, получено «{raw['severity']}».")
        if bool(raw.get("pattern")) == bool(raw.get("check")):
            raise CatalogueError(f"{where}: у правила должен быть ровно один из ключей «pattern» или «check».")
        examples_raw = raw["examples"]
        if not isinstance(examples_raw, dict):
            raise CatalogueError(f"{where}: examples должен содержать списки fires и clean.")
        examples = [parse_example(e, True, where) for e in examples_raw.get("fires") or []]
        examples += [parse_example(e, False, where) for e in examples_raw.get("clean") or []]
        n_pos = sum(e.fires for e in examples)
        if n_pos < 2 or len(examples) - n_pos < 2:
            raise CatalogueError(f"{where}: правилу «{raw['id']}» нужны не менее двух примеров fires и двух clean.")
        conditions = []
        for cond in raw.get("conditions") or []:
            if isinstance(cond, str):
                conditions.append((cond, None))
            elif isinstance(cond, dict) and len(cond) == 1:
                conditions.append(next(iter(cond.items())))
            else:
                raise CatalogueError(f"{where}: условие должно быть именем или словарём из одного ключа.")
        factor = factors[factor_id]
        rules.append(Rule(
            id=str(raw["id"]), factor=factor, title=_text(raw["title"]), severity=raw["severity"],
            explanation=_text(raw["explanation"]), recommendation=_text(raw["recommendation"]),
            legal_basis=_text(raw.get("legal_basis")) or factor.citation, examples=examples, source=where,
            not_a_factor=_text(raw.get("not_a_factor")),
            patterns=_patterns(raw.get("pattern"), where),
            antipatterns=[compile_pattern(p, f"{where} antipatterns") for p in raw.get("antipatterns") or []],
            conditions=conditions, check=raw.get("check"),
            satellites=tuple(raw.get("satellites") or factor.satellites), enabled=bool(raw.get("enabled", True)),
            params=dict(raw.get("params") or {}),
        ))
    return rules


def _patterns(raw: Any, where: str) -> list[Pattern]:
    """A rule's ``pattern``: one token list, or a list of alternative token lists."""
    if not raw:
        return []
    if isinstance(raw, list) and all(isinstance(p, list) for p in raw):
        return [compile_pattern(p, f"{where} pattern[{n}]") for n, p in enumerate(raw)]
    return [compile_pattern(raw, f"{where} pattern")]


def _builtin_files() -> list[tuple[str, str]]:
    root = importlib.resources.files("expertise.factors")
    files = sorted((p for p in root.iterdir() if p.name.endswith(".yaml") and p.name != "factors.yaml"),
                   key=lambda p: p.name)
    return [(f"factors/{p.name}", p.read_text(encoding="utf-8")) for p in files]


def _import_checks() -> None:
    """Import the Python checks shipped in factors/checks so that they register themselves."""
    import expertise.factors.checks as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")


def load_catalogue(extra_dirs: tuple[str, ...] = ()) -> Catalogue:
    return _load(tuple(str(Path(d)) for d in extra_dirs))


@functools.cache
def _load(extra_dirs: tuple[str, ...]) -> Catalogue:
    root = importlib.resources.files("expertise.factors")
    factors, methodika, note = _factors(root.joinpath("factors.yaml").read_text(encoding="utf-8"), "factors/factors.yaml")
    _import_checks()
    rules: list[Rule] = []
    sources = _builtin_files()
    for directory in extra_dirs:
        path = Path(directory)
        if not path.is_dir():
            raise CatalogueError(f"{directory}: каталог правил не найден.")
        for file in sorted(path.glob("*.yaml")):
            try:
                sources.append((str(file), file.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                raise CatalogueError(f"{file}: не удалось прочитать файл правил ({exc.__class__.__name__}).") from None
        for module in sorted(path.glob("*.py")):
            _import_path(module)
    seen: dict[str, str] = {}
    from expertise.engine.checks import CHECKS
    from expertise.engine.conditions import CONDITIONS

    for name, text in sources:
        for rule in parse_rule_file(text, name, factors):
            if rule.id in seen:
                raise CatalogueError(f"{rule.source}: правило «{rule.id}» уже определено в {seen[rule.id]}.")
            if rule.check and rule.check not in CHECKS:
                raise CatalogueError(f"{rule.source}: проверка «{rule.check}» не зарегистрирована.")
            for cond, _ in rule.conditions:
                if cond not in CONDITIONS:
                    raise CatalogueError(f"{rule.source}: неизвестное условие «{cond}».")
            seen[rule.id] = rule.source
            rules.append(rule)
    return Catalogue(factors, rules, methodika, note)


def _import_path(module: Path) -> None:
    spec = importlib.util.spec_from_file_location(f"expertise_user_rules.{module.stem}", module)
    if spec is None or spec.loader is None:
        raise CatalogueError(f"{module}: не удалось загрузить модуль проверок.")
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception as exc:  # noqa: BLE001 - a user's module: report, do not crash
        raise CatalogueError(f"{module}: ошибка в модуле проверок ({exc.__class__.__name__}: {exc}).") from None
