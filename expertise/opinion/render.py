"""Rendering the opinion from templates: Jinja2 for Markdown and HTML, docxtpl (Jinja2 inside a Word
document) for DOCX.

Templates are looked up by name — ``{form}.{format}`` (``independent.docx``, ``table.md`` …) and
the partials they include (``_findings.md`` …) — first in the user's ``--templates DIR``, then in the
templates shipped with the package (``expertise.templates``), so a user may override one file.

Safety: every template runs in Jinja2's sandbox with undefined variables refused. HTML and DOCX are
autoescaped (``<``, ``&``, quotes); Markdown escapes the characters that would turn a value into
markup (``* _ [ ] < > | & # ~ `` and the backslash). A value is text: «{{ … }}» or «{% … %}» inside a
title is printed, never executed. Control characters are removed from the context beforehand
(:func:`expertise.opinion.context.clean`).
"""

from __future__ import annotations

import importlib.resources
import io
import os
import tempfile
import zipfile
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from expertise.errors import InputError
from expertise.opinion.context import capfirst, lowerfirst

FORMATS = ("docx", "md", "html")
_MD_SPECIAL = frozenset("\\`*_[]<>|&#~")


def builtin_dir() -> Path:
    return Path(str(importlib.resources.files("expertise.templates")))


def template_name(form: str, fmt: str) -> str:
    return f"{form}.{fmt}"


def md_escape(value: object) -> str:
    """Backslash-escape what CommonMark/GFM would read as markup (any ASCII punctuation may be escaped)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(value))


def _md_finalize(value: object) -> object:
    if value is None or isinstance(value, (Markup, int, float, bool)):
        return value
    return md_escape(value)


def _filters() -> dict:
    return {"capfirst": capfirst, "lowerfirst": lowerfirst}


def _search_path(templates_dir: str | None) -> list[str]:
    paths = [str(builtin_dir())]
    if templates_dir:
        paths.insert(0, str(templates_dir))
    return paths


def check_templates_dir(templates_dir: str | None) -> None:
    if templates_dir and not Path(templates_dir).is_dir():
        raise InputError(f"Каталог шаблонов «{templates_dir}» не найден.")


def text_environment(fmt: str, templates_dir: str | None = None) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(_search_path(templates_dir), encoding="utf-8"),
        autoescape=(fmt == "html"),
        finalize=_md_finalize if fmt == "md" else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_filters())
    return env


def _template_error(name: str, exc: Exception) -> InputError:
    if isinstance(exc, jinja2.TemplateNotFound):
        return InputError(f"Шаблон «{exc.name}» не найден ни в каталоге шаблонов, ни среди встроенных шаблонов.")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = exc.filename or exc.name or name
        line = f", строка {exc.lineno}" if exc.lineno and not name.endswith(".docx") else ""
        return InputError(f"Ошибка в шаблоне «{where}»{line}: {exc.message}.")
    if isinstance(exc, jinja2.UndefinedError):
        return InputError(f"Шаблон «{name}» обращается к переменной, которой нет в заключении ({exc.message}); "
                          "переменные перечислены в README.")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return InputError(f"Шаблон «{name}» выполняет недопустимую операцию ({exc}).")
    return InputError(f"Ошибка в шаблоне «{name}»: {exc}.")


def _find_file(name: str, templates_dir: str | None) -> Path:
    for directory in _search_path(templates_dir):
        candidate = Path(directory) / name
        if candidate.is_file():
            return candidate
    raise InputError(f"Шаблон «{name}» не найден ни в каталоге шаблонов, ни среди встроенных шаблонов.")


def render_text(context: dict, form: str, fmt: str, templates_dir: str | None = None) -> str:
    name = template_name(form, fmt)
    env = text_environment(fmt, templates_dir)
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateError as exc:
        raise _template_error(name, exc) from None


def render_docx(context: dict, form: str, templates_dir: str | None = None) -> bytes:
    from docxtpl import DocxTemplate

    name = template_name(form, "docx")
    path = _find_file(name, templates_dir)
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception:  # noqa: BLE001 - a user's file that is not a Word document
        raise InputError(f"Шаблон «{path}» не читается как документ DOCX.") from None
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(_filters())
    try:
        template.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateError as exc:
        raise _template_error(str(path), exc) from None
    props = template.docx.core_properties
    props.title = "Заключение по результатам антикоррупционной экспертизы"
    props.subject = context["act"]["name"][:255]
    props.author = (context["expert"]["display"] or "expertise")[:255]
    props.keywords = "антикоррупционная экспертиза"
    out = io.BytesIO()
    template.save(out)
    data = out.getvalue()
    _check_docx(data, path)
    return data


def _check_docx(data: bytes, path: Path) -> None:
    """The rendered document must be well-formed XML (a template that breaks the markup is refused)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for part in zf.namelist():
            if part.endswith(".xml"):
                try:
                    etree.fromstring(zf.read(part), etree.XMLParser(resolve_entities=False, no_network=True))
                except etree.XMLSyntaxError as exc:
                    raise InputError(f"Шаблон «{path}» дает поврежденный документ ({part}: {exc}).") from None


def render_opinion(context: dict, form: str, fmt: str, templates_dir: str | None = None) -> bytes:
    """The opinion as the bytes of a file of format ``fmt`` (docx, md or html)."""
    if fmt not in FORMATS:
        raise InputError(f"Неизвестный формат заключения «{fmt}»: допустимы {', '.join(FORMATS)}.")
    check_templates_dir(templates_dir)
    if fmt == "docx":
        return render_docx(context, form, templates_dir)
    return render_text(context, form, fmt, templates_dir).encode("utf-8")


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over: never a half-written opinion."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent or "."))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
