"""RTF drafts: paragraphs and tables of the document text, Word's list numbers kept.

An own tokenizer and group-state machine (RTF 1.9.1), not a converter library, so that tables,
list numbers, hidden and deleted text are under our control:

* text: ``\\'xx`` bytes decoded in the code page of the current font (``\\fcharset`` in the font
  table; fonts in the ANSI or default charset use the document's ``\\ansicpg``, else Windows-1252),
  including double-byte code pages; raw 8-bit bytes likewise; ``\\uN`` (negative values and
  surrogate pairs too) with its ``\\ucN`` fallback characters skipped; ``\\upr`` reads its Unicode
  ``\\ud`` branch; ``\\tab`` → "\\t", ``\\line`` → "\\n", ``\\~`` → no-break space, ``\\_`` → "-",
  ``\\-`` (optional hyphen) dropped, ``\\emdash``, ``\\endash``, quotes and bullets as characters;
* not text: the font, colour, style and list tables, document information (its ``\\title`` becomes
  the draft's title), pictures, objects, shapes, headers and footers, footnotes, annotations, field
  instructions (``\\fldinst``; the field result ``\\fldrslt`` is read), bookmarks, every ``\\*``
  destination not listed above, hidden text (``\\v``) and deleted tracked changes (``\\deleted``);
  binary data (``\\binN``) is skipped by its length;
* paragraphs end at ``\\par`` and ``\\sect`` (a backslash before a line feed is a ``\\par``; a
  ``\\par`` in deleted text is a deleted paragraph mark: the paragraph joins the next one, keeping
  the next one's number); the
  rendered number of a Word list (the ``\\listtext`` group, or ``\\pntext`` of Word 6/95) becomes
  ``Paragraph.number`` — the trailing tab dropped; a number with no letter or digit is a bullet and
  gives no number. ``\\sN`` names the paragraph's style (from the stylesheet; without it ``\\s0``;
  Word's lowercase built-in names are capitalised: «Heading 1»), ``\\outlinelevelN``
  (direct or the style's), else N of a «Heading N»/«Заголовок N» style, gives ``heading_level``;
* tables: paragraphs marked ``\\intbl`` (nesting depth ``\\itapN``) belong to the current cell;
  ``\\cell``/``\\nestcell`` end a cell, ``\\row``/``\\nestrow`` a row (Word writes the nested row's
  ``\\nestrow`` inside ``{\\*\\nesttableprops …}``, which is honoured although the group is skipped;
  ``\\nonesttables`` text for old readers is skipped); a paragraph outside the table (or at a lower
  depth) closes it. Tables become :class:`~expertise.documents.blocks.Table` blocks,
  nested tables inside their cells.

``Location("body", index)``: ``index`` counts every paragraph of the body in reading order
(including empty ones and those in table cells). Empty paragraphs without a number are not
returned.

A file that does not start with ``{\\rtf`` or whose text is binary junk is refused in Russian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from expertise.documents.blocks import Block, Location, Paragraph, RawDocument, Table, first_location
from expertise.errors import InputError

MAX_DEPTH = 1000  # group nesting; Word itself gives up far earlier
MAX_TABLE_DEPTH = 64  # tables in tables (\\itapN)

_TOKEN = re.compile(
    rb"""
    \\([a-zA-Z]{1,32})(-?\d{1,10})?\x20?   # 1, 2: control word and its parameter
  | \\'([0-9a-fA-F]{2})                    # 3: a byte in hex
  | \\([^a-zA-Z'])                         # 4: control symbol
  | ([{}])                                 # 5: group
  | [\r\n]+                                # line ends carry nothing
  | ([^\\{}\r\n]+)                         # 6: text
  | (\\)                                   # 7: a stray backslash (damaged file)
    """,
    re.X | re.S,
)

_CHARSET_CODEPAGE = {
    77: 10000, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254,
    163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250, 254: 437, 255: 850,
}

# Destinations whose content is not the draft's text (besides every \* destination).
_SKIP = frozenset("""
    colortbl pict object objdata objclass objname result header headerl headerr headerf footer
    footerl footerr footerf footnote annotation atnid atnauthor atndate atnref atnicn listtable
    listoverridetable revtbl rsidtbl xmlnstbl filetbl pgdsctbl themedata colorschememapping
    latentstyles datastore fldinst nonshppict shp shpinst shprslt shptxt sp sn sv xe tc tcn txe
    bkmkstart bkmkend generator userprops docvar template mmathPr pn pnseclvl background picprop
    blipuid leveltext levelnumbers listname listlevel ftnsep ftnsepc aftnsep aftnsepc ftncn aftncn
    oldcprops oldpprops oldsprops oldtprops passwordhash protusertbl wgrffmtfilter private
    nonesttables pntxta pntxtb fchars lchars author operator keywords subject comment doccomm company manager
    category hlinkbase buptim creatim revtim printim
""".split())
_SYMBOLS = {
    "emdash": "\u2014", "endash": "\u2013", "emspace": "\u2003", "enspace": "\u2002",
    "qmspace": "\u2005", "bullet": "\u2022", "lquote": "\u2018", "rquote": "\u2019",
    "ldblquote": "\u201c", "rdblquote": "\u201d", "zwj": "\u200d", "zwnj": "\u200c",
    "zwbo": "\u200b", "zwnbo": "\ufeff", "ltrmark": "", "rtlmark": "",
}
_NUMBER_DESTINATIONS = ("listtext", "pntext")
_CONTROL_BYTES = bytes(b for b in range(32) if b != 9)  # never in the text of a real RTF
_HEADING_NAME = re.compile(r"^\s*(?:heading|заголовок)\s*([1-9])\s*$", re.IGNORECASE)


@dataclass
class _State:
    """Group-scoped state (copied at «{», restored at «}»)."""

    dest: str | None = None  # None: the body; "skip", "listtext", "fonttbl", "fontentry", …
    uc: int = 1
    font: int | None = None
    hidden: bool = False
    deleted: bool = False
    ignorable: bool = False  # \* seen: skip the group unless its destination is known
    outer: str | None = None  # the destination around an \upr group
    entry: object | None = None  # the font or style entry being defined

    def copy(self) -> _State:
        return _State(self.dest, self.uc, self.font, self.hidden, self.deleted, False, self.outer, self.entry)


@dataclass
class _Font:
    number: int | None = None
    charset: int | None = None
    codepage: int | None = None


@dataclass
class _Style:
    number: int = 0
    name: list[str] = field(default_factory=list)
    outline: int | None = None


@dataclass
class _OpenTable:
    rows: list[list[list[Block]]] = field(default_factory=list)
    row: list[list[Block]] = field(default_factory=list)
    cell: list[Block] = field(default_factory=list)


class _Parser:
    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self.data = data
        self.codepage = 1252
        self.default_font: int | None = None
        self.fonts: dict[int, _Font] = {}
        self.styles: dict[int, _Style] = {}
        self.state = _State()
        self.stack: list[_State] = []
        self.skip_chars = 0  # \uN fallback characters still to skip
        self.pending = bytearray()  # undecoded bytes of the current text
        self.pending_cp = 1252
        # the paragraph being read
        self.text: list[str] = []
        self.number: list[str] = []
        self.title: list[str] = []
        self.intbl = False
        self.itap = 1
        self.style: int = 0
        self.outline: int | None = None
        # output
        self.index = 0
        self.blocks: list[Block] = []
        self.tables: list[_OpenTable] = []
        self.text_bytes = 0  # bytes of text tokens, skipped destinations included
        self.control_bytes = 0  # of which control characters: never in a real RTF

    # -- code pages ------------------------------------------------------------------------

    def _current_codepage(self) -> int:
        font_no = self.state.font if self.state.font is not None else self.default_font
        font = self.fonts.get(font_no) if font_no is not None else None
        if font is not None:
            if font.codepage:
                return font.codepage
            if font.charset is not None and font.charset in _CHARSET_CODEPAGE:
                return _CHARSET_CODEPAGE[font.charset]
        return self.codepage

    def _add_bytes(self, raw: bytes) -> None:
        cp = self._current_codepage()
        if self.pending and cp != self.pending_cp:
            self._flush()
        self.pending_cp = cp
        self.pending.extend(raw)

    def _flush(self) -> None:
        if not self.pending:
            return
        try:
            text = bytes(self.pending).decode(f"cp{self.pending_cp}", errors="replace")
        except LookupError:
            text = bytes(self.pending).decode("cp1252", errors="replace")
        self.pending.clear()
        self._emit(text)

    def _add_text(self, text: str) -> None:
        self._flush()
        self._emit(text)

    def _emit(self, text: str) -> None:
        state = self.state
        dest = state.dest
        if dest is None or dest == "fldrslt":
            if not state.hidden and not state.deleted:
                self.text.append(text)
        elif dest in _NUMBER_DESTINATIONS:
            if not state.hidden:
                self.number.append(text)
        elif dest == "title":
            self.title.append(text)
        elif dest == "styleentry" and isinstance(state.entry, _Style):
            state.entry.name.append(text)

    # -- main loop ---------------------------------------------------------------------------

    def parse(self) -> None:
        data = self.data
        pos = 0
        end = len(data)
        match = _TOKEN.match
        while pos < end:
            m = match(data, pos)
            if m is None:  # cannot happen with the catch-all alternatives; be safe
                pos += 1
                continue
            pos = m.end()
            kind = m.lastindex
            if kind is None or kind == 7:  # line ends; a stray backslash at the very end
                continue
            if kind <= 2:  # a control word
                word = m.group(1)
                param = m.group(2)
                if word == b"bin":
                    pos = min(end, pos + max(0, int(param or 0)))
                    continue
                if self.skip_chars:
                    self.skip_chars -= 1
                    continue
                if word == b"u" and param is not None:  # the hot path of Unicode text
                    if not self._skipping():
                        self._add_text(chr(int(param) & 0xFFFF))
                    self.skip_chars = self.state.uc
                    continue
                self._control(word.decode("ascii"), int(param) if param is not None else None)
            elif kind == 6:  # text
                text = m.group(6)
                self.text_bytes += len(text)
                self.control_bytes += len(text) - len(text.translate(None, _CONTROL_BYTES))
                if self.skip_chars:
                    drop = min(self.skip_chars, len(text))
                    self.skip_chars -= drop
                    text = text[drop:]
                    if not text:
                        continue
                if self._skipping() or self.state.dest == "fontentry":
                    continue
                if text.isascii():
                    self._add_text(text.decode("ascii"))
                else:
                    self._add_bytes(text)
            elif kind == 3:  # \'xx
                if self.skip_chars:
                    self.skip_chars -= 1
                    continue
                if not self._skipping():
                    self._add_bytes(bytes([int(m.group(3), 16)]))
            elif kind == 4:  # a control symbol
                if self.skip_chars:
                    self.skip_chars -= 1
                    continue
                self._symbol(m.group(4))
            else:  # kind == 5: a group
                self.skip_chars = 0
                self._flush()
                if m.group(5) == b"{":
                    if len(self.stack) >= MAX_DEPTH:
                        raise InputError(
                            f"Файл «{self.path}» повреждён: слишком глубокая вложенность групп RTF."
                        )
                    self.stack.append(self.state)
                    self.state = self.state.copy()
                    self._group_opened()
                else:
                    self._group_closed()
                    if self.stack:
                        self.state = self.stack.pop()
        self._flush()
        self._end_paragraph(final=True)
        self._close_tables(0)

    def _skipping(self) -> bool:
        return self.state.dest in ("skip", "fonttbl", "fontentry", "stylesheet", "info", "upr", "nestprops")

    # -- groups ------------------------------------------------------------------------------

    def _group_opened(self) -> None:
        state = self.state
        parent = state.dest
        if parent == "fonttbl":
            font = _Font()
            state.dest, state.entry = "fontentry", font
        elif parent == "stylesheet":
            style = _Style()
            state.dest, state.entry = "styleentry", style
        elif parent == "styleentry":
            state.dest = "skip"  # nested groups in a style definition (\*\keycode …)

    def _group_closed(self) -> None:
        state = self.state
        if state.dest == "fontentry" and isinstance(state.entry, _Font) and state.entry.number is not None:
            self.fonts[state.entry.number] = state.entry
        elif state.dest == "styleentry" and isinstance(state.entry, _Style):
            self.styles[state.entry.number] = state.entry

    # -- control words -----------------------------------------------------------------------

    def _destination(self, name: str) -> bool:
        """Handle a destination control word; True if it was one."""
        state = self.state
        if state.dest == "skip":
            return True
        if name in ("listtext", "pntext"):
            if state.dest is None:
                self.number.clear()  # the number of this paragraph, not of a deleted one before it
            state.dest = name
        elif name == "fonttbl":
            state.dest = "fonttbl"
        elif name == "stylesheet":
            state.dest = "stylesheet"
        elif name == "info":
            state.dest = "info"
        elif name == "title" and state.dest == "info":
            state.dest = "title"
        elif name == "nesttableprops":
            state.dest = "nestprops"  # a nested row's properties, and its \\nestrow
        elif name == "fldrslt":
            state.dest = "fldrslt" if state.dest in (None, "fldrslt") else state.dest
        elif name == "upr":
            state.outer, state.dest = state.dest, "upr"
        elif name == "ud" and state.dest == "upr":
            state.dest = state.outer
        elif name in _SKIP or state.ignorable:
            state.dest = "skip"
        else:
            return False
        state.ignorable = False
        return True

    def _control(self, name: str, value: int | None) -> None:
        state = self.state
        if state.dest == "skip":
            return
        if name in ("listtext", "pntext", "fonttbl", "stylesheet", "info", "title", "fldrslt", "upr",
                    "ud", "nesttableprops") or name in _SKIP or state.ignorable:
            if self._destination(name):
                return
        if name == "uc":
            state.uc = max(0, value or 0)
            return
        dest = state.dest
        if dest == "fontentry" and isinstance(state.entry, _Font):
            if name == "f":
                state.entry.number = value
            elif name == "fcharset":
                state.entry.charset = value
            elif name == "cpg":
                state.entry.codepage = value
            return
        if dest == "styleentry" and isinstance(state.entry, _Style):
            if name == "s":
                state.entry.number = value or 0
            elif name == "outlinelevel":
                state.entry.outline = value
            return
        if self._skipping():
            if name == "ansicpg" and value:
                self.codepage = value
            elif name == "nestrow" and dest == "nestprops":
                self._end_row(max(2, self.itap))
            return
        # document-level properties
        if name == "ansicpg":
            if value:
                self.codepage = value
        elif name == "ansi":
            self.codepage = 1252
        elif name == "mac":
            self.codepage = 10000
        elif name == "pc":
            self.codepage = 437
        elif name == "pca":
            self.codepage = 850
        elif name == "deff":
            self.default_font = value
        # character properties
        elif name == "f":
            self._flush()
            state.font = value
        elif name == "v":
            self._flush()
            state.hidden = value != 0
        elif name == "deleted":
            self._flush()
            state.deleted = value != 0
        elif name == "plain":
            self._flush()
            state.hidden = state.deleted = False
            state.font = None
        # text
        elif name in _SYMBOLS:
            self._add_text(_SYMBOLS[name])
        elif name == "tab":
            self._add_text("\t")
        elif name == "line":
            self._add_text("\n")
        elif name in ("chftn", "chftnsep", "chftnsepc", "chpgn", "chdate", "chdpl", "chdpa", "chtime"):
            pass
        # paragraphs and tables (only in the body: \pard inside \listtext changes nothing)
        elif dest in _NUMBER_DESTINATIONS:
            pass
        elif name in ("par", "sect"):
            if state.deleted:
                self._flush()  # a deleted paragraph mark: the paragraph joins the next one
            else:
                self._end_paragraph()
        elif name == "pard":
            self._flush()
            self.intbl = False
            self.itap = 1
            self.style = 0  # \pard restores the Normal style (\s0)
            self.outline = None
        elif name == "intbl":
            self.intbl = True
        elif name == "itap":
            self.itap = value if value is not None else 1
            if self.itap > MAX_TABLE_DEPTH:
                raise InputError(
                    f"Файл «{self.path}» не может быть прочитан: слишком глубокая вложенность таблиц "
                    f"(более {MAX_TABLE_DEPTH})."
                )
            if self.itap <= 0:
                self.itap = 1
                self.intbl = False
        elif name == "s":
            self.style = value
        elif name == "outlinelevel":
            self.outline = value
        elif name == "cell":
            self._end_paragraph(depth=1, cell=True)
        elif name == "nestcell":
            self._end_paragraph(depth=max(2, self.itap), cell=True)
        elif name == "row":
            self._end_row(1)
        elif name == "nestrow":
            self._end_row(max(2, self.itap))

    def _symbol(self, symbol: bytes) -> None:
        ch = symbol.decode("latin-1")
        state = self.state
        if ch == "*":
            state.ignorable = True
            return
        if self._skipping() and ch not in "\r\n":
            return
        if ch in "\\{}":
            self._add_text(ch)
        elif ch == "~":
            self._add_text("\u00a0")
        elif ch == "_":
            self._add_text("-")
        elif ch in "\r\n":
            if state.dest is None or state.dest == "fldrslt":
                self._end_paragraph()
        # \- (optional hyphen), \: (index subentry), \| (formula): nothing

    # -- paragraphs and tables --------------------------------------------------------------

    def _end_paragraph(self, depth: int | None = None, cell: bool = False, final: bool = False) -> None:
        self._flush()
        text = "".join(self.text)
        number = " ".join("".join(self.number).split()) or None
        if number is not None and not any(ch.isalnum() for ch in number):
            number = None  # a bullet
        self.text.clear()
        self.number.clear()
        if depth is None:
            depth = max(1, self.itap) if self.intbl else 0
        if final and not text.strip() and number is None:
            return
        index = self.index
        self.index += 1
        block = None
        if text.strip() or number is not None:
            text = _fix_surrogates(text)
            style = self.styles.get(self.style) if self.style is not None else None
            outline = self.outline if self.outline is not None else (style.outline if style else None)
            name = "".join(style.name).strip().rstrip(";").strip() if style else None
            if name and "a" <= name[0] <= "z":  # Word's built-in names are lowercase: «heading 1»
                name = name[0].upper() + name[1:]
            heading = outline + 1 if outline is not None and 0 <= outline < 9 else None
            if heading is None and name and (match := _HEADING_NAME.match(name)):
                heading = int(match.group(1))
            block = Paragraph(
                text=text,
                location=Location("body", index),
                number=number,
                style=name or None,
                heading_level=heading,
            )
        self._place(depth, block)
        if cell:
            table = self.tables[depth - 1]
            table.row.append(table.cell)
            table.cell = []

    def _place(self, depth: int, block: Block | None) -> None:
        self._close_tables(depth)
        while len(self.tables) < depth:
            self.tables.append(_OpenTable())
        if block is not None:
            (self.tables[depth - 1].cell if depth else self.blocks).append(block)

    def _end_row(self, depth: int) -> None:
        self._flush()
        if "".join(self.text).strip():  # text after the last \cell of a row: keep it in a cell
            self._end_paragraph(depth=depth, cell=True)
        self.text.clear()
        self.number.clear()
        self._place(depth, None)
        table = self.tables[depth - 1]
        if table.cell:
            table.row.append(table.cell)
            table.cell = []
        table.rows.append(table.row)
        table.row = []

    def _close_tables(self, depth: int) -> None:
        while len(self.tables) > depth:
            table = self.tables.pop()
            if table.cell:
                table.row.append(table.cell)
            if table.row:
                table.rows.append(table.row)
            location = first_location(table.rows)
            if location is None:
                continue
            block = Table(rows=table.rows, location=location)
            (self.tables[-1].cell if self.tables else self.blocks).append(block)


def _fix_surrogates(text: str) -> str:
    """\\uN pairs for characters beyond the BMP arrive as two surrogates: join them."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def read_rtf(path: str, data: bytes) -> RawDocument:
    """Read an RTF draft: paragraphs and tables in reading order, list numbers as ``number``."""
    head = data.lstrip(b" \t\r\n\x00\xef\xbb\xbf")[:6]
    if not head.startswith(b"{\\rtf"):
        raise InputError(
            f"Файл «{path}» не является документом RTF (нет заголовка «{{\\rtf»): "
            "сохраните проект в формате RTF или DOCX и повторите проверку."
        )
    parser = _Parser(path, data)
    parser.parse()
    if parser.control_bytes > 0.01 * max(parser.text_bytes, 1):
        raise InputError(
            f"Файл «{path}» повреждён или не является документом RTF: он содержит двоичные данные."
        )
    title = " ".join("".join(parser.title).split()) or None
    return RawDocument(path=path, format="rtf", blocks=parser.blocks, title=title)
