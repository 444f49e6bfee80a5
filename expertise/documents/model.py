"""The document model: a draft as a tree of structural units with lawyers' citation labels.

A unit is one paragraph of the source (its ``text`` and ``location``) or a container without text
of its own (the document root, a table, a table row). The unit's first paragraph carries the unit's
own label; further unnumbered paragraphs are its «абзацы» (``абзац второй пункта 5``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from expertise.documents.blocks import Location

# The applicant's own words in a form appended to the act: a declaration, not a provision.
_FORM_DECLARATION = regex.compile(
    r"\W*(?:я\b|прошу\b|подтверждаю\b|настоящим\s+(?:подтверждаю|сообщаю|даю)|даю\s+(?:свое\s+|своё\s+)?согласие\b|"
    r"обязуюсь\b|гарантирую\b|согласен\b|согласна\b|ознакомлен\b|ознакомлена\b)",
    regex.IGNORECASE,
)


@functools.lru_cache(maxsize=65536)
def _is_declaration(text: str) -> bool:
    return _FORM_DECLARATION.match(text) is not None


class Kind:
    """Unit kinds. The values are the Russian nouns used in citation labels (nominative)."""

    DOCUMENT = "документ"
    REQUISITES = "реквизиты"  # organ, act type, date and number above the title
    TITLE = "наименование"  # the act's name («Об утверждении …»), a unit's heading line
    PREAMBLE = "преамбула"
    SECTION = "раздел"
    CHAPTER = "глава"
    ARTICLE = "статья"
    PART = "часть"
    POINT = "пункт"
    SUBPOINT = "подпункт"
    PARAGRAPH = "абзац"
    APPENDIX = "приложение"
    TABLE = "таблица"
    ROW = "строка"
    CELL = "графа"
    SIGNATURE = "подпись"
    NOTE = "примечание"  # editorial notes «(В редакции Федерального закона …)»

    # Units whose text is the act's normative content (rules run on these).
    NORMATIVE = frozenset(
        {PREAMBLE, SECTION, CHAPTER, ARTICLE, PART, POINT, SUBPOINT, PARAGRAPH, APPENDIX, CELL, TITLE}
    )


# Genitive forms for the «of» chain of a label: «подпункт 1 пункта 2.3».
GENITIVE = {
    Kind.SECTION: "раздела",
    Kind.CHAPTER: "главы",
    Kind.ARTICLE: "статьи",
    Kind.PART: "части",
    Kind.POINT: "пункта",
    Kind.SUBPOINT: "подпункта",
    Kind.PARAGRAPH: "абзаца",
    Kind.APPENDIX: "приложения",
    Kind.TABLE: "таблицы",
    Kind.ROW: "строки",
    Kind.CELL: "графы",
    Kind.PREAMBLE: "преамбулы",
    Kind.TITLE: "наименования",
}


@dataclass(eq=False)
class Unit:
    kind: str
    number: str | None = None  # as written: "2.3", "а", "II", "12"
    text: str = ""  # the paragraph's text exactly as in the source (typed numbers included)
    location: Location | None = None
    children: list[Unit] = field(default_factory=list)
    parent: Unit | None = field(default=None, repr=False)
    label: str = ""  # citation label, e.g. «подпункт «а» пункта 4»
    index: int = -1  # position among the document's text-bearing units, in reading order
    marker_end: int = 0  # offset in ``text`` where the content starts after a typed marker
    numbering: str | None = None  # marker style: "dec" («2.3.»), "paren" («1)»), "letter" («а)») …

    def add(self, child: Unit) -> Unit:
        child.parent = self
        self.children.append(child)
        return child

    @property
    def ancestors(self) -> list[Unit]:
        """From the outermost (below the document root) to the parent."""
        chain = []
        node = self.parent
        while node is not None and node.kind != Kind.DOCUMENT:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def path(self) -> list[str]:
        return [u.label for u in self.ancestors if u.label] + [self.label]

    def walk(self) -> Iterator[Unit]:
        """This unit and all its descendants, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """The text of this unit with all its descendants (for whole-unit context checks)."""
        return "\n".join(u.text for u in self.walk() if u.text)

    @property
    def is_normative(self) -> bool:
        """A provision of the act: not a heading, and not the applicant's own words in a form
        appended to it («Подтверждаю, что …», «Прошу предоставить …»)."""
        return self.kind in Kind.NORMATIVE and bool(self.text.strip()) and not _is_declaration(self.text)

    def enclosing(self, *kinds: str) -> Unit | None:
        node = self.parent
        while node is not None:
            if node.kind in kinds:
                return node
            node = node.parent
        return None


@dataclass(eq=False)
class Document:
    path: str
    format: str
    root: Unit
    title: str | None = None
    units: list[Unit] = field(default_factory=list)  # text-bearing units in reading order
    other_parts: dict[str, list[Unit]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def find(self, label: str) -> Unit | None:
        for unit in self.units:
            if unit.label == label:
                return unit
        return None

    @property
    def word_count(self) -> int:
        return sum(len(u.text.split()) for u in self.units)
