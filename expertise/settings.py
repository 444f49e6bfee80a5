"""Settings: `expertise.toml` found next to the work, `--config`, or the user's config directory.

Precedence (highest first): the file given by ``--config``; the nearest ``expertise.toml`` walking up
from the draft (or the current directory); ``config.toml`` in the user's config directory; defaults.
Each effective value remembers where it came from (``expertise config show``).

```toml
[rules]
disable = ["3b.vpravo-unclear", "4v"]      # rule ids or whole factors
enable = ["4v.predpochtitelno"]            # switch on rules that ship switched off
severity = { "3a.indefinite-period" = "finding" }
dirs = ["our-rules"]                       # organisation rules, relative to this file

[opinion]
form = "independent"                       # independent | departmental | table

[expert]
name = "Иванов Иван Иванович"
organization = ""
accreditation = "распоряжение Минюста России от 01.02.2024 № 123-р"
position = "независимый эксперт"
```
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from expertise.errors import CatalogueError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE_NAME = "expertise.toml"
SCHEMA: dict[str, dict[str, type | tuple]] = {
    "rules": {"disable": list, "enable": list, "severity": dict, "dirs": list},
    "opinion": {"form": str, "templates": str},
    "expert": {"name": str, "organization": str, "accreditation": str, "position": str, "signature": str,
               "address": str},
    "registry": {"db": str},
}
OPINION_FORMS = ("independent", "departmental", "table")


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir("expertise", appauthor=False)) / "config.toml"


@dataclass
class Settings:
    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.values.get((section, key), default)

    @property
    def rule_dirs(self) -> tuple[str, ...]:
        return tuple(self.get("rules", "dirs", []))


def _line_of(text: str, key: str) -> int:
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(key) or f'"{key}"' in line:
            return n
    return 1


def load_file(path: Path) -> dict[str, Any]:
    """Parse and validate one settings file; errors name the file and the line, in Russian."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"{path}: не удалось прочитать файл настроек ({exc.strerror or exc}).") from None
    except UnicodeDecodeError:
        raise CatalogueError(f"{path}: файл настроек должен быть в кодировке UTF-8.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = msg.rsplit("line ", 1)[-1].split(",")[0] if "line " in msg else "1"
        raise CatalogueError(f"{path}:{line}: ошибка синтаксиса TOML ({msg.split(' (at')[0]}).") from None
    for section, body in data.items():
        if section not in SCHEMA:
            raise CatalogueError(f"{path}:{_line_of(text, '[' + section)}: неизвестный раздел настроек «{section}».")
        if not isinstance(body, dict):
            raise CatalogueError(f"{path}:{_line_of(text, section)}: «{section}» должен быть разделом [{section}].")
        for key, value in body.items():
            expected = SCHEMA[section].get(key)
            if expected is None:
                raise CatalogueError(f"{path}:{_line_of(text, key)}: неизвестный параметр «{section}.{key}».")
            if not isinstance(value, expected):
                raise CatalogueError(f"{path}:{_line_of(text, key)}: неверный тип значения «{section}.{key}».")
    rules = data.get("rules", {})
    for rule_id, severity in rules.get("severity", {}).items():
        if severity not in ("hint", "finding"):
            raise CatalogueError(f"{path}:{_line_of(text, rule_id)}: уровень «{severity}» для «{rule_id}» — "
                                 "допустимы hint и finding.")
    if "dirs" in rules:
        rules["dirs"] = [str((path.parent / d).resolve()) for d in rules["dirs"]]
    form = data.get("opinion", {}).get("form")
    if form is not None and form not in OPINION_FORMS:
        raise CatalogueError(f"{path}:{_line_of(text, 'form')}: форма заключения «{form}» — допустимы "
                             f"{', '.join(OPINION_FORMS)}.")
    return data


def find_project_file(start: Path) -> Path | None:
    start = start if start.is_dir() else start.parent
    for directory in [start, *start.parents]:
        candidate = directory / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(config: str | None = None, near: str | None = None) -> Settings:
    layers: list[Path] = []
    user = user_config_path()
    if user.is_file():
        layers.append(user)
    project = find_project_file(Path(near).resolve() if near and near != "-" else Path.cwd())
    if project is not None:
        layers.append(project)
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise CatalogueError(f"{config}: файл настроек не найден.")
        layers.append(path)
    settings = Settings()
    for path in layers:
        for section, body in load_file(path).items():
            for key, value in body.items():
                settings.values[(section, key)] = value
                settings.sources[(section, key)] = str(path)
    return settings


def apply_to_rules(settings: Settings, rules: list) -> list:
    """The rules to run: enabled by default or by `enable`, minus `disable`, with severity overrides."""
    disable = set(settings.get("rules", "disable", []))
    enable = set(settings.get("rules", "enable", []))
    severity = settings.get("rules", "severity", {})
    known = {r.id for r in rules} | {r.factor.id for r in rules}
    for name in (disable | enable | set(severity)) - known:
        raise CatalogueError(f"{settings.sources.get(('rules', 'disable'), 'настройки')}: нет правила или "
                             f"фактора «{name}».")
    out = []
    for rule in rules:
        on = (rule.enabled or rule.id in enable or rule.factor.id in enable) and not (
            rule.id in disable or rule.factor.id in disable)
        if not on:
            continue
        if rule.id in severity:
            from dataclasses import replace

            rule = replace(rule, severity=severity[rule.id])
        out.append(rule)
    return out
