"""PDF drafts with a text layer: lines re-joined into paragraphs, running heads and page numbers dropped.

The text is taken with pdfminer.six (pure Python) character by character, without its layout
analysis: characters are grouped into visual lines by their vertical position and ordered left to
right, a space is put where the source has a space glyph or a gap wider than a quarter of the font
size (justified text), and runs of spaces are collapsed. What follows works on these lines.

Running heads and feet
----------------------
A block of one or two lines at the top or at the bottom of a page is dropped when it stands apart
from the body (a gap wider than 1.3 line pitches) and each of its lines is a page number (``2``,
``- 2 -``, ``— 2 —``, ``Стр. 2``, ``Страница 2 из 5``, ``2/5``) or a text (digits ignored) that
stands at the same height among the edge lines of at least two pages and of at least half of them.

Paragraphs
----------
Lines are read page after page, top to bottom. A line continues the previous one unless:

* the previous line ends with a hyphen after a letter (a word broken at the line end): the lines are
  joined without a space. The hyphen is dropped («предостав-» + «ления» → «предоставления») unless
  the next part starts with a capital or a digit («Ханты-Мансийский», «131-ФЗ»), is a particle
  («что-либо», «кто-нибудь», «какой-то») or the joined word is not in the pymorphy3 dictionary while
  both halves are («социально-экономический»);
* the line starts with a structural marker («1.», «2.3.», «2.3 Текст», «1)», «а)», «Статья 5»,
  «Глава 2», «Раздел II», «IV.», «Приложение»), or with a dash bullet after a line ending with
  «;», «:» or «.»; or either line is an act's type in capitals alone («ПОСТАНОВЛЕНИЕ», «РЕШЕНИЕ»,
  «ПОРЯДОК» …);
* it stands lower than the previous line by more than 1.5 line pitches (the page's smallest
  recurring distance between neighbouring lines: paragraph spacing only makes distances larger),
  is set in another font size, or starts a new column;
* the previous line ended early — the first word of this line would have fitted on it before the
  right edge (where justified lines end; for ragged text the widest line, at least as far from the
  page's right side as the text is from its left side), so the author ended the line: the end of a
  paragraph or a manual break — or this line is indented from the text's left edge (a first-line
  indent), and this line does not start with a small letter; a line that starts with a small letter
  is a new paragraph in these two cases only if the previous one ends with «.», «;» or «:»
  (unnumbered enumerations). Two centred lines of which the first was filled to the width are one
  paragraph (a wrapped title) when the second starts with a small letter or both are in capitals.

Table rows come out as paragraphs (the cells of a row, left to right, on one line).

``Location("text", index)``: the paragraph's position among the paragraphs of the file.

Errors (:class:`~expertise.errors.InputError`, in Russian): no text layer at all (a scan), a text
layer that cannot be decoded (fonts without a Unicode map), a password needed to open the file, a
damaged file.
"""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

import regex

from expertise.documents.blocks import Location, Paragraph, RawDocument
from expertise.errors import InputError

MAX_PAGES = 2000  # a draft longer than this is not a draft
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a running head or foot

_PAGE_NUMBER = regex.compile(
    r"^[\s\-–—]*(?:(?:стр\.?|страница)\s*)?\d{1,4}(?:\s*(?:из|/)\s*\d{1,4})?[\s\-–—]*$", regex.IGNORECASE
)
_LINE_MARKER = regex.compile(
    r"""^(?:
        \d{1,3}(?:\.\d{1,3})*\.(?:\s|$)            # 1.  2.3.  2.3.1.
      | \d{1,3}(?:\.\d{1,3})+\s+\p{Lu}             # 2.3 Заявитель
      | \d{1,3}(?:\.\d{1,3})?\)\s                  # 1)  2.1)
      | [а-яё]\)\s                                 # а)
      | (?:Статья|СТАТЬЯ|Глава|ГЛАВА|Раздел|РАЗДЕЛ)\s+(?:\d|[IVXLC]+\b)
      | [IVXLC]{1,6}\.\s                           # IV. Заключительные положения
      | (?:Приложение|ПРИЛОЖЕНИЕ)(?:\s|$)
    )""",
    regex.X,
)
_ACT_TYPES = frozenset({
    "ПОСТАНОВЛЕНИЕ", "РЕШЕНИЕ", "РАСПОРЯЖЕНИЕ", "ПРИКАЗ", "УКАЗ", "ЗАКОН", "ПРОЕКТ", "ОПРЕДЕЛЕНИЕ",
    "ФЕДЕРАЛЬНЫЙ ЗАКОН", "ПОЛОЖЕНИЕ", "ПОРЯДОК", "ПРАВИЛА", "РЕГЛАМЕНТ",
})
_BULLET = regex.compile(r"^[\-–—•]\s")
_BROKEN_WORD = regex.compile(r"(?<=[\p{L}\d])[-\u2010\u2011]$")
_LEFT_PART = regex.compile(r"([\p{L}]+)[-\u2010\u2011]$")
_RIGHT_PART = regex.compile(r"^([\p{L}]+)")
_PARTICLES = frozenset({"либо", "нибудь", "то", "ка", "таки", "де", "тка"})
_PREFIXES = frozenset({"кое", "кой", "экс", "вице", "лейб", "обер", "унтер", "штаб", "контр"})
_SPACE_CHARS = {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\t": " "}
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    y0: float  # bottom of the glyph boxes
    y1: float  # top
    size: float
    first_word: float  # width of the first word, to tell whether it would have fitted above


@dataclass
class _Page:
    number: int
    x0: float  # the page's left and right edges (the media box)
    x1: float
    lines: list[_Line] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Extraction (pdfminer.six)


@contextmanager
def _quiet_pdfminer():
    """pdfminer logs warnings about damaged files; the user gets one Russian line, not those."""
    logger = logging.getLogger("pdfminer")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    logger.handlers = [logging.NullHandler()]
    logger.propagate = False
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]


def _damaged(path: str) -> InputError:
    return InputError(
        f"Файл «{path}» повреждён или не является документом PDF: откройте его в программе просмотра PDF "
        "и сохраните заново (или сохраните проект в формате DOCX)."
    )


def _extract(path: str, data: bytes) -> tuple[list[_Page], str | None]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    protected = InputError(
        f"Файл «{path}» защищён паролем: откройте его, снимите защиту (или сохраните копию без пароля) "
        "и повторите проверку."
    )
    pages: list[_Page] = []
    with _quiet_pdfminer():
        try:
            document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        except PDFPasswordIncorrect:
            raise protected from None
        except PDFEncryptionError:
            raise InputError(
                f"Файл «{path}» зашифрован способом, который не поддерживается: сохраните копию без "
                "защиты или в формате DOCX и повторите проверку."
            ) from None
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception:  # pdfminer raises many kinds of errors on damaged files
            raise _damaged(path) from None
        title = _info_title(document)
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        try:
            for number, page in enumerate(PDFPage.create_pages(document)):
                if number >= MAX_PAGES:
                    raise InputError(
                        f"Файл «{path}» слишком велик: в нём больше {MAX_PAGES} страниц."
                    )
                interpreter.process_page(page)
                layout = device.get_result()
                x0, _, x1, _ = layout.bbox
                chars = list(_chars(layout))
                pages.append(_Page(number, x0, x1, _lines(number, chars)))
        except InputError:
            raise
        except (MemoryError, KeyboardInterrupt):
            raise
        except PDFPasswordIncorrect:
            raise protected from None
        except Exception:
            if not pages:
                raise _damaged(path) from None
            # a damaged tail: keep the pages that were read
    return pages, title


def _info_title(document) -> str | None:
    from pdfminer.utils import decode_text

    try:
        for info in document.info:
            value = info.get("Title")
            if hasattr(value, "resolve"):
                value = value.resolve()
            if isinstance(value, bytes):
                value = decode_text(value)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
    except Exception:
        return None
    return None


def _chars(container):
    from pdfminer.layout import LTChar, LTContainer

    for item in container:
        if isinstance(item, LTChar):
            if not item.upright:
                continue
            text = item.get_text()
            text = _SPACE_CHARS.get(text, text)
            text = _LIGATURES.get(text, text)
            if text in ("\r", "\n"):
                continue
            yield _Char(text, item.x0, item.x1, item.y0, item.y1, item.size or (item.y1 - item.y0))
        elif isinstance(item, LTContainer):
            yield from _chars(item)


def _lines(page: int, chars: list[_Char]) -> list[_Line]:
    """Characters grouped into visual lines, top to bottom."""
    chars = [c for c in chars if c.x1 >= c.x0]
    chars.sort(key=lambda c: -c.middle)
    groups: list[list[_Char]] = []
    for c in chars:
        if groups:
            ref = groups[-1]
            middle = ref[0].middle
            size = max(ref[0].size, 1.0)
            if abs(middle - c.middle) <= 0.45 * size:
                ref.append(c)
                continue
        groups.append([c])
    lines = []
    for group in groups:
        line = _make_line(page, group)
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda ln: (-round(ln.y0, 0), ln.x0))
    return lines


def _make_line(page: int, group: list[_Char]) -> _Line | None:
    group.sort(key=lambda c: c.x0)
    parts: list[str] = []
    visible: list[_Char] = []
    first_word_end: float | None = None
    space = False
    for c in group:
        if c.text.isspace() or not c.text:
            space = True
            continue
        if visible:
            previous = visible[-1]
            if c.text == previous.text and abs(c.x0 - previous.x0) < 0.1 * c.size:
                continue  # the same glyph printed twice (fake bold)
            if c.x0 - previous.x1 > 0.25 * min(c.size, previous.size):
                space = True
            if space:
                parts.append(" ")
                if first_word_end is None:
                    first_word_end = previous.x1
        space = False
        parts.append(c.text)
        visible.append(c)
    if not visible:
        return None
    text = " ".join("".join(parts).split())
    if first_word_end is None:
        first_word_end = visible[-1].x1
    sizes = sorted(c.size for c in visible)
    return _Line(
        page=page,
        text=text,
        x0=visible[0].x0,
        x1=max(c.x1 for c in visible),
        y0=min(c.y0 for c in visible),
        y1=max(c.y1 for c in visible),
        size=sizes[len(sizes) // 2],
        first_word=first_word_end - visible[0].x0,
    )


# --------------------------------------------------------------------------------------------
# Running heads, feet and page numbers


def _normal(text: str) -> str:
    return " ".join(regex.sub(r"\d+", "#", text.lower()).split())


def _document_pitch(pages: list[_Page]) -> float | None:
    """The smallest distance between neighbouring lines that recurs in the document."""
    steps: dict[float, int] = {}
    for page in pages:
        for a, b in zip(page.lines, page.lines[1:]):
            step = a.y0 - b.y0
            if 0 < step < 3 * max(a.size, b.size):
                key = round(step * 2) / 2
                steps[key] = steps.get(key, 0) + 1
    recurring = [step for step, k in steps.items() if k >= 2]
    return min(recurring) if recurring else (min(steps) if steps else None)


def _drop_running(pages: list[_Page]) -> None:
    """Drop running heads and feet: page numbers, and lines repeated at the same place of most pages.

    Only a block of at most two lines at the top or the bottom of a page is considered, and only
    when it stands apart from the body (a gap wider than 1.3 line pitches), so that body lines that
    happen to repeat are kept.
    """
    counted = [p for p in pages if p.lines]
    pitch = _document_pitch(counted)
    seen: dict[str, list[tuple[int, float]]] = {}
    for page in counted:
        for line in page.lines[:EDGE_LINES] + page.lines[-EDGE_LINES:]:
            seen.setdefault(_normal(line.text), []).append((page.number, line.y0))
    need = max(2, (len(counted) + 1) // 2)

    def running(line: _Line) -> bool:
        if _PAGE_NUMBER.match(line.text):
            return True
        if len(counted) < 2:
            return False
        places = seen.get(_normal(line.text), [])
        return len({n for n, y in places if abs(y - line.y0) <= 3.0}) >= need

    def apart(upper: _Line, lower: _Line) -> bool:
        step = upper.y0 - lower.y0
        return pitch is None or step > 1.3 * pitch or step < 0

    for page in counted:
        lines = page.lines
        top = 0
        for k in range(min(EDGE_LINES, len(lines)), 0, -1):
            block = lines[:k]
            if all(running(ln) for ln in block) and (k == len(lines) or apart(lines[k - 1], lines[k])):
                top = k
                break
        bottom = len(lines)
        for k in range(min(EDGE_LINES, len(lines) - top), 0, -1):
            start = len(lines) - k
            block = lines[start:]
            if all(running(ln) for ln in block) and (start == top or apart(lines[start - 1], lines[start])):
                bottom = start
                break
        page.lines = lines[top:bottom]


# --------------------------------------------------------------------------------------------
# Paragraphs


@dataclass
class _Geometry:
    left: float
    right: float
    pitch: float | None


def _geometry(page: _Page, fallback: _Geometry | None) -> _Geometry:
    """The text's left and right edges and the line pitch on a page (a short page borrows them)."""
    lines = page.lines
    if len(lines) < 4 and fallback is not None:
        return fallback
    if not lines:
        return _Geometry(page.x0, page.x1, None)
    counts: dict[int, int] = {}
    for ln in lines:
        counts[round(ln.x0)] = counts.get(round(ln.x0), 0) + 1
    # the left edge: the leftmost position that several lines share (else the leftmost)
    shared = [x for x, k in counts.items() if k >= 2]
    left = float(min(shared) if shared else min(counts))
    # the right edge: where justified lines end (several lines end at the same place); for ragged
    # text the widest line, but not less than the page's width minus the left margin
    x1s = sorted(ln.x1 for ln in lines)
    top = x1s[-1]
    if sum(1 for x in x1s if x >= top - 2.0) >= 3:
        right = top
    else:
        right = max(top, page.x1 - (left - page.x0))
    # the pitch: the smallest distance between neighbouring lines that recurs (paragraph spacing
    # makes the distances between paragraphs larger)
    steps: dict[float, int] = {}
    for a, b in zip(lines, lines[1:]):
        step = a.y0 - b.y0
        if 0 < step < 3 * max(a.size, b.size):
            key = round(step * 2) / 2
            steps[key] = steps.get(key, 0) + 1
    recurring = [step for step, k in steps.items() if k >= 2]
    if recurring:
        pitch: float | None = min(recurring)
    elif steps:
        pitch = min(steps)
    else:
        pitch = fallback.pitch if fallback else None
    if fallback is not None and len(lines) < 8:
        left = min(left, fallback.left)
        right = max(right, fallback.right)
        if fallback.pitch is not None:
            pitch = fallback.pitch if pitch is None else min(pitch, fallback.pitch)
    return _Geometry(left, right, pitch)


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


def _centered(line: _Line, g: _Geometry) -> bool:
    before, after = line.x0 - g.left, g.right - line.x1
    return before > line.size and after > line.size and abs(before - after) < 1.5 * line.size


def _act_type(line: _Line) -> bool:
    return line.text.strip(" .").upper() in _ACT_TYPES and line.text.isupper()


def _new_paragraph(prev: _Line, line: _Line, g: _Geometry) -> bool:
    if _LINE_MARKER.match(line.text):
        return True
    if _act_type(line) or _act_type(prev):  # «ПОСТАНОВЛЕНИЕ» stands on a line of its own
        return True
    if _BULLET.match(line.text) and prev.text.endswith((";", ":", ".")):
        return True
    if abs(line.size - prev.size) > 1.0:
        return True
    if line.page == prev.page:
        step = prev.y0 - line.y0
        if step <= 0:  # a new column or a text block placed above
            return True
        if g.pitch is not None and step > 1.5 * g.pitch:
            return True
        if g.pitch is None and step > 2.0 * prev.size:
            return True
    space = 0.3 * line.size
    if _centered(prev, g):  # a centred line is re-centred when a word is added to it
        ended_early = prev.x1 - prev.x0 + space + line.first_word < g.right - g.left - 0.5 * line.size
    else:
        ended_early = prev.x1 + space + line.first_word < g.right - 0.5 * line.size
    indented = line.x0 > g.left + 0.8 * line.size
    if _centered(prev, g) and _centered(line, g) and not ended_early:
        # a wrapped centred title: the next word did not fit; but an organ's name in capitals is
        # followed by the act's type in capitals («АДМИНИСТРАЦИЯ …» / «ПОСТАНОВЛЕНИЕ»)
        if _starts_lower(line.text):
            return False
        if prev.text.isupper() and line.text.isupper():
            return False
        return True
    if _starts_lower(line.text):
        return (ended_early or indented) and prev.text.endswith((".", ";", ":"))
    return ended_early or indented


def _morph():
    try:
        from expertise.language.morphology import _analyzer

        return _analyzer()
    except Exception:  # pragma: no cover - pymorphy3 is a dependency, but the reader can do without
        return None


def _keep_hyphen(left: str, right: str) -> bool:
    """Whether «left-» + «right» at a line break is a hyphenated word rather than a broken one."""
    lw = _LEFT_PART.search(left)
    rw = _RIGHT_PART.match(right)
    if lw is None or rw is None:
        return True
    a, b = lw.group(1).lower(), rw.group(1).lower()
    if b in _PARTICLES or a in _PREFIXES:
        return True
    morph = _morph()
    if morph is None:
        return False
    if morph.word_is_known(a + b):
        return False
    if morph.word_is_known(a + "-" + b):
        return True
    return len(a) > 2 and morph.word_is_known(a) and morph.word_is_known(b)


def _join(text: str, line: str) -> str:
    if text.endswith("\u00ad"):
        return text[:-1] + line
    if _BROKEN_WORD.search(text):
        first = line[:1]
        if first.isupper() or first.isdigit() or _keep_hyphen(text, line):
            return text + line
        return text[:-1] + line
    return text + " " + line


def _paragraphs(pages: list[_Page]) -> list[str]:
    paragraphs: list[str] = []
    current: str | None = None
    prev: _Line | None = None
    geometry: _Geometry | None = None
    for page in pages:
        geometry = _geometry(page, geometry)
        for line in page.lines:
            if current is not None and prev is not None:
                hyphen = current.endswith("\u00ad") or (
                    _BROKEN_WORD.search(current) is not None and line.text[:1].isalnum()
                )
                if hyphen or not _new_paragraph(prev, line, geometry):
                    current = _join(current, line.text)
                    prev = line
                    continue
                paragraphs.append(current)
            current = line.text
            prev = line
    if current is not None:
        paragraphs.append(current)
    return [p.replace("\u00ad", "").strip() for p in paragraphs if p.strip()]


# --------------------------------------------------------------------------------------------


def read_pdf(path: str, data: bytes) -> RawDocument:
    """Read a PDF with a text layer into paragraphs (``Location("text", index)``)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise _damaged(path)
    pages, title = _extract(path, data)
    if not pages:
        raise _damaged(path)
    text_chars = sum(len(ln.text) for p in pages for ln in p.lines)
    if text_chars == 0:
        raise InputError(
            f"Файл «{path}» не содержит текстового слоя (отсканированный документ): "
            "распознайте текст (OCR) и повторите проверку."
        )
    unmapped = sum(len(m) for p in pages for ln in p.lines for m in regex.findall(r"\(cid:\d+\)", ln.text))
    if unmapped > 0.3 * text_chars:
        raise InputError(
            f"Текст файла «{path}» не извлекается: шрифты документа не содержат таблицы символов. "
            "Распознайте текст (OCR) или сохраните проект в формате DOCX и повторите проверку."
        )
    _drop_running(pages)
    texts = _paragraphs(pages)
    blocks = [Paragraph(text, Location("text", i)) for i, text in enumerate(texts)]
    return RawDocument(path=path, format="pdf", blocks=blocks, title=title)
