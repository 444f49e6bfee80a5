"""Hostile and bad input, every case generated here: one Russian line on stderr, exit 2, no
traceback, the input's bytes unchanged, memory bounded.

The memory bound is asserted over all cases together: the peak RSS of the child processes
(sampled from each child's /proc/PID/status while it runs) stays under ``MEMORY_BOUND_MB``.
"""

import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from docx_factory import DocxBuilder, rewrite_package


MEMORY_BOUND_MB = 400
_PEAKS: list[float] = []


class _Result:
    def __init__(self, returncode, stdout, stderr, peak_mb):
        self.returncode, self.stdout, self.stderr, self.peak_mb = returncode, stdout, stderr, peak_mb


def run(cmd, *args, input=None):
    """Run the CLI and sample its own peak RSS (VmHWM of its address space, which exec starts
    afresh — unlike ru_maxrss, which carries the forking pytest's size across exec)."""
    import subprocess
    import tempfile
    import time

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([cmd, *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=dict(os.environ, PYTHONWARNINGS="ignore"))
        peak_kb = 0
        status = Path(f"/proc/{proc.pid}/status")
        while proc.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.01)
        out.seek(0)
        err.seek(0)
        return _Result(proc.returncode, out.read(), err.read(), peak_kb / 1024)


def _docx(path: Path, *paragraphs: str) -> Path:
    b = DocxBuilder()
    for text in paragraphs or ("1. Администрация вправе отказать заявителю в выдаче справки.",):
        b.para(text)
    b.save(path)
    return path


def _replace_document(path: Path, xml: bytes) -> Path:
    tmp = path.with_suffix(".src.docx")
    _docx(tmp)
    rewrite_package(tmp, path, {"word/document.xml": xml})
    tmp.unlink()
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _body(inner: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{inner}</w:body></w:document>'.encode()


# --- the cases: name → (builder(tmp) -> path, expected words in the message, command) ---------


def truncated_zip(d):
    full = _docx(d / "full.docx")
    p = d / "truncated.docx"
    p.write_bytes(full.read_bytes()[: len(full.read_bytes()) // 2])
    return p


def zip_bomb(d):
    p = d / "bomb.docx"
    src = _docx(d / "src.docx")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("word/media/bomb.bin", b"\0" * (260 * 1024 * 1024))  # 260 MB of zeros, ~250 KB packed
    return p


def xxe(d):
    secret = d / "secret.txt"
    secret.write_text("СЕКРЕТНЫЕ ДАННЫЕ", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>').encode()
    return _replace_document(d / "xxe.docx", xml)


def billion_laughs(d):
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [{ents}]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>').encode()
    return _replace_document(d / "laughs.docx", xml)


def _ole(streams: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + streams + b"\0" * 2048


def encrypted_ooxml(d):
    p = d / "encrypted.docx"
    p.write_bytes(_ole("EncryptionInfo EncryptedPackage".encode("utf-16-le")))
    return p


def doc_renamed(d):
    p = d / "renamed.docx"
    p.write_bytes(_ole("WordDocument".encode("utf-16-le")))
    return p


def empty_docx(d):
    p = d / "empty.docx"
    p.write_bytes(b"")
    return p


def docx_empty_zip(d):
    p = d / "emptyzip.docx"
    with zipfile.ZipFile(p, "w"):
        pass
    return p


def docx_without_body(d):
    return _replace_document(d / "nobody.docx", f'<?xml version="1.0"?><w:document {W}/>'.encode())


def docx_without_text(d):
    return _replace_document(d / "notext.docx", _body("<w:p/><w:p><w:r><w:t>   </w:t></w:r></w:p>"))


def broken_xml(d):
    return _replace_document(d / "broken.docx", b'<?xml version="1.0"?><w:document ' + W.encode() + b"><w:body><w:p>")


def huge_paragraph(d):
    p = d / "huge.docx"
    return _replace_document(p, _body(f"<w:p><w:r><w:t>{'слово ' * (10 * 1024 * 1024 // 12)}</w:t></w:r></w:p>"))


def deep_tables(d):
    inner = "<w:p><w:r><w:t>дно</w:t></w:r></w:p>"
    for _ in range(300):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    return _replace_document(d / "deep.docx", _body(inner))


def junk_txt(d):
    p = d / "junk.txt"
    p.write_bytes(os.urandom(64 * 1024))
    return p


def junk_docx(d):
    p = d / "junk.docx"
    p.write_bytes(os.urandom(64 * 1024))
    return p


def zip_not_docx(d):
    p = d / "archive.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "это не документ")
    return p


def missing_file(d):
    return d / "missing.docx"


def directory(d):
    p = d / "folder.docx"
    p.mkdir()
    (p / "inner.bin").write_bytes(b"\0\1")
    return p


def unreadable(d):
    p = _docx(d / "locked.docx")
    p.chmod(0)
    return p


def unknown_extension(d):
    p = d / "draft.xlsx"
    p.write_bytes(b"something")
    return p


def pdf_without_text(d):
    pypdf = pytest.importorskip("pypdf")
    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    p = d / "scan.pdf"
    p.write_bytes(buf.getvalue())
    return p


def encrypted_pdf(d):
    pypdf = pytest.importorskip("pypdf")
    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.encrypt("пароль")
    buf = io.BytesIO()
    w.write(buf)
    p = d / "locked.pdf"
    p.write_bytes(buf.getvalue())
    return p


def corrupt_pdf(d):
    p = d / "corrupt.pdf"
    p.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    return p


def junk_odt(d):
    p = d / "junk.odt"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content")
    return p


def junk_rtf(d):
    p = d / "junk.rtf"
    p.write_bytes(b"{\\rtf1" + os.urandom(2048))
    return p


def junk_doc(d):
    p = d / "junk.doc"
    p.write_bytes(_ole(b""))
    return p


CHECK_CASES = {
    "truncated zip": (truncated_zip, "не является документом DOCX"),
    "zip bomb": (zip_bomb, "МБ"),
    "XML external entity": (xxe, "DOCTYPE"),
    "billion laughs": (billion_laughs, "DOCTYPE"),
    "encrypted OOXML": (encrypted_ooxml, "пароль"),
    ".doc renamed to .docx": (doc_renamed, "Word 97–2003"),
    "empty file": (empty_docx, "пуст"),
    "empty zip": (docx_empty_zip, "DOCX"),
    "DOCX without a body": (docx_without_body, "нет текста"),
    "DOCX with no text": (docx_without_text, "нет текста"),
    "broken XML": (broken_xml, "повреждён"),
    "10 MB single paragraph": (huge_paragraph, "абзац"),
    "deeply nested tables": (deep_tables, "влож"),
    "binary junk as .txt": (junk_txt, "двоичные данные"),
    "binary junk as .docx": (junk_docx, "DOCX"),
    "zip that is not a DOCX": (zip_not_docx, "DOCX"),
    "missing file": (missing_file, "не найден"),
    "a directory": (directory, "каталог"),
    "unreadable file": (unreadable, "прав"),
    "unknown extension": (unknown_extension, "не поддерживается"),
    "PDF without a text layer": (pdf_without_text, "текстового слоя"),
    "encrypted PDF": (encrypted_pdf, "парол"),
    "corrupt PDF": (corrupt_pdf, "PDF"),
    "junk ODT": (junk_odt, "ODT"),
    "junk RTF": (junk_rtf, "RTF"),
    "junk DOC": (junk_doc, "Word 97–2003"),
}


def _sha(path: Path) -> str | None:
    if not path.exists() or path.is_dir():
        return None
    if not os.access(path, os.R_OK):
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        path.chmod(0)
        return digest
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_refused(res, words: str):
    err = res.stderr.decode()
    assert res.returncode == 2, (res.returncode, err, res.stdout.decode()[:300])
    assert "Traceback" not in err and "Внутренняя ошибка" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert words.lower() in lines[0].lower(), lines[0]
    assert any("а" <= ch <= "я" for ch in lines[0].lower())
    _PEAKS.append(res.peak_mb)


@pytest.mark.parametrize("name", list(CHECK_CASES))
def test_check_refuses_hostile_input(expertise_cmd, tmp_path, name):
    if name == "unreadable file" and os.geteuid() == 0:
        pytest.skip("root reads any file; permissions cannot make a file unreadable")
    build, words = CHECK_CASES[name]
    path = build(tmp_path)
    before = _sha(path)
    res = run(expertise_cmd, "check", str(path))
    _assert_refused(res, words)
    assert _sha(path) == before


@pytest.mark.parametrize("name", ["truncated zip", "XML external entity", "encrypted OOXML", "10 MB single paragraph"])
def test_annotate_refuses_hostile_input_and_writes_nothing(expertise_cmd, tmp_path, name):
    build, words = CHECK_CASES[name]
    path = build(tmp_path)
    before = _sha(path)
    res = run(expertise_cmd, "annotate", str(path), "-o", str(tmp_path / "out.docx"))
    _assert_refused(res, words)
    assert _sha(path) == before
    assert not (tmp_path / "out.docx").exists()
    assert not list(tmp_path.glob(".expertise-*"))


def test_xxe_secret_never_reaches_output(expertise_cmd, tmp_path):
    path = xxe(tmp_path)
    res = run(expertise_cmd, "check", "--format", "json", str(path))
    assert "СЕКРЕТНЫЕ" not in (res.stdout + res.stderr).decode()


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16"])
def test_office_encodings_are_read_not_refused(expertise_cmd, tmp_path, encoding):
    p = tmp_path / f"draft-{encoding}.txt"
    p.write_text("1. Уполномоченный орган вправе отказать заявителю в выдаче разрешения.\n", encoding=encoding)
    res = run(expertise_cmd, "check", str(p))
    assert res.returncode == 1, res.stderr.decode()
    assert ":3b:3b.vpravo-organ: «вправе»" in res.stdout.decode()


def test_annotate_output_equal_to_input_and_unwritable_directory(expertise_cmd, tmp_path):
    src = _docx(tmp_path / "draft.docx")
    before = _sha(src)
    res = run(expertise_cmd, "annotate", str(src), "-o", str(src), "--force")
    _assert_refused(res, "совпадает с исходным")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.geteuid() != 0:
            res = run(expertise_cmd, "annotate", str(src), "-o", str(locked / "out.docx"))
            _assert_refused(res, "прав на запись")
    finally:
        locked.chmod(stat.S_IRWXU)
    assert _sha(src) == before


def test_memory_stayed_bounded():
    """Runs last in this file: the peak RSS of every child process above stayed under the bound."""
    assert _PEAKS, "the hostile cases ran"
    assert max(_PEAKS) < MEMORY_BOUND_MB, f"peak RSS {max(_PEAKS):.0f} MB"
    print(f"\nhostile cases: {len(_PEAKS)}; peak child RSS {max(_PEAKS):.0f} MB (bound {MEMORY_BOUND_MB} MB)")
