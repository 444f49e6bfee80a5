"""Structure detection: blocks in reading order → a tree of structural units with citation labels.

Each paragraph is classified by its marker — typed in the text («Статья 12.», «2.3.», «а)») or
rendered by Word's automatic numbering (``Paragraph.number``). Ranked markers (приложение, раздел,
глава, статья, decimal points by depth) close every open unit of the same or a deeper rank;
relative markers («1)», «а)») nest under whatever is open and continue a list of their own style.
Unnumbered paragraphs become абзацы of the innermost open unit. Labels follow docs/labels.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from expertise.documents.blocks import Block, Paragraph, RawDocument, Table
from expertise.documents.model import GENITIVE, Document, Kind, Unit
from expertise.errors import InputError

# --- markers -------------------------------------------------------------------------------

_APPENDIX = regex.compile(
    r"^(?:Приложение|ПРИЛОЖЕНИЕ)(?:\s*(?:№|N)?\s*(?P<num>\d+(?:\.\d+)?))?\.?\s*"
    r"(?=$|к\s+(?:постановлени|решени|приказ|распоряжени|порядк|положени|регламент|правил|программ|закон|"
    r"указ|административн|муниципальн|настоящ|методик|инструкци|соглашени|договор|"
    r"Постановлени|Решени|Приказ|Распоряжени|Порядк|Положени|Регламент|Правил|Программ|Закон|Указ|"
    r"Административн|Муниципальн|Методик|Инструкци)[^.]*$)", regex.V1
)
_APPROVED = regex.compile(r"^(?:УТВЕРЖДЕН[АОЫ]?|Утвержден[аоы]?)(?=\s|$)")
_SECTION = regex.compile(
    r"^(?:Раздел|РАЗДЕЛ)\s+(?P<num>[IVXLC]{1,6}|\d{1,3})\.?(?=\s|$)|^(?P<num>[IVXLC]{1,6})\.(?=\s)"
)
_CHAPTER = regex.compile(r"^(?:Глава|ГЛАВА)\s+(?P<num>\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6})\.?(?=\s|$)")
_ARTICLE = regex.compile(r"^(?:Статья|СТАТЬЯ)\s+(?P<num>\d{1,6}(?:[.\-]\d{1,3})*)\.?(?=\s|$)")
_CODE_PART = regex.compile(r"^ЧАСТЬ\s+[А-ЯЁ]+$")
_DECIMAL = regex.compile(
    r"^(?P<num>\d{1,3}(?:\.\d{1,3})+)\.?(?=\s|\p{Lu})|^(?P<num>\d{1,3})\.(?=\s*\S)(?!\d)"
)
_PAREN = regex.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})?)\)(?=\s|\S)")
_LETTER = regex.compile(r"^(?P<num>[а-яё])\)(?=\s|\S)")
_NOTE = regex.compile(
    r"^\((?:В редакции|Дополнен|Утратил|Абзац|Пункт|Подпункт|Часть|Статья|Наименование|Глава|"
    r"Раздел|Признан|Действие|Положения)[^()]*(?:\([^()]*\)[^()]*)*\)\s*$"
)
_SIGNATURE = regex.compile(
    r"^(?:Глава|Мэр|Председател|Министр|Руководител|Исполняющ|Временно|И\.\s?о\.|Заместител|Губернатор|Начальник)"
    r"[^.;:]{0,120}(?:\p{Lu}\.\s?\p{Lu}\.\s?\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+\s\p{Lu}\.\s?\p{Lu}\.)\s*$"
)
_REQUISITE = regex.compile(
    r"^(?:Проект|ПРОЕКТ|от\s|№\s|N\s|\d{1,2}\.\d{1,2}\.\d{4}|«?_+»?|г\.\s|город\s|с\.\s|пос\.|"
    # the place line: «р.п. Яснополье», «пгт Южный», «ст-ца Ленинградская», «д. Ивановка»
    r"р\.\s?п\.\s?|рп\s|пгт\.?\s|п\.\s|ст-ца\s|станица\s|д\.\s|дер\.\s|х\.\s|село\s|пос[её]лок\s|"
    r"(?:вносится|внесен|принят|одобрен|утвержден)\w*\s)",
    regex.IGNORECASE,
)
_TITLE_START = regex.compile(r"^(?:О|Об|ОБ|О)\s")

_RANK = {"appendix": 0, "codepart": 0, "section": 1, "chapter": 2, "article": 3}
_HEADING_KINDS = (Kind.APPENDIX, Kind.SECTION, Kind.CHAPTER, Kind.ARTICLE)


@dataclass(frozen=True)
class Marker:
    style: str  # appendix, section, chapter, article, codepart, dec, paren, letter
    number: str | None
    end: int  # where the content starts in the paragraph text (0 for automatic numbering)
    depth: int = 0  # for decimal points: number of components

    @property
    def rank(self) -> int | None:
        if self.style == "dec":
            return 3 + self.depth
        return _RANK.get(self.style)


def parse_marker(text: str) -> Marker | None:
    """The structural marker at the start of a paragraph's text, if any."""
    s = text.lstrip()
    lead = len(text) - len(s)
    if m := _ARTICLE.match(s):
        return Marker("article", m["num"], lead + m.end())
    if m := _CHAPTER.match(s):
        return Marker("chapter", m["num"], lead + m.end())
    if m := _SECTION.match(s):
        return Marker("section", m["num"], lead + m.end())
    if len(s) < 300:
        if m := _APPENDIX.match(s):
            return Marker("appendix", m["num"], lead + m.end())
        if _APPROVED.match(s):
            return Marker("appendix", None, 0)
        if _CODE_PART.match(s):
            return Marker("codepart", None, 0)
    if m := _DECIMAL.match(s):
        num = m["num"]
        return Marker("dec", num, lead + m.end(), depth=num.count(".") + 1)
    if m := _PAREN.match(s):
        return Marker("paren", m["num"], lead + m.end())
    if m := _LETTER.match(s):
        return Marker("letter", m["num"], lead + m.end())
    return None


def _auto_marker(number: str) -> Marker | None:
    """A marker from Word's rendered automatic number («2.3.», «а)», «Статья 5.»)."""
    m = parse_marker(number.strip() + " x")
    if m is None:
        return None
    return Marker(m.style, m.number, 0, m.depth)


def _heading_like(text: str) -> bool:
    s = text.strip()
    return 0 < len(s) < 200 and not s.endswith((".", ";", ":", ",")) or (s.isupper() and len(s) < 200)


# --- building the tree ---------------------------------------------------------------------


@dataclass
class _Open:
    unit: Unit
    style: str | None
    rank: int | None


class _Builder:
    def __init__(self, raw: RawDocument):
        self.root = Unit(kind=Kind.DOCUMENT)
        self.stack: list[_Open] = [_Open(self.root, None, -1)]
        self.raw = raw
        self.seen_marker = False  # the first structural unit closes the heading and preamble

    @property
    def top(self) -> Unit:
        return self.stack[-1].unit

    def build(self) -> Unit:
        items = self.raw.blocks
        markers = [self._marker(b) if isinstance(b, Paragraph) else None for b in items]
        for i, block in enumerate(items):
            if isinstance(block, Table):
                self._table(block, self.top)
                continue
            next_marker = next((m for m in markers[i + 1 : i + 3] if m is not None), None)
            self._paragraph(block, markers[i], next_is_marker=markers[i + 1] is not None
                            if i + 1 < len(items) else False, lookahead=next_marker)
        return self.root

    @staticmethod
    def _marker(p: Paragraph) -> Marker | None:
        if p.number:
            return _auto_marker(p.number)
        return parse_marker(p.text)

    def _paragraph(self, p: Paragraph, marker: Marker | None, next_is_marker: bool, lookahead) -> None:
        text = p.text
        if not text.strip():
            return
        if marker is not None and marker.style == "appendix" and marker.number is None:
            # «УТВЕРЖДЕН …» right under «Приложение № 1 …» belongs to the same appendix heading.
            top = self.stack[-1]
            if top.style == "appendix" and all(c.kind == Kind.TITLE for c in top.unit.children):
                marker = None
        if marker is not None:
            self._open(p, marker)
            return
        if _NOTE.match(text.strip()):
            self.top.add(Unit(Kind.NOTE, text=text, location=p.location))
            return
        if _SIGNATURE.match(text.strip()) and len(text) < 200:
            self.root.add(Unit(Kind.SIGNATURE, text=text, location=p.location))
            return
        if not self.seen_marker:
            self._front_matter(p)
            return
        top = self.stack[-1]
        # heading lines right under a heading unit («Глава 1» / «Общие положения»), and
        # sub-headings standing just before a numbered unit
        if _heading_like(text) and (
            (top.unit.kind in _HEADING_KINDS and all(c.kind == Kind.TITLE for c in top.unit.children))
            or (next_is_marker and text.strip()[:1].isupper())
        ):
            holder = self._heading_holder()
            holder.add(Unit(Kind.TITLE, text=text, location=p.location))
            return
        # a paragraph after a finished list item («…;» / «… .») returns to the list's parent
        if top.style in ("paren", "letter") and top.unit.text.rstrip().endswith("."):
            while len(self.stack) > 1 and self.stack[-1].rank is None and self.stack[-1].style:
                self.stack.pop()
        self.top.add(Unit(Kind.PARAGRAPH, text=text, location=p.location))

    def _heading_holder(self) -> Unit:
        """The innermost open heading unit (раздел, глава, приложение) or the root."""
        for entry in reversed(self.stack):
            if entry.unit.kind in _HEADING_KINDS or entry.unit.kind == Kind.DOCUMENT:
                if entry.unit.kind != Kind.ARTICLE or not entry.unit.children:
                    return entry.unit
        return self.root

    def _front_matter(self, p: Paragraph) -> None:
        """Paragraphs before the first structural unit: requisites, the act's name, preamble."""
        text = p.text.strip()
        preamble = next((c for c in self.root.children if c.kind == Kind.PREAMBLE), None)
        if preamble is None and _TITLE_START.match(text) and len(text) < 700 and not text.endswith((".", ";", ":")):
            # a long name («Об утверждении административного регламента предоставления …») is still the name
            self.root.add(Unit(Kind.TITLE, text=p.text, location=p.location))
            return
        if preamble is None and _heading_like(text):
            last = self.root.children[-1] if self.root.children else None
            is_title = _TITLE_START.match(text) or (
                last is not None and last.kind == Kind.TITLE and text[:1].islower()
            )
            if is_title or _REQUISITE.match(text) or text.isupper():
                self.root.add(Unit(Kind.TITLE if is_title else Kind.REQUISITES, text=p.text, location=p.location))
                return
        if preamble is None:
            self.root.add(Unit(Kind.PREAMBLE, text=p.text, location=p.location))
        else:
            preamble.add(Unit(Kind.PARAGRAPH, text=p.text, location=p.location))

    def _open(self, p: Paragraph, marker: Marker) -> None:
        self.seen_marker = True
        rank = marker.rank
        if rank is not None:
            while len(self.stack) > 1 and (self.stack[-1].rank is None or self.stack[-1].rank >= rank):
                self.stack.pop()
            if marker.style == "dec":
                # «3.2.1.» is not inside «2.4.»: a deeper decimal nests only under its own prefix
                while (len(self.stack) > 1 and self.stack[-1].style == "dec"
                       and not marker.number.startswith((self.stack[-1].unit.number or "") + ".")):
                    self.stack.pop()
        else:
            # a relative list continues its own style inside the current ranked unit
            for depth in range(len(self.stack) - 1, 0, -1):
                entry = self.stack[depth]
                if entry.rank is not None:
                    break
                if entry.style == marker.style:
                    del self.stack[depth:]
                    break
        parent = self.top
        kind = self._kind(marker, parent)
        unit = parent.add(Unit(kind, number=marker.number, text=p.text, location=p.location,
                               marker_end=marker.end, numbering=marker.style))
        self.stack.append(_Open(unit, marker.style, rank))

    @staticmethod
    def _kind(marker: Marker, parent: Unit) -> str:
        style = marker.style
        if style == "appendix":
            return Kind.APPENDIX
        if style == "codepart":
            return Kind.TITLE
        if style == "section":
            return Kind.SECTION
        if style == "chapter":
            return Kind.CHAPTER
        if style == "article":
            return Kind.ARTICLE
        if style == "dec":
            return Kind.PART if parent.kind == Kind.ARTICLE and marker.depth == 1 else Kind.POINT
        # «1)» and «а)»: пункт of a статья or часть, подпункт of a пункт
        if parent.kind in (Kind.ARTICLE, Kind.PART):
            return Kind.POINT
        if parent.kind in (Kind.POINT, Kind.SUBPOINT):
            return Kind.SUBPOINT
        return Kind.POINT

    def _table(self, table: Table, parent: Unit) -> None:
        tunit = parent.add(Unit(Kind.TABLE, location=table.location))
        for r, row in enumerate(table.rows, start=1):
            runit = tunit.add(Unit(Kind.ROW, number=str(r)))
            for c, cell in enumerate(row, start=1):
                cunit = runit.add(Unit(Kind.CELL, number=str(c)))
                for block in cell:
                    if isinstance(block, Table):
                        self._table(block, cunit)
                    elif not block.text.strip():
                        continue
                    elif cunit.location is None:
                        cunit.text, cunit.location = block.text, block.location
                    else:
                        cunit.add(Unit(Kind.PARAGRAPH, text=block.text, location=block.location))


# --- labels --------------------------------------------------------------------------------

_ORDINALS = [
    "первый", "второй", "третий", "четвертый", "пятый", "шестой", "седьмой", "восьмой", "девятый",
    "десятый", "одиннадцатый", "двенадцатый", "тринадцатый", "четырнадцатый", "пятнадцатый",
    "шестнадцатый", "семнадцатый", "восемнадцатый", "девятнадцатый",
]
_TENS_ORD = {20: "двадцатый", 30: "тридцатый", 40: "сороковой", 50: "пятидесятый", 60: "шестидесятый",
             70: "семидесятый", 80: "восьмидесятый", 90: "девяностый"}
_TENS = {20: "двадцать", 30: "тридцать", 40: "сорок", 50: "пятьдесят", 60: "шестьдесят",
         70: "семьдесят", 80: "восемьдесят", 90: "девяносто"}


def ordinal(n: int) -> str:
    """«первый», «двадцать второй» … (masculine nominative, as in «абзац второй»)."""
    if 1 <= n < 20:
        return _ORDINALS[n - 1]
    if 20 <= n < 100:
        tens, ones = divmod(n, 10)
        if ones == 0:
            return _TENS_ORD[n]
        return f"{_TENS[tens * 10]} {_ORDINALS[ones - 1]}"
    return str(n)


def _num(unit: Unit) -> str:
    if unit.kind == Kind.SUBPOINT or (unit.kind == Kind.POINT and unit.number and unit.number.isalpha()):
        if unit.number and unit.number.isalpha():
            return f"«{unit.number}»"
    return unit.number or ""


def genitive(label: str, kind: str) -> str:
    """«пункт 2.3» → «пункта 2.3»; «абзац второй пункта 5» → «абзаца второго пункта 5»."""
    head, _, rest = label.partition(" ")
    gen = GENITIVE.get(kind, head)
    if kind == Kind.PARAGRAPH:
        first, _, tail = rest.partition(" ")
        rest = _ordinal_genitive(first) + (" " + tail if tail else "")
    return f"{gen} {rest}".strip()


def _ordinal_genitive(word: str) -> str:
    if word.endswith("ий"):  # третий
        return word[:-2] + "ьего"
    if word.endswith(("ый", "ой")):
        return word[:-2] + ("ого")
    return word


class _Labeller:
    def __init__(self, root: Unit):
        self.root = root
        self.qualify: set[int] = set()  # ids of points needing their раздел/глава in the label

    def run(self) -> None:
        self._number_tables(self.root, Counter())
        base: dict[tuple[int, str], list[Unit]] = {}
        for unit in self.root.walk():
            if unit.kind == Kind.POINT and not self._chained(unit):
                appendix = unit.enclosing(Kind.APPENDIX)
                base.setdefault((id(appendix), unit.number or ""), []).append(unit)
        for units in base.values():
            if len(units) > 1:
                self.qualify.update(id(u) for u in units)
        self._label(self.root)

    def _number_tables(self, unit: Unit, counters: Counter) -> None:
        for child in unit.children:
            if child.kind == Kind.TABLE:
                scope = id(child.enclosing(Kind.APPENDIX))
                counters[scope] += 1
                child.number = str(counters[scope])
            self._number_tables(child, counters)

    @staticmethod
    def _chained(unit: Unit) -> bool:
        """Does the unit's label name its parent («пункт 2 части 3 статьи 12»)?"""
        parent = unit.parent
        if parent is None:
            return False
        if unit.numbering == "dec":  # «2.3.» carries its full number; only a статья/часть is named
            return parent.kind in (Kind.ARTICLE, Kind.PART)
        return parent.kind in (Kind.ARTICLE, Kind.PART, Kind.POINT, Kind.SUBPOINT)

    def _label(self, unit: Unit) -> None:
        abzac = 0
        for child in unit.children:
            if child.kind == Kind.PARAGRAPH:
                abzac += 1
                start = 1 if unit.kind in _HEADING_KINDS or unit.kind == Kind.DOCUMENT else 2
                child.number = str(abzac + start - 1)
            child.label = self._make(child)
            self._label(child)

    def _appendix_suffix(self, unit: Unit) -> str:
        appendix = unit.enclosing(Kind.APPENDIX)
        if appendix is None:
            return ""
        return " приложения" + (f" {appendix.number}" if appendix.number else "")

    def _make(self, unit: Unit) -> str:
        kind, parent = unit.kind, unit.parent
        assert parent is not None
        if kind == Kind.APPENDIX:
            return "приложение" + (f" {unit.number}" if unit.number else "")
        if kind in (Kind.SECTION, Kind.CHAPTER, Kind.ARTICLE):
            return f"{kind} {unit.number}" + self._appendix_suffix(unit)
        if kind == Kind.PART:
            return f"часть {unit.number} {genitive(parent.label, parent.kind)}"
        if kind in (Kind.POINT, Kind.SUBPOINT):
            own = f"{kind} {_num(unit)}"
            if self._chained(unit):
                return f"{own} {genitive(parent.label, parent.kind)}"
            if id(unit) in self.qualify:
                holder = unit.enclosing(Kind.SECTION, Kind.CHAPTER)
                if holder is not None:
                    own += f" {genitive(holder.label.split(' приложения')[0], holder.kind)}"
            return own + self._appendix_suffix(unit)
        if kind == Kind.PARAGRAPH:
            own = f"абзац {ordinal(int(unit.number or 1))}"
            if parent.kind == Kind.DOCUMENT:
                return own
            return f"{own} {genitive(parent.label, parent.kind)}"
        if kind == Kind.TITLE:
            if parent.kind == Kind.DOCUMENT:
                return unit.text.strip().lower() if _CODE_PART.match(unit.text.strip()) else "наименование"
            return f"наименование {genitive(parent.label, parent.kind)}"
        if kind == Kind.TABLE:
            outer = parent if parent.kind == Kind.CELL else None
            suffix = f" {genitive(outer.label, outer.kind)}" if outer else self._appendix_suffix(unit)
            return f"таблица {unit.number}{suffix}"
        if kind in (Kind.ROW, Kind.CELL):
            return f"{kind} {unit.number} {genitive(parent.label, parent.kind)}"
        if kind == Kind.NOTE:
            return f"примечание к {parent.label}" if parent.label else "примечание"
        return kind  # реквизиты, преамбула, подпись


# --- entry point ---------------------------------------------------------------------------


MAX_PARAGRAPH_CHARS = 100_000  # a provision of a real act is a few thousand characters at most


def _refuse_monsters(blocks, path: str) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            if len(block.text) > MAX_PARAGRAPH_CHARS:
                raise InputError(
                    f"В файле «{path}» абзац длиной {len(block.text):,} символов (предел "
                    f"{MAX_PARAGRAPH_CHARS:,}): это не похоже на проект нормативного акта.".replace(",", " ")
                )
        else:
            for row in block.rows:
                for cell in row:
                    _refuse_monsters(cell, path)


def build_document(raw: RawDocument) -> Document:
    _refuse_monsters(raw.blocks, raw.path)
    root = _Builder(raw).build()
    _Labeller(root).run()
    units = [u for u in root.walk() if u.text]
    for i, unit in enumerate(units):
        unit.index = i
    title = _title(root) or raw.title
    document = Document(path=raw.path, format=raw.format, root=root, title=title, units=units)
    index = len(units)
    for part, blocks in raw.other_parts.items():
        name = _part_name(part)
        part_units = []
        for block in blocks:
            paragraphs = [block] if isinstance(block, Paragraph) else [
                b for row in block.rows for cell in row for b in cell if isinstance(b, Paragraph)]
            for p in paragraphs:
                if p.text.strip():
                    unit = Unit(Kind.PARAGRAPH, text=p.text, location=p.location, label=name, index=index)
                    index += 1
                    part_units.append(unit)
        if part_units:
            document.other_parts[part] = part_units
    return document


def _part_name(part: str) -> str:
    """«header1» → «верхний колонтитул», «footnotes» → «сноски» (how a lawyer names them)."""
    if part.startswith("header"):
        return "верхний колонтитул"
    if part.startswith("footer"):
        return "нижний колонтитул"
    if part.startswith("footnotes"):
        return "сноска"
    if part.startswith("endnotes"):
        return "концевая сноска"
    return part


def _title(root: Unit) -> str | None:
    lines = [c.text.strip() for c in root.children if c.kind == Kind.TITLE and not _CODE_PART.match(c.text.strip())]
    if not lines:
        return None
    return " ".join(lines)
