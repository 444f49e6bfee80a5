"""Command line: `expertise check …` and friends. Messages to the user are in Russian; errors are one
line on stderr with exit code 2, never a traceback."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from expertise.errors import CatalogueError, InputError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Failure(Exception):
    """Stop the command with a Russian message and exit code 2."""


def _fail(message: str) -> None:
    raise Failure(message)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="expertise", message="expertise %(version)s")
def cli() -> None:
    """Антикоррупционная экспертиза проектов нормативных правовых актов (172-ФЗ, Методика ПП РФ № 96)."""


# --- check -----------------------------------------------------------------------------------


def _collect(paths: tuple[str, ...]) -> list[str]:
    from expertise.documents.reader import is_draft_file

    files: list[str] = []
    for raw in paths:
        if raw == "-":
            files.append("-")
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and is_draft_file(f))
            if not found:
                _fail(f"В каталоге «{raw}» нет проектов для проверки (ищутся файлы DOCX и TXT).")
            files.extend(found)
        else:
            files.append(raw)
    return files


_worker_checker = None


def _init_worker(min_severity: str, rules_dirs: tuple[str, ...], config: str | None = None,
                 near: str | None = None) -> None:
    global _worker_checker
    from expertise.engine.catalogue import load_catalogue
    from expertise.pipeline import Checker
    from expertise.settings import load_settings

    settings = load_settings(config, near)
    dirs = tuple(rules_dirs) + settings.rule_dirs
    _worker_checker = Checker(load_catalogue(dirs), min_severity, settings)


def _check_one(path: str, stdin_data: bytes | None = None) -> dict:
    """Check one file in this process; returns what the output needs (plain data, picklable)."""
    from expertise.documents.reader import read_stdin_text
    from expertise.outputs.text import finding_line

    assert _worker_checker is not None
    try:
        if path == "-":
            report = _worker_checker.check_document(read_stdin_text(stdin_data or b""))
        else:
            report = _worker_checker.check_file(path)
    except InputError as exc:
        return {"path": path, "error": str(exc)}
    return {
        "path": path,
        "json": report.to_dict(),
        "lines": [finding_line(path, f) for f in report.findings],
        "findings": sum(1 for f in report.findings if f.severity == "finding"),
        "hints": sum(1 for f in report.findings if f.severity == "hint"),
    }


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Формат вывода.")
@click.option("--min-severity", type=click.Choice(["hint", "finding"]), default="hint",
              help="Показывать подсказки (hint) или только факторы (finding).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, help="Число параллельных процессов.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Дополнительный каталог правил.")
@click.option("--progress/--no-progress", default=None, help="Полоса прогресса (по умолчанию — в терминале).")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None, help="Файл настроек TOML.")
def check(paths, fmt, min_severity, jobs, rules_dirs, progress, config) -> None:
    """Проверить проекты (файлы, каталоги или «-» для текста из стандартного ввода)."""
    files = _collect(paths)
    stdin_data = sys.stdin.buffer.read() if "-" in files else None
    results = _run(files, min_severity, tuple(rules_dirs), jobs, progress, stdin_data, config, paths[0])
    errors = [r for r in results if "error" in r]
    if fmt == "json":
        from expertise.outputs.json_output import CONTRACT_VERSION
        import json

        docs = [r["json"] if "json" in r else {"path": r["path"], "title": None, "units": 0, "findings": [],
                                                  "error": r["error"]} for r in results]
        click.echo(json.dumps({"version": CONTRACT_VERSION, "documents": docs}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            for line in r.get("lines", ()):
                click.echo(line)
    for r in errors:
        click.echo(r["error"], err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(r.get("findings") for r in results) else EXIT_OK)


def _run(files, min_severity, rules_dirs, jobs, progress, stdin_data, config=None, near=None) -> list[dict]:
    if progress is None:
        progress = len(files) > 1 and sys.stderr.isatty()
    _init_worker(min_severity, rules_dirs, config, near)  # validates catalogue and settings before any work
    if jobs == 1 or len(files) == 1:
        results = []
        with _progress(progress, len(files)) as advance:
            for path in files:
                results.append(_check_one(path, stdin_data))
                advance()
        return results
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), initializer=_init_worker,
                             initargs=(min_severity, rules_dirs, config, near)) as pool:
        futures = [pool.submit(_check_one, path, stdin_data) for path in files]
        results = []
        with _progress(progress, len(files)) as advance:
            for fut in futures:
                results.append(fut.result())
                advance()
        return results


class _progress:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, enabled: bool, total: int):
        self.enabled, self.total = enabled, total
        self._bar = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        from rich.console import Console

        self._bar = Progress(TextColumn("Проверка"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                             console=Console(stderr=True), transient=True)
        self._bar.start()
        task = self._bar.add_task("check", total=self.total)
        return lambda: self._bar.advance(task)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
        return False


# --- catalogue: rules, explain ---------------------------------------------------------------


def _catalogue(rules_dirs=()):
    from expertise.engine.catalogue import load_catalogue

    return load_catalogue(tuple(rules_dirs))


@cli.command()
@click.option("--factor", help="Только правила этого фактора (например, 3b).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False))
@click.option("--check", "run_examples", is_flag=True, help="Прогнать примеры каждого правила.")
def rules(factor, fmt, rules_dirs, run_examples) -> None:
    """Перечень правил каталога (или проверка их примеров с --check)."""
    import json

    catalogue = _catalogue(rules_dirs)
    if factor and factor not in catalogue.factors:
        _fail(f"Неизвестный фактор «{factor}»: допустимы {', '.join(catalogue.factors)}.")
    selected = catalogue.select(enabled_only=False, factor=factor)
    if run_examples:
        from expertise.engine.examples import run_all

        failed = [r for r in run_all(catalogue, selected) if not r.ok]
        for result in failed:
            click.echo(f"Пример не прошёл: {result.describe()}")
        total = sum(len(r.examples) for r in selected)
        click.echo(f"Примеров: {total}; не прошли: {len(failed)}.")
        sys.exit(EXIT_FINDINGS if failed else EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "factor": r.factor.id, "severity": r.severity, "title": r.title,
                                "enabled": r.enabled, "source": r.source} for r in selected],
                              ensure_ascii=False, indent=2))
        return
    for r in selected:
        state = "" if r.enabled else " (выключено)"
        if fmt == "md":
            click.echo(f"| `{r.id}` | {r.factor.id} | {r.severity} | {r.title}{state} |")
        else:
            click.echo(f"{r.id:38} {r.factor.id:4} {r.severity:8} {r.title}{state}")


@cli.command()
@click.argument("name")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False))
def explain(name, rules_dirs) -> None:
    """Объяснить правило или фактор: основание, что ищет, когда это не фактор, примеры, исправление."""
    from expertise.outputs.reference import explain_factor, explain_rule

    catalogue = _catalogue(rules_dirs)
    if name in catalogue.by_id:
        click.echo(explain_rule(catalogue.by_id[name]))
    elif name in catalogue.factors:
        click.echo(explain_factor(catalogue, catalogue.factors[name]))
    else:
        _fail(f"Нет правила или фактора «{name}». Список правил: expertise rules")


@cli.command()
@click.option("-o", "--output", default="docs/reference.md", type=click.Path(dir_okay=False),
              help="Куда записать справочник.")
@click.option("--check", "check_only", is_flag=True, help="Только проверить, что справочник актуален.")
def docs(output, check_only) -> None:
    """Сгенерировать справочник факторов и правил (docs/reference.md) из каталога."""
    from expertise.outputs.reference import reference_markdown

    text = reference_markdown(_catalogue())
    path = Path(output)
    if check_only:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            _fail(f"Справочник «{output}» устарел: выполните «expertise docs».")
        click.echo(f"Справочник «{output}» актуален.")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"Записан справочник «{output}».")


# --- outline -------------------------------------------------------------------------------------


@cli.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def outline(path, fmt) -> None:
    """Показать структуру проекта так, как её прочитал инструмент."""
    import json

    from expertise.documents.reader import read_document, read_stdin_text

    doc = read_stdin_text(sys.stdin.buffer.read()) if path == "-" else read_document(path)
    rows = []
    for unit in doc.units:
        depth = len(unit.ancestors)
        rows.append({"kind": unit.kind, "label": unit.label, "number": unit.number, "depth": depth,
                     "text": unit.text})
    if fmt == "json":
        click.echo(json.dumps({"path": doc.path, "title": doc.title, "units": rows}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        words = " ".join(row["text"].split()[:8])
        click.echo(f"{'  ' * row['depth']}{row['label']}: {words}")


# --- eval --------------------------------------------------------------------------------------


@cli.command(name="eval")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), default="corpus",
              help="Каталог корпуса (drafts/, gold/, real/).")
@click.option("--acts", "acts_dir", type=click.Path(file_okay=False), default=None,
              help="Каталог с текстами кодексов для оценки плотности (по умолчанию ../shared/acts, если есть).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--errors", "show_errors", is_flag=True, help="Показать пропуски и ложные срабатывания.")
def evaluate(corpus_dir, acts_dir, fmt, show_errors) -> None:
    """Точность, полнота и F1 по факторам на корпусе с эталонной разметкой."""
    import json

    from expertise.evaluation import render_table, report

    corpus = Path(corpus_dir)
    if not (corpus / "gold").is_dir():
        _fail(f"В каталоге «{corpus_dir}» нет эталонной разметки (gold/).")
    acts = Path(acts_dir) if acts_dir else Path.cwd().parent / "shared" / "acts"
    rep = report(corpus, acts if acts.is_dir() else None)
    if fmt == "json":
        click.echo(json.dumps(rep, ensure_ascii=False, indent=2))
        return
    click.echo(render_table(rep))
    if show_errors:
        click.echo("\nПропущено:")
        for row in rep["errors"]["missed"]:
            click.echo("  " + " | ".join(map(str, row)))
        click.echo("Ложные срабатывания:")
        for row in rep["errors"]["false"]:
            click.echo("  " + " | ".join(map(str, row)))


# --- config ------------------------------------------------------------------------------------


@cli.group()
def config() -> None:
    """Настройки: где они заданы и что действует."""


@config.command("show")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
def config_show(config_path) -> None:
    """Показать действующие настройки и откуда взято каждое значение."""
    from expertise.settings import load_settings, user_config_path

    settings = load_settings(config_path)
    if not settings.values:
        click.echo(f"Настройки не заданы (используются значения по умолчанию). Файл пользователя: {user_config_path()}")
        return
    for (section, key), value in sorted(settings.values.items()):
        click.echo(f"{section}.{key} = {value!r}    # {settings.sources[(section, key)]}")


@config.command("set")
@click.argument("key")
@click.argument("value")
def config_set(key, value) -> None:
    """Записать значение в файл настроек пользователя (например: expert.name "Иванов И.И.")."""
    import tomli_w

    from expertise.settings import SCHEMA, load_file, user_config_path

    section, _, name = key.partition(".")
    if section not in SCHEMA or name not in SCHEMA[section] or SCHEMA[section][name] is not str:
        allowed = ", ".join(f"{s}.{k}" for s, keys in SCHEMA.items() for k, t in keys.items() if t is str)
        _fail(f"Параметр «{key}» нельзя задать этой командой; допустимы: {allowed}.")
    path = user_config_path()
    data = load_file(path) if path.is_file() else {}
    data.setdefault(section, {})[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    load_file(tmp)  # validate before replacing
    os.replace(tmp, path)
    click.echo(f"{key} = {value!r} записано в {path}")


# --- commands from expertise/commands --------------------------------------------------------


def load_commands() -> None:
    import importlib
    import pkgutil

    import expertise.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


load_commands()


# --- entry point -----------------------------------------------------------------------------


def _usage_message(exc: click.exceptions.UsageError) -> str:
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"неизвестный параметр {exc.option_name}"
    if isinstance(exc, click.exceptions.MissingParameter):
        name = exc.param.human_readable_name if exc.param else "аргумент"
        return f"не указан обязательный аргумент {name}"
    if isinstance(exc, click.exceptions.BadParameter):
        name = exc.param.human_readable_name if exc.param else "параметр"
        return f"неверное значение {name}: {exc.message}"
    if exc.message.startswith("No such command"):
        return f"неизвестная команда: {exc.message.split(' ', 3)[-1]}"
    return exc.format_message()


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    try:
        rv = cli.main(args=argv, prog_name="expertise", standalone_mode=False)
    except Failure as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_ERROR)
    except (InputError, CatalogueError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.UsageError as exc:
        click.echo(f"expertise: {_usage_message(exc)}. Справка: expertise --help", err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("Прервано.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("Прервано.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:  # noqa: BLE001 - never show a traceback to a lawyer
        click.echo(f"Внутренняя ошибка expertise ({exc.__class__.__name__}): {exc}. Сообщите разработчикам.",
                   err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(rv if isinstance(rv, int) else EXIT_OK)


if __name__ == "__main__":
    main()
