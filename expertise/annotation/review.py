"""Reading an annotated DOCX back after the expert's review.

Our comments are recognised by their signature paragraph («expertise · RULE · №N») *and* the
manifest written at annotation time (a custom XML part listing every comment with a hash of its
text): a manifest entry whose comment is gone was rejected; a comment whose text hash differs was
edited; a comment without our signature was added by the expert. The anchored words and their
structural unit come from the document itself, read with the same walker as any draft.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

import regex

from expertise.annotation.writer import (
    MANIFEST_NS, SIGNATURE, W, _comments_part_name, _w, comment_text, text_hash,
)
from expertise.documents.docx_reader import load_docx
from expertise.documents.structure import build_document
from expertise.documents.xmlsafe import parse_xml

_SIGNATURE_LINE = regex.compile(rf"^{SIGNATURE} · (?P<rule>[\w.\-]+) · №(?P<serial>\d+)\s*$", regex.MULTILINE)


@dataclass
class ReviewedComment:
    status: str  # accepted | edited | rejected | added
    comment_id: int | None
    rule: str | None
    factor: str | None
    severity: str | None
    unit: str | None  # citation label of the anchored paragraph
    quote: str  # the anchored words (for rejected ones: the quote at annotation time)
    text: str  # the comment's text as the expert left it (without our signature)
    author: str | None = None
    serial: int | None = None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("status", "comment_id", "rule", "factor", "severity", "unit", "quote",
                                              "text", "author", "serial")}


@dataclass
class Review:
    path: str
    comments: list[ReviewedComment] = field(default_factory=list)

    def by_status(self, status: str) -> list[ReviewedComment]:
        return [c for c in self.comments if c.status == status]

    def to_dict(self) -> dict:
        counts = {s: len(self.by_status(s)) for s in ("accepted", "edited", "rejected", "added")}
        return {"version": 1, "path": self.path, "counts": counts, "comments": [c.to_dict() for c in self.comments]}


def _manifest(zin: zipfile.ZipFile) -> list[dict]:
    for name in zin.namelist():
        if name.startswith("customXml/item") and name.endswith(".xml") and "Props" not in name:
            root = parse_xml(zin.read(name), part=name)
            if root.tag == f"{{{MANIFEST_NS}}}findings":
                return [dict(f.attrib) for f in root.iter(f"{{{MANIFEST_NS}}}finding")]
    return []


def _anchored(loaded, comment_id: str) -> tuple[int | None, str]:
    """The paragraph index and the text between a comment's range marks."""
    pieces_of = loaded.pieces
    for index, p in enumerate(loaded.paragraphs):
        starts = [el for el in p.iter(_w("commentRangeStart")) if el.get(_w("id")) == comment_id]
        if not starts:
            continue
        inside = False
        text = []
        elements = {el: t for _, t, el, _ in pieces_of.get(p, [])}
        for el in p.iter():
            if el.tag == _w("commentRangeStart") and el.get(_w("id")) == comment_id:
                inside = True
            elif el.tag == _w("commentRangeEnd") and el.get(_w("id")) == comment_id:
                break
            elif inside and el in elements:
                text.append(elements[el])
        return index, "".join(text)
    return None, ""


def read_review(path: str) -> Review:
    loaded = load_docx(path, record_pieces=True)
    document = build_document(loaded.raw)
    unit_at = {u.location.index: u for u in document.units if u.location is not None and u.location.part == "body"}
    review = Review(path)
    with zipfile.ZipFile(path) as zin:
        manifest = {int(e["serial"]): e for e in _manifest(zin)}
        part = _comments_part_name(zin, loaded.main)
        comments = parse_xml(zin.read(part), part=part) if part in zin.namelist() else None
    seen_serials: set[int] = set()
    for c in comments.iter(_w("comment")) if comments is not None else ():
        cid = c.get(_w("id"))
        text = comment_text(c)
        index, quote = _anchored(loaded, cid)
        unit = unit_at.get(index) if index is not None else None
        sig = _SIGNATURE_LINE.search(text)
        entry = manifest.get(int(sig["serial"])) if sig else None
        body = _SIGNATURE_LINE.sub("", text).strip()
        if sig and entry is not None and entry.get("rule") == sig["rule"]:
            serial = int(sig["serial"])
            seen_serials.add(serial)
            status = "accepted" if text_hash(text) == entry.get("hash") else "edited"
            review.comments.append(ReviewedComment(
                status, int(cid) if cid and cid.lstrip("-").isdigit() else None, entry["rule"], entry.get("factor"),
                entry.get("severity"), unit.label if unit else entry.get("unit"), quote or entry.get("quote", ""),
                body, c.get(_w("author")), serial))
        else:
            review.comments.append(ReviewedComment(
                "added", int(cid) if cid and cid.lstrip("-").isdigit() else None, None, None, None,
                unit.label if unit else None, quote, body, c.get(_w("author"))))
    for serial, entry in sorted(manifest.items()):
        if serial not in seen_serials:
            review.comments.append(ReviewedComment(
                "rejected", None, entry["rule"], entry.get("factor"), entry.get("severity"), entry.get("unit"),
                entry.get("quote", ""), "", None, serial))
    return review
