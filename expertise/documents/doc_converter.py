"""Legacy Word 97–2003 drafts (.doc): converted to DOCX by LibreOffice, then read as DOCX.

The input file is never touched: its bytes (already read by the caller) are written to a fresh
temporary directory, and LibreOffice runs there with a throw-away user profile::

    soffice --headless --norestore -env:UserInstallation=file://<tmp>/profile \\
            --convert-to docx --outdir <tmp>/out <tmp>/in/draft.doc

LibreOffice's own type detection picks the import filter (Word 97–2003, and also Word 6/95); a file
it cannot load (junk behind an OLE header, an encrypted document — no password can be given in a
headless run) produces no output, which is reported as a failed conversion. The run is limited to
:data:`CONVERSION_TIMEOUT` seconds; on time-out the whole process group is killed. The converted
file is read with :func:`expertise.documents.docx_reader.read_docx`; the result names the original
path and the format ``doc``. Locations refer to the converted DOCX.

Without LibreOffice the user is told to install it or to save the draft as DOCX. A password-protected
file is refused before any conversion: an encrypted OOXML package in an OLE container
(``EncryptionInfo``/``EncryptedPackage`` streams), or a Word 97–2003 document whose File Information
Block has the ``fEncrypted`` flag (the OLE directory is read just far enough to find the
``WordDocument`` stream).
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from expertise.documents.blocks import RawDocument
from expertise.errors import InputError

CONVERSION_TIMEOUT = 60.0  # seconds
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file
_SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """The LibreOffice executable, if installed.

    The environment variable ``EXPERTISE_SOFFICE`` overrides the search: a program name or path to
    use instead, or an empty value to act as if LibreOffice were not installed.
    """
    override = os.environ.get("EXPERTISE_SOFFICE")
    if override is not None:
        return shutil.which(override) if override else None
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _encrypted(data: bytes) -> bool:
    """An encrypted OOXML package, or a Word 97–2003 document whose FIB says «encrypted»."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return True
    try:
        return _word97_encrypted(data)
    except (IndexError, ValueError, struct.error):
        return False


def _word97_encrypted(data: bytes) -> bool:
    """Read just enough of the OLE compound file to see the fEncrypted bit of the WordDocument FIB."""
    if data[:8] != CFB_MAGIC or len(data) < 512:
        return False
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        return False
    size = 1 << shift
    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < 0xFFFFFFFA]
    fat: list[int] = []
    for n in fat_sectors:
        offset = (n + 1) * size
        fat.extend(struct.unpack_from(f"<{size // 4}I", data, offset))
    sector = struct.unpack_from("<I", data, 0x30)[0]
    seen = 0
    while sector < 0xFFFFFFFA and seen < 4096:
        seen += 1
        base = (sector + 1) * size
        for entry in range(base, base + size, 128):
            length = struct.unpack_from("<H", data, entry + 0x40)[0]
            name = data[entry:entry + max(0, length - 2)].decode("utf-16-le", errors="replace")
            if name == "WordDocument" and data[entry + 0x42] == 2:
                start = struct.unpack_from("<I", data, entry + 0x74)[0]
                fib = (start + 1) * size
                ident, flags = struct.unpack_from("<H", data, fib)[0], struct.unpack_from("<H", data, fib + 0x0A)[0]
                return ident == 0xA5EC and bool(flags & 0x0100)
        sector = fat[sector] if sector < len(fat) else 0xFFFFFFFE
    return False


def convert_to_docx(soffice: str, source: bytes, workdir: Path, timeout: float | None = None) -> Path | None:
    """Convert .doc bytes to a DOCX inside ``workdir``; None if LibreOffice produced nothing.

    Raises :class:`subprocess.TimeoutExpired` after killing the process group on time-out
    (``timeout``, by default :data:`CONVERSION_TIMEOUT`).
    """
    if timeout is None:
        timeout = CONVERSION_TIMEOUT
    indir, outdir, profile = workdir / "in", workdir / "out", workdir / "profile"
    for d in (indir, outdir, profile):
        d.mkdir()
    copy = indir / "draft.doc"
    copy.write_bytes(source)
    command = [
        soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", "docx", "--outdir", str(outdir), str(copy),
    ]
    env = dict(os.environ)
    env["HOME"] = str(workdir)  # LibreOffice writes caches under $HOME: keep them in the sandbox
    env.pop("SAL_USE_VCLPLUGIN", None)
    # LibreOffice's own messages (javaldx warnings, «Error: source file could not be loaded») are
    # not for the user: the result file tells whether the conversion worked.
    proc = subprocess.Popen(
        command, cwd=str(workdir), env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise
    finally:
        if proc.poll() is None:
            _kill_group(proc)
    result = outdir / "draft.docx"
    if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        return None
    return result


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except (subprocess.TimeoutExpired, OSError):
        pass


def read_doc(path: str, data: bytes) -> RawDocument:
    """Read a Word 97–2003 draft by converting it to DOCX with LibreOffice."""
    if _encrypted(data):
        raise InputError(
            f"Файл «{path}» (Word 97–2003, .doc) защищён паролем: откройте его в Word, снимите пароль "
            "(Файл → Сведения → Защита документа) и сохраните в формате DOCX, затем повторите проверку."
        )
    soffice = find_soffice()
    if soffice is None:
        raise InputError(
            f"Файл «{path}» в формате Word 97–2003 (.doc): установите LibreOffice или сохраните документ "
            "в формате DOCX и повторите проверку."
        )
    failed = InputError(
        f"Файл «{path}» в формате Word 97–2003 (.doc) не удалось преобразовать (он повреждён или защищён "
        "паролем): откройте его в Word и сохраните в формате DOCX, затем повторите проверку."
    )
    from expertise.documents.docx_reader import read_docx

    with tempfile.TemporaryDirectory(prefix="expertise-doc-") as tmp:
        try:
            converted = convert_to_docx(soffice, data, Path(tmp))
        except subprocess.TimeoutExpired:
            raise InputError(
                f"Файл «{path}» в формате Word 97–2003 (.doc) не удалось преобразовать за "
                f"{int(CONVERSION_TIMEOUT)} с: сохраните документ в формате DOCX и повторите проверку."
            ) from None
        except OSError as exc:
            raise InputError(
                f"Не удалось запустить LibreOffice для преобразования файла «{path}» (Word 97–2003): "
                f"{exc.strerror or exc}; сохраните документ в формате DOCX и повторите проверку."
            ) from None
        if converted is None:
            raise failed
        try:
            raw = read_docx(str(converted))
        except InputError:
            raise failed from None
    raw.path = path
    raw.format = "doc"
    return raw
