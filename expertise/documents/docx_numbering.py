"""Word's automatic numbering, rendered the way Word shows it («1.», «2.3.1.», «а)», «II.»).

A numbered paragraph names a list instance (``w:numId``) and a level (``w:ilvl``), either directly
in its ``w:pPr/w:numPr`` or through its paragraph style (``w:pStyle`` → the style's ``w:numPr``,
following ``w:basedOn``). The instance (``w:num``) points at an abstract definition
(``w:abstractNum``) that holds the levels (``w:lvl``: start value, number format, level text with
``%1``…``%9`` placeholders, restart rule, legal style); an abstract definition may itself only point
at a numbering style (``w:numStyleLink`` → that style's ``w:numPr`` → another ``w:num``), and an
instance may override levels (``w:lvlOverride``: ``w:startOverride`` and/or a whole ``w:lvl``).

Counters are kept per abstract definition (after ``w:numStyleLink`` is followed), so that all the
instances of one definition continue one list, and are advanced paragraph by paragraph: the
resolver must see every body paragraph once, in document order.

What was checked against LibreOffice 7.4 (``soffice --convert-to txt``, see the oracle test in
tests/test_docx_reader.py) and matches it:

* instances sharing an abstract definition share counters (``num 7`` after ``num 1`` continues
  1, 2 → 3);
* a ``w:startOverride`` restarts the list once, at the first paragraph of that instance; the list
  then continues from there whichever instance the next paragraphs use (1, [override 5] 5, 6, 7),
  and later paragraphs of the overriding instance do not restart it again. An override of another
  level than that of the instance's first paragraph waits for the next paragraph at its level (an
  instance first used at level 0 with ``startOverride`` 3 for level 1 gives «в)» to its next
  subpoint; one first used at level 1 with an override for level 0 restarts at the next level-0
  paragraph), and when the level later restarts under a new upper item it starts from its
  ``w:start`` again. Word writes a fresh instance with a ``w:startOverride`` for "Restart
  numbering", so the first use is what matters;
* a ``w:lvl`` inside ``w:lvlOverride`` replaces the level's format and text but does not restart;
* a paragraph at a deeper level whose upper levels were never used counts those levels at their
  start values («1.1.» as the first paragraph, then «2.» for the next top-level paragraph; after
  «1.» and a level-3 paragraph, the next level-2 paragraph is «1.2.»);
* the Russian letter sequence has 29 letters, without ё, й, ъ and ь: а … и, к … щ, ы, э, ю, я.

Where Word and LibreOffice 7.4 differ, this module follows Word and ECMA-376 (these cases are
checked by exact-label tests, not by the oracle):

* ``w:lvlRestart`` (restart a level only after the given upper level, or never for 0) — LO 7.4
  ignores it and restarts on any upper level;
* ``w:isLgl`` (legal style: every level in the text rendered as decimal, «1.1.» rather than
  «I.1.») — LO 7.4 ignores it;
* beyond 29 Russian letters Word repeats the letter («аа», «бб»: ECMA-376 describes the format as
  "one or more occurrences of a single" letter, as for Latin, where LO agrees: «aa», «bb»); LO
  writes «аа», «аб»;
* for a list reached through a paragraph style, the level linked to that style by ``w:lvl/w:pStyle``
  wins over the style's ``w:ilvl`` (ECMA-376 §17.9.23); LO uses the style's ``w:ilvl`` (0 when
  omitted). In files Word writes the two agree. A ``w:lvl/w:pStyle`` link alone, without
  ``w:numPr`` in the style, numbers nothing (as in LO).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

MAX_LEVELS = 9
_MAX_LINK_DEPTH = 8  # numStyleLink → style → num → abstractNum hops, and basedOn chains (×4)

RUSSIAN_LOWER = "абвгдежзиклмнопрстуфхцчшщыэюя"  # Word's 29 letters: no ё, й, ъ, ь
LATIN_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(value: int) -> str:
    if value <= 0:
        return str(value)
    parts = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        parts.append(letters * count)
    return "".join(parts)


def _letters(value: int, alphabet: str) -> str:
    """Word's alphabetic numbering: a … z, then aa, bb … zz, then aaa …"""
    if value <= 0:
        return str(value)
    repeat, index = divmod(value - 1, len(alphabet))
    return alphabet[index] * (repeat + 1)


def format_number(value: int, fmt: str) -> str:
    """One level's counter in a ``w:numFmt``; unknown formats fall back to decimal."""
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "decimalZero":
        return f"{value:02d}" if 0 <= value < 10 else str(value)
    if fmt == "lowerLetter":
        return _letters(value, LATIN_LOWER)
    if fmt == "upperLetter":
        return _letters(value, LATIN_LOWER).upper()
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    if fmt == "russianLower":
        return _letters(value, RUSSIAN_LOWER)
    if fmt == "russianUpper":
        return _letters(value, RUSSIAN_LOWER).upper()
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    return str(value)


@dataclass(frozen=True)
class LevelDef:
    start: int
    fmt: str
    text: str | None  # None: no w:lvlText (Word shows nothing)
    restart: int | None  # w:lvlRestart; None = after any upper level, 0 = never
    legal: bool  # w:isLgl
    pstyle: str | None  # w:pStyle: the paragraph style linked to this level


@dataclass
class _NumDef:
    abstract_id: str
    start_overrides: dict[int, int]
    level_overrides: dict[int, Any]  # ilvl → w:lvl element


class NumberingResolver:
    """Turns ``w:p`` elements into the labels Word draws for them.

    ``numbering_root``: the root of word/numbering.xml, ``styles_root``: of word/styles.xml;
    either may be None. Call :meth:`label_for` once per paragraph, in document order.
    """

    def __init__(self, numbering_root: Any | None, styles_root: Any | None) -> None:
        ns = W_MAIN
        for root in (numbering_root, styles_root):
            if root is not None and isinstance(root.tag, str) and root.tag.startswith("{"):
                ns = root.tag[1:].split("}", 1)[0]
                break
        self._ns = ns
        self._abstracts: dict[str, Any] = {}
        self._nums: dict[str, _NumDef] = {}
        self._styles: dict[str, Any] = {}
        self._default_style: str | None = None
        if numbering_root is not None:
            for abstract in numbering_root.findall(self._w("abstractNum")):
                aid = self._attr(abstract, "abstractNumId")
                if aid is not None:
                    self._abstracts[aid] = abstract
            for num in numbering_root.findall(self._w("num")):
                self._add_num(num)
        if styles_root is not None:
            for style in styles_root.findall(self._w("style")):
                sid = self._attr(style, "styleId")
                if sid is None:
                    continue
                self._styles.setdefault(sid, style)
                is_default = self._attr(style, "default") is not None and _on(self._attr(style, "default"))
                if self._attr(style, "type") == "paragraph" and is_default and self._default_style is None:
                    self._default_style = sid
        # counters per list (resolved abstract id): the last value shown at each level, or None
        self._counters: dict[str, list[int | None]] = {}
        # one-off start values waiting for a level's next paragraph (from w:startOverride)
        self._pending: dict[str, dict[int, int]] = {}
        self._used_nums: set[str] = set()
        self._level_cache: dict[tuple[str, int], LevelDef | None] = {}
        self._resolved_cache: dict[str, str | None] = {}

    # -- XML helpers ---------------------------------------------------------------------------

    def _w(self, name: str) -> str:
        return f"{{{self._ns}}}{name}"

    def _attr(self, element: Any, name: str) -> str | None:
        return element.get(self._w(name))

    def _child_val(self, element: Any, name: str) -> str | None:
        if element is None:
            return None
        child = element.find(self._w(name))
        return None if child is None else self._attr(child, "val")

    # -- definitions ---------------------------------------------------------------------------

    def _add_num(self, num: Any) -> None:
        num_id = self._attr(num, "numId")
        abstract_id = self._child_val(num, "abstractNumId")
        if num_id is None or abstract_id is None:
            return
        starts: dict[int, int] = {}
        levels: dict[int, Any] = {}
        for override in num.findall(self._w("lvlOverride")):
            ilvl = _int(self._attr(override, "ilvl"))
            if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                continue
            start = _int(self._child_val(override, "startOverride"))
            if start is not None:
                starts[ilvl] = start
            lvl = override.find(self._w("lvl"))
            if lvl is not None:
                levels[ilvl] = lvl
        self._nums[num_id] = _NumDef(abstract_id, starts, levels)

    def _resolve_abstract(self, num_id: str) -> str | None:
        """The abstract definition that holds the levels of a list instance (numStyleLink followed)."""
        if num_id in self._resolved_cache:
            return self._resolved_cache[num_id]
        result = None
        current = num_id
        for _ in range(_MAX_LINK_DEPTH):
            num = self._nums.get(current)
            if num is None or num.abstract_id not in self._abstracts:
                break
            abstract = self._abstracts[num.abstract_id]
            link = self._child_val(abstract, "numStyleLink")
            if link is None:
                result = num.abstract_id
                break
            style_num = self._style_num_id(link)
            if style_num is None or style_num == current:
                # a dangling link: use the levels the definition has, if any
                result = num.abstract_id if abstract.find(self._w("lvl")) is not None else None
                break
            current = style_num
        self._resolved_cache[num_id] = result
        return result

    def _style_num_id(self, style_id: str) -> str | None:
        style = self._styles.get(style_id)
        if style is None:
            return None
        num_pr = _find_path(style, [self._w("pPr"), self._w("numPr")])
        return self._child_val(num_pr, "numId")

    def _parse_level(self, lvl: Any) -> LevelDef:
        text_el = lvl.find(self._w("lvlText"))
        text = None if text_el is None else (self._attr(text_el, "val") or "")
        legal_el = lvl.find(self._w("isLgl"))
        return LevelDef(
            start=_int(self._child_val(lvl, "start")) or 0,
            fmt=self._child_val(lvl, "numFmt") or "decimal",
            text=text,
            restart=_int(self._child_val(lvl, "lvlRestart")),
            legal=legal_el is not None and _on(self._attr(legal_el, "val")),
            pstyle=self._child_val(lvl, "pStyle"),
        )

    def _abstract_level(self, abstract_id: str, ilvl: int) -> Any | None:
        abstract = self._abstracts.get(abstract_id)
        if abstract is None:
            return None
        for lvl in abstract.findall(self._w("lvl")):
            if _int(self._attr(lvl, "ilvl")) == ilvl:
                return lvl
        return None

    def level(self, num_id: str, ilvl: int) -> LevelDef | None:
        """The effective definition of a level for a list instance (overrides applied)."""
        key = (num_id, ilvl)
        if key not in self._level_cache:
            self._level_cache[key] = self._compute_level(num_id, ilvl)
        return self._level_cache[key]

    def _compute_level(self, num_id: str, ilvl: int) -> LevelDef | None:
        num = self._nums.get(num_id)
        abstract_id = self._resolve_abstract(num_id)
        if num is None or abstract_id is None:
            return None
        lvl = num.level_overrides.get(ilvl)
        if lvl is None:
            lvl = self._abstract_level(abstract_id, ilvl)
        if lvl is None:
            return None
        return self._parse_level(lvl)

    # -- which list and level a paragraph belongs to -------------------------------------------

    def _style_chain(self, style_id: str | None) -> list[str]:
        chain: list[str] = []
        current = style_id
        while current and current not in chain and len(chain) < 4 * _MAX_LINK_DEPTH:
            if current not in self._styles:
                break
            chain.append(current)
            current = self._child_val(self._styles[current], "basedOn")
        return chain

    def numbering_of(self, p: Any) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph, or None when it is not numbered."""
        ppr = p.find(self._w("pPr"))
        num_pr = ppr.find(self._w("numPr")) if ppr is not None else None
        direct_num = self._child_val(num_pr, "numId")
        direct_ilvl = _int(self._child_val(num_pr, "ilvl"))
        style_id = self._child_val(ppr, "pStyle") or self._default_style
        chain = self._style_chain(style_id)

        style_num: str | None = None
        style_ilvl: int | None = None
        for sid in chain:
            s_num_pr = _find_path(self._styles[sid], [self._w("pPr"), self._w("numPr")])
            if s_num_pr is None:
                continue
            if style_num is None:
                style_num = self._child_val(s_num_pr, "numId")
            if style_ilvl is None:
                style_ilvl = _int(self._child_val(s_num_pr, "ilvl"))
        num_id = direct_num if direct_num is not None else style_num
        if num_id is None or _int(num_id) in (0, None):
            return None
        if direct_ilvl is not None:
            ilvl = direct_ilvl
        else:
            ilvl = None
            if direct_num is None or direct_num == style_num:
                ilvl = self._linked_level(num_id, chain)
            if ilvl is None:
                ilvl = style_ilvl if style_ilvl is not None else 0
        return num_id, max(0, min(MAX_LEVELS - 1, ilvl))

    def _linked_level(self, num_id: str, chain: list[str]) -> int | None:
        """The level whose w:pStyle names the paragraph's style (nearest style in the chain)."""
        if not chain:
            return None
        by_style: dict[str, int] = {}
        for ilvl in range(MAX_LEVELS):
            level = self.level(num_id, ilvl)
            if level is not None and level.pstyle and level.pstyle not in by_style:
                by_style[level.pstyle] = ilvl
        for sid in chain:
            if sid in by_style:
                return by_style[sid]
        return None

    # -- counting and rendering ----------------------------------------------------------------

    def label_for(self, p: Any) -> str | None:
        """The number Word draws before this paragraph, or None (not numbered, bullet, empty)."""
        found = self.numbering_of(p)
        if found is None:
            return None
        num_id, ilvl = found
        abstract_id = self._resolve_abstract(num_id)
        level = self.level(num_id, ilvl)
        if abstract_id is None or level is None:
            return None
        counters = self._counters.setdefault(abstract_id, [None] * MAX_LEVELS)
        pending = self._pending.setdefault(abstract_id, {})

        if num_id not in self._used_nums:
            # the instance's first paragraph: its start overrides wait for their levels
            self._used_nums.add(num_id)
            pending.update(self._nums[num_id].start_overrides)

        def start_of(k: int) -> int:
            if k in pending:
                return pending.pop(k)
            lv = self.level(num_id, k)
            return lv.start if lv is not None else 0

        # upper levels never used count at their start values (Word and LO draw «1.1.»)
        for k in range(ilvl):
            if counters[k] is None:
                counters[k] = start_of(k)
        previous = counters[ilvl]
        if previous is None or ilvl in pending:
            counters[ilvl] = start_of(ilvl)
        else:
            counters[ilvl] = previous + 1
        for k in range(ilvl + 1, MAX_LEVELS):
            deeper = self.level(num_id, k)
            restart = deeper.restart if deeper is not None else None
            if restart is None or (restart != 0 and ilvl < restart):
                counters[k] = None

        if level.fmt == "bullet" or level.text is None:
            return None
        return self._render(num_id, level, counters)

    def _render(self, num_id: str, level: LevelDef, counters: list[int | None]) -> str | None:
        out: list[str] = []
        text = level.text or ""
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
                k = int(text[i + 1]) - 1
                ref = self.level(num_id, k)
                value = counters[k]
                if value is None:
                    value = ref.start if ref is not None else 0
                fmt = ref.fmt if ref is not None else "decimal"
                if level.legal and fmt not in ("none", "bullet"):
                    fmt = "decimal"
                out.append(format_number(value, fmt))
                i += 2
                continue
            out.append(ch)
            i += 1
        label = "".join(out).strip()
        if not any(c.isalnum() for c in label):
            return None
        return label


def _find_path(element: Any, tags: list[str]) -> Any | None:
    for tag in tags:
        if element is None:
            return None
        element = element.find(tag)
    return element


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def _on(value: str | None) -> bool:
    """An OOXML on/off value: absent means on."""
    return value is None or value.strip().lower() not in ("0", "false", "off")
