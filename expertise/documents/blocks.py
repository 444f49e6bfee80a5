"""What a format reader produces: the draft's paragraphs and tables in reading order.

Readers know formats, not law: they deliver text exactly as the source shows it (Word's automatic
numbering rendered into ``number``), and where it lives, so that annotation can find the words again.
The structure builder (``structure.py``) turns blocks into structural units.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a paragraph's text lives in the source.

    ``part``: "body" for the main text of a DOCX (also "header", "footer", "footnotes" for other
    parts) or "text" for plain text. ``index``: the paragraph's position in that part in document
    order — for a DOCX the index among all ``w:p`` elements of the part (table cells included);
    for plain text the 0-based line number. ``offset``: for plain text, the character offset of
    the line in the decoded file; 0 elsewhere.
    """

    part: str
    index: int
    offset: int = 0


@dataclass
class Paragraph:
    text: str
    location: Location
    number: str | None = None  # automatic numbering as rendered (e.g. "2.3.", "а)"), not in text
    style: str | None = None  # style name, e.g. "Heading 1", "List Paragraph"
    heading_level: int | None = None  # outline level of a heading style, 1-based


@dataclass
class Table:
    rows: list[list[list["Block"]]]  # row → cell → blocks (paragraphs, nested tables)
    location: Location  # location of the first paragraph inside the table


Block = Paragraph | Table


def first_location(rows: list[list[list[Block]]]) -> Location | None:
    """Where a table's text begins: its first paragraph, through nested tables."""
    for row in rows:
        for cell in row:
            for block in cell:
                if isinstance(block, Paragraph):
                    return block.location
                found = first_location(block.rows)
                if found is not None:
                    return found
    return None


@dataclass
class RawDocument:
    """A draft as read from its file, before structure detection."""

    path: str
    format: str  # "docx", "txt", …
    blocks: list[Block]
    title: str | None = None  # from document properties, if any
    other_parts: dict[str, list[Block]] = field(default_factory=dict)  # headers, footers, notes
