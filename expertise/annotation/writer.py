"""Word comments on the exact words of each finding, changing nothing else in the package.

The draft is read with the same DOCX walker the checker uses, recording which run each character
of a paragraph came from. For a finding, the runs covering the quote are split at its first and
last character (every piece keeps a copy of its run properties), and the quote is wrapped in
``w:commentRangeStart``/``w:commentRangeEnd`` with a ``w:commentReference`` run after it. Comments
go to ``word/comments.xml`` (existing comments kept), and a manifest of our comments to a custom
XML part, so that ``review`` can tell accepted, edited, rejected and added comments apart.

Only ``word/document.xml``, ``word/comments.xml``, ``[Content_Types].xml``, the main part's
relationships and our custom XML part are rewritten; every other part is copied byte for byte.
The output is written to a temporary file next to it and renamed into place.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from expertise.documents.docx_reader import load_docx
from expertise.documents.model import Document
from expertise.documents.structure import build_document
from expertise.documents.xmlsafe import parse_xml
from expertise.engine.findings import Finding
from expertise.errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CUSTOM_XML_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_PROPS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
MANIFEST_NS = "urn:expertise:findings:1"
SIGNATURE = "expertise"  # the last paragraph of our comments: «expertise · 3b.vpravo-organ · №3»
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class AnnotationResult:
    output: str
    commented: list[Finding] = field(default_factory=list)
    not_commented: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, reason)


def comment_paragraphs(finding: Finding, serial: int) -> list[str]:
    """The text of our comment, paragraph by paragraph (the last one is the signature)."""
    head = "Коррупциогенный фактор" if finding.severity == "finding" else "Требует проверки"
    lines = [
        f"{head}: {finding.factor_name} ({finding.legal_basis}).",
        finding.explanation,
        f"Предложение: {finding.recommendation}",
    ]
    others = [u.label for u in finding.related if u is not finding.unit]
    if others:
        lines.append("Связанные положения: " + ", ".join(dict.fromkeys(others)) + ".")
    if finding.also_factors:
        lines.append("Проверить также факторы: " + ", ".join(finding.also_factors) + ".")
    lines.append(f"{SIGNATURE} · {finding.rule} · №{serial}")
    return lines


# --- run surgery -------------------------------------------------------------------------------


def _run_length(run: Any, pieces_by_element: dict) -> int:
    return sum(len(pieces_by_element[c]) for c in run if c in pieces_by_element)


def _split_run(run: Any, at: int, pieces_by_element: dict) -> Any:
    """Split ``run`` after ``at`` visible characters; return the new second run (inserted after).

    Both halves keep a copy of the run properties; a w:t cut in the middle becomes two w:t."""
    rpr = run.find(_w("rPr"))
    second = etree.Element(run.tag, attrib=dict(run.attrib), nsmap=None)
    if rpr is not None:
        second.append(copy.deepcopy(rpr))
    seen = 0
    moving = False
    for child in list(run):
        if child is rpr:
            continue
        if moving:
            second.append(child)  # moves it
            continue
        text = pieces_by_element.get(child)
        if text is None:
            continue
        if seen + len(text) <= at:
            seen += len(text)
            if seen == at:
                moving = True
            continue
        # the cut falls inside this element: only w:t can be cut
        cut = at - seen
        if child.tag != _w("t"):
            raise _CannotAnchor("граница цитаты внутри специального символа")
        tail = etree.SubElement(second, _w("t"))
        tail.text = text[cut:]
        tail.set(XML_SPACE, "preserve")
        child.text = text[:cut]
        child.set(XML_SPACE, "preserve")
        pieces_by_element[child] = text[:cut]
        pieces_by_element[tail] = text[cut:]
        moving = True
    run.addnext(second)
    return second


class _CannotAnchor(Exception):
    pass


def _isolate(pieces: list[tuple[int, str, Any, Any]], start: int, end: int,
             pieces_by_element: dict) -> tuple[Any, Any]:
    """Split runs so that characters [start, end) of the paragraph are whole runs; return the
    first and the last of those runs. ``pieces_by_element`` (visible element → its text) is
    updated with the elements the splits create."""
    runs: list[tuple[Any, int]] = []  # run, offset of its first visible character
    for offset, _, _, run in pieces:
        if not runs or runs[-1][0] is not run:
            runs.append((run, offset))
    touched = [(r, o) for r, o in runs if o < end and o + _run_length(r, pieces_by_element) > start]
    if not touched:
        raise _CannotAnchor("слова не найдены в разметке абзаца")
    for run, offset in touched:
        if any(c.tag in (_w("fldChar"), _w("instrText")) for c in run):
            raise _CannotAnchor("цитата пересекает поле Word")
    first, first_offset = touched[0]
    if start > first_offset:
        second = _split_run(first, start - first_offset, pieces_by_element)
        if len(touched) == 1:
            touched = [(second, start)]
        else:
            touched[0] = (second, start)
        first, first_offset = touched[0]
    last, last_offset = touched[-1]
    length = _run_length(last, pieces_by_element)
    if end < last_offset + length:
        _split_run(last, end - last_offset, pieces_by_element)
    return first, last


def _anchor(first: Any, last: Any, comment_id: int) -> None:
    start = etree.Element(_w("commentRangeStart"))
    start.set(_w("id"), str(comment_id))
    first.addprevious(start)
    end = etree.Element(_w("commentRangeEnd"))
    end.set(_w("id"), str(comment_id))
    last.addnext(end)
    ref_run = etree.Element(_w("r"))
    rpr = etree.SubElement(ref_run, _w("rPr"))
    style = etree.SubElement(rpr, _w("rStyle"))
    style.set(_w("val"), "CommentReference")
    ref = etree.SubElement(ref_run, _w("commentReference"))
    ref.set(_w("id"), str(comment_id))
    end.addnext(ref_run)


# --- package parts -----------------------------------------------------------------------------


def _comments_root(existing: bytes | None) -> Any:
    if existing:
        return parse_xml(existing, part="word/comments.xml")
    return etree.Element(_w("comments"), nsmap={"w": W})


def _add_comment(comments: Any, comment_id: int, author: str, initials: str, date: str, lines: list[str]) -> None:
    c = etree.SubElement(comments, _w("comment"))
    c.set(_w("id"), str(comment_id))
    c.set(_w("author"), author)
    c.set(_w("date"), date)
    c.set(_w("initials"), initials)
    for n, line in enumerate(lines):
        p = etree.SubElement(c, _w("p"))
        ppr = etree.SubElement(p, _w("pPr"))
        st = etree.SubElement(ppr, _w("pStyle"))
        st.set(_w("val"), "CommentText")
        if n == 0:
            r = etree.SubElement(p, _w("r"))
            rpr = etree.SubElement(r, _w("rPr"))
            rs = etree.SubElement(rpr, _w("rStyle"))
            rs.set(_w("val"), "CommentReference")
            etree.SubElement(r, _w("annotationRef"))
        r = etree.SubElement(p, _w("r"))
        t = etree.SubElement(r, _w("t"))
        t.text = line
        t.set(XML_SPACE, "preserve")


def _max_comment_id(document_root: Any, comments: Any) -> int:
    ids = [int(x) for x in comments.xpath("//w:comment/@w:id", namespaces={"w": W}) if x.lstrip("-").isdigit()]
    ids += [int(x) for x in document_root.xpath("//w:commentRangeStart/@w:id | //w:commentReference/@w:id",
                                                 namespaces={"w": W}) if x.lstrip("-").isdigit()]
    return max(ids, default=-1)


def comment_text(comment: Any) -> str:
    """A comment's text: its paragraphs joined with line breaks."""
    paras = []
    for p in comment.iter(_w("p")):
        paras.append("".join(t.text or "" for t in p.iter(_w("t"))))
    return "\n".join(paras)


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def _manifest_xml(entries: list[dict]) -> bytes:
    root = etree.Element(f"{{{MANIFEST_NS}}}findings", nsmap={None: MANIFEST_NS})
    root.set("version", "1")
    for e in entries:
        f = etree.SubElement(root, f"{{{MANIFEST_NS}}}finding")
        for key, value in e.items():
            f.set(key, str(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _item_props(guid: str) -> bytes:
    root = etree.Element(f"{{{DS_NS}}}datastoreItem", nsmap={"ds": DS_NS})
    root.set(f"{{{DS_NS}}}itemID", guid)
    refs = etree.SubElement(root, f"{{{DS_NS}}}schemaRefs")
    ref = etree.SubElement(refs, f"{{{DS_NS}}}schemaRef")
    ref.set(f"{{{DS_NS}}}uri", MANIFEST_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_path(part: str) -> str:
    folder, name = os.path.split(part)
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _target_of(rels: Any, rel_type: str) -> str | None:
    for rel in rels.iter(f"{{{PKG_REL}}}Relationship"):
        if rel.get("Type") == rel_type:
            return rel.get("Target")
    return None


def _add_rel(rels: Any, rel_type: str, target: str) -> None:
    ids = {rel.get("Id") for rel in rels.iter(f"{{{PKG_REL}}}Relationship")}
    n = 1
    while f"rIdX{n}" in ids:
        n += 1
    rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", f"rIdX{n}")
    rel.set("Type", rel_type)
    rel.set("Target", target)


def _ensure_override(types: Any, part: str, content_type: str) -> None:
    name = "/" + part.lstrip("/")
    for o in types.iter(f"{{{CT_NS}}}Override"):
        if o.get("PartName", "").lower() == name.lower():
            return
    o = etree.SubElement(types, f"{{{CT_NS}}}Override")
    o.set("PartName", name)
    o.set("ContentType", content_type)


def _serialize(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- the whole job -----------------------------------------------------------------------------


def annotate_docx(source: str, output: str, findings: list[Finding], *, author: str = "expertise",
                  initials: str = "ЭКС", now: dt.datetime | None = None,
                  document: Document | None = None) -> AnnotationResult:
    """Write ``source`` with one comment per body finding to ``output`` (atomically)."""
    loaded = load_docx(source, record_pieces=True)
    date = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(source) as zin:
        names = [i.filename for i in zin.infolist()]
        comments_part = _comments_part_name(zin, loaded.main)
        existing = zin.read(comments_part) if comments_part in names else None
        comments = _comments_root(existing)
        next_id = _max_comment_id(loaded.root, comments) + 1
        result = AnnotationResult(output)
        manifest = []
        visible: dict[Any, dict[Any, str]] = {}  # paragraph → its visible elements and their text
        ordered = sorted(findings, key=lambda f: (f.unit.index, f.start))
        for finding in ordered:
            loc = finding.unit.location
            if loc is None or loc.part != "body" or not 0 <= loc.index < len(loaded.paragraphs):
                result.not_commented.append((finding, "положение не в основном тексте документа"))
                continue
            p = loaded.paragraphs[loc.index]
            text_of = visible.setdefault(p, {el: text for _, text, el, _ in loaded.pieces.get(p, [])})
            pieces = _pieces(p, text_of)
            if "".join(text for _, text, _, _ in pieces) != finding.unit.text:
                result.not_commented.append((finding, "абзац объединен при принятии исправлений"))
                continue
            try:
                first, last = _isolate(pieces, finding.start, finding.end, text_of)
            except _CannotAnchor as exc:
                result.not_commented.append((finding, str(exc)))
                continue
            comment_id = next_id
            next_id += 1
            _anchor(first, last, comment_id)
            serial = ordered.index(finding) + 1
            lines = comment_paragraphs(finding, serial)
            _add_comment(comments, comment_id, author, initials, date, lines)
            manifest.append({"serial": serial, "comment": comment_id, "rule": finding.rule,
                             "factor": finding.factor, "severity": finding.severity, "unit": finding.unit.label,
                             "quote": finding.quote, "hash": text_hash("\n".join(lines))})
            result.commented.append(finding)
        # comments in document order in comments.xml (Word shows them by anchor anyway)
        parts = _rewritten_parts(zin, loaded, comments_part, comments, manifest, names)
        _write_atomically(zin, output, parts)
    result.commented.sort(key=lambda f: (f.unit.index, f.start))
    return result


def _pieces(p: Any, text_of: dict[Any, str]) -> list[tuple[int, str, Any, Any]]:
    """(offset, text, element, run) of a paragraph's visible elements in their current order."""
    out = []
    offset = 0
    for el in p.iter():
        text = text_of.get(el)
        if text:
            out.append((offset, text, el, el.getparent()))
            offset += len(text)
    return out


def _comments_part_name(zin: zipfile.ZipFile, main: str) -> str:
    rels_name = _rels_path(main)
    try:
        rels = parse_xml(zin.read(rels_name), part=rels_name)
    except KeyError:
        return "word/comments.xml"
    target = _target_of(rels, COMMENTS_TYPE)
    if target:
        folder = os.path.dirname(main)
        return os.path.normpath(os.path.join(folder, target)).replace(os.sep, "/")
    return "word/comments.xml"


def _rewritten_parts(zin, loaded, comments_part, comments, manifest, names) -> dict[str, bytes]:
    parts: dict[str, bytes] = {loaded.main: _serialize(loaded.root), comments_part: _serialize(comments)}
    rels_name = _rels_path(loaded.main)
    rels = parse_xml(zin.read(rels_name), part=rels_name) if rels_name in names else etree.Element(
        f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
    folder = os.path.dirname(loaded.main)
    if _target_of(rels, COMMENTS_TYPE) is None:
        _add_rel(rels, COMMENTS_TYPE, os.path.relpath(comments_part, folder or "."))
    # the manifest of our comments, as a custom XML part (Word keeps these)
    existing_items = {n for n in names if n.startswith("customXml/item") and n.endswith(".xml")
                      and "Props" not in n}
    number = 1
    while f"customXml/item{number}.xml" in existing_items:
        number += 1
    item, props = f"customXml/item{number}.xml", f"customXml/itemProps{number}.xml"
    guid = "{" + str(__import__("uuid").uuid4()).upper() + "}"
    parts[item] = _manifest_xml(manifest)
    parts[props] = _item_props(guid)
    item_rels = etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
    _add_rel(item_rels, CUSTOM_PROPS_TYPE, f"itemProps{number}.xml")
    parts[f"customXml/_rels/item{number}.xml.rels"] = _serialize(item_rels)
    _add_rel(rels, CUSTOM_XML_TYPE, os.path.relpath(item, folder or "."))
    parts[rels_name] = _serialize(rels)
    types = parse_xml(zin.read("[Content_Types].xml"), part="[Content_Types].xml")
    _ensure_override(types, comments_part, COMMENTS_CT)
    _ensure_override(types, props, CUSTOM_PROPS_CT)
    if not any(d.get("Extension", "").lower() == "xml" for d in types.iter(f"{{{CT_NS}}}Default")):
        d = etree.SubElement(types, f"{{{CT_NS}}}Default")
        d.set("Extension", "xml")
        d.set("ContentType", "application/xml")
    parts["[Content_Types].xml"] = _serialize(types)
    return parts


def _write_atomically(zin: zipfile.ZipFile, output: str, parts: dict[str, bytes]) -> None:
    out_dir = os.path.dirname(os.path.abspath(output)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".expertise-", suffix=".docx.tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zout:
            written = set()
            for info in zin.infolist():
                if info.filename in parts:
                    zout.writestr(_info_like(info), parts[info.filename])
                else:
                    zout.writestr(info, zin.read(info.filename))  # byte for byte
                written.add(info.filename)
            for name, data in parts.items():
                if name not in written:
                    zout.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                                  compress_type=zipfile.ZIP_DEFLATED)
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = zipfile.ZIP_DEFLATED
    new.external_attr = info.external_attr
    return new


# --- plain drafts --------------------------------------------------------------------------------


def text_to_docx(document: Document, output: str) -> None:
    """A new DOCX with the draft's paragraphs (numbers as typed or rendered), for ODT/RTF/TXT/PDF."""
    import docx  # python-docx

    out = docx.Document()
    style = out.styles["Normal"]
    style.font.name = "Times New Roman"
    from docx.shared import Pt

    style.font.size = Pt(14)
    for unit in document.units:
        out.add_paragraph(unit.text)
    out.save(output)


def default_output(path: str) -> str:
    p = Path(path)
    return str(p.with_name(p.stem + ".expertise.docx"))
