"""Reading and checking drafts outside the web server's process.

Each job runs in a process of a small pool (``--workers``, by default as many as the CPUs, at most
4), each process with its own :class:`expertise.pipeline.Checker` — the one engine of the CLI — built
once and warmed up. The server awaits the job without blocking its event loop, and at most
``max_pending`` jobs may be queued or running: beyond that the upload is refused with 503 and
«Retry-After» rather than piling up. A job works in its own temporary directory, removed when it ends
whatever happens; a worker process that dies (a crash, memory) is replaced and the request gets a
Russian message, the server keeps serving.

Jobs take and return plain data (bytes, dicts), never documents or findings: the findings are rebuilt
on the stored DOCX by unit index and offsets (:func:`rebuild_findings`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from expertise.errors import InputError

EXTENSION = {"docx": ".docx", "odt": ".odt", "rtf": ".rtf", "pdf": ".pdf", "txt": ".txt"}
WARMUP = ("1. Администрация вправе отказать заявителю в предоставлении субсидии при необходимости.\n"
          "2. Заявителю может быть отказано в выдаче разрешения.\n")

_checker = None
_config: str | None = None


class Busy(Exception):
    """Too many drafts are being checked (HTTP 503)."""


class JobFailed(Exception):
    """A worker died or a job broke unexpectedly; the message is one Russian sentence."""


# --- inside the worker process -------------------------------------------------------------------


def init_worker(config: str | None = None, warm: bool = True, nice: bool = True) -> None:
    """Build the worker's Checker once (catalogue, morphology, tokenizer) and run it on a tiny draft."""
    global _checker, _config
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    if nice:
        try:
            os.nice(5)  # the checking yields to the web server: pages stay quick while drafts are checked
        except OSError:
            pass
    _config = config
    _checker = _make_checker(config)
    if warm:
        from expertise.documents.reader import read_stdin_text

        _checker.check_document(read_stdin_text(WARMUP.encode("utf-8")))


def _make_checker(config: str | None):
    from expertise.pipeline import Checker
    from expertise.settings import load_settings

    return Checker(min_severity="hint", settings=load_settings(config))


def _get_checker():
    global _checker
    if _checker is None:
        _checker = _make_checker(_config)
    return _checker


def safe_name(filename: str) -> str:
    """A file name for the temporary copy: the base name, no path, no control characters, bounded."""
    name = Path((filename or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f/]", "", name).strip().lstrip(".") or "проект"
    return name[:120]


def _workdir(tmp_root: str | None) -> str:
    if tmp_root:
        os.makedirs(tmp_root, exist_ok=True)
    return tempfile.mkdtemp(prefix="expertise-web-", dir=tmp_root)


def _message(exc: InputError, path: str, shown: str) -> str:
    return str(exc).replace(path, shown)


def analyze(data: bytes, fmt: str, filename: str, tmp_root: str | None = None) -> dict:
    """Read and check an uploaded draft. Returns {"error": message} for a draft the reader refuses."""
    from expertise.annotation.writer import text_to_docx
    from expertise.documents.docx_reader import read_docx
    from expertise.documents.reader import read_document
    from expertise.documents.structure import build_document
    from expertise.registry.service import draft_card

    shown = safe_name(filename)
    stem = Path(shown).stem or "проект"
    work = _workdir(tmp_root)
    try:
        path = os.path.join(work, stem + EXTENSION[fmt])
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            document = read_document(path)
            if fmt != "docx":
                # ODT, RTF, PDF, TXT: a DOCX of the text, as `expertise annotate` does, and the findings on it
                source = os.path.join(work, "converted.docx")
                text_to_docx(document, source)
                document = build_document(read_docx(source))
            else:
                source = path
            document.path = shown
            findings = _get_checker().check_document(document).findings
            card = draft_card(document)
        except InputError as exc:
            return {"error": _message(exc, path, shown)}
        with open(source, "rb") as fh:
            docx = fh.read()
        units = [{"index": u.index, "label": u.label, "kind": u.kind, "depth": len(u.ancestors),
                  "number": u.number, "marker_end": u.marker_end, "text": u.text} for u in document.units]
        out = []
        for f in findings:
            d = f.to_dict()
            d["unit_index"] = f.unit.index
            d["related_index"] = [u.index for u in f.related]
            out.append(d)
        card_data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in card.__dict__.items()}
        return {"format": fmt, "title": document.title or card.title or shown, "words": document.word_count,
                "units": units, "findings": out, "docx": docx, "draft_card": card_data}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _load_stored(docx: bytes, work: str, name: str):
    from expertise.documents.reader import read_document

    path = os.path.join(work, "draft.docx")
    with open(path, "wb") as fh:
        fh.write(docx)
    document = read_document(path)
    document.path = name
    return path, document


def rebuild_findings(document, items: list[dict]) -> tuple[list, list[dict]]:
    """Findings on ``document`` from stored items (unit index, offsets, wording); items whose words are
    no longer at their place are returned apart."""
    from expertise.engine.findings import Finding

    units = {u.index: u for u in document.units}
    findings, lost = [], []
    for item in items:
        unit = units.get(item["unit_index"])
        if unit is None or unit.text[item["start"]:item["end"]] != item["quote"]:
            lost.append(item)
            continue
        findings.append(Finding(
            factor=item["factor"], factor_name=item["factor_name"], rule=item["rule"], severity=item["severity"],
            unit=unit, start=item["start"], end=item["end"], explanation=item["explanation"],
            recommendation=item["recommendation"], legal_basis=item["legal_basis"],
            related=[units[i] for i in item.get("related_index", []) if i in units],
            also_factors=list(item.get("also_factors", [])), title=item.get("title", "")))
    return findings, lost


def annotate(docx: bytes, items: list[dict], name: str, author: str, tmp_root: str | None = None) -> dict:
    """The stored DOCX with a Word comment on the words of each kept finding."""
    from expertise.annotation.writer import annotate_docx

    work = _workdir(tmp_root)
    try:
        try:
            path, document = _load_stored(docx, work, name)
            findings, lost = rebuild_findings(document, items)
            output = os.path.join(work, "annotated.docx")
            result = annotate_docx(path, output, findings, author=author or "expertise", document=document)
        except InputError as exc:
            return {"error": str(exc)}
        with open(output, "rb") as fh:
            data = fh.read()
        return {"data": data, "commented": len(result.commented),
                "not_commented": [f"{f.unit.label}: «{f.quote}» ({reason})" for f, reason in result.not_commented]
                + [f"«{i['quote']}» (слова не найдены)" for i in lost]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def opinion(docx: bytes, items: list[dict], name: str, options: dict, fmt: str,
            tmp_root: str | None = None) -> dict:
    """The opinion (заключение) on the stored draft with the kept findings, as bytes of ``fmt``."""
    from expertise.opinion import OpinionOptions, build_context, render_opinion
    from expertise.settings import load_settings

    work = _workdir(tmp_root)
    try:
        try:
            _path, document = _load_stored(docx, work, name)
            findings, _lost = rebuild_findings(document, items)
            checker = _get_checker()
            context = build_context(document, findings, checker.catalogue, load_settings(_config),
                                    OpinionOptions(**options))
            data = render_opinion(context, options["form"], fmt)
        except InputError as exc:
            return {"error": str(exc)}
        return {"data": data, "counts": context["counts"], "date_iso": context["date_iso"],
                "reviewer": context["expert"]["display"]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ping() -> int:
    return os.getpid()


# --- in the server ------------------------------------------------------------------------------------


class Jobs:
    """A bounded queue in front of a process pool (or a thread pool with ``workers=0``: tests, debugging)."""

    def __init__(self, workers: int | None = None, max_pending: int = 64, config: str | None = None,
                 tmp_root: str | None = None, timeout: float = 600.0):
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self.workers = min(4, cpus) if workers is None else workers
        self.max_pending = max_pending
        self.config = config
        self.tmp_root = tmp_root
        self.timeout = timeout
        self._pool: cf.Executor | None = None
        self._lock = threading.Lock()
        self._pending = 0

    def _executor(self) -> cf.Executor:
        with self._lock:
            if self._pool is None:
                if self.workers <= 0:
                    init_worker(self.config, warm=False, nice=False)
                    self._pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="expertise-job")
                else:
                    # forkserver: workers are not forked from the threaded server process
                    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
                    ctx = multiprocessing.get_context(method)
                    if method == "forkserver":
                        ctx.set_forkserver_preload(["expertise.web.jobs", "expertise.pipeline"])
                    self._pool = cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                                        initializer=init_worker, initargs=(self.config,))
            return self._pool

    def start(self) -> None:
        """Start the workers now (they load the catalogue and warm up) instead of at the first upload."""
        pool = self._executor()
        if isinstance(pool, cf.ProcessPoolExecutor):
            for fut in [pool.submit(ping) for _ in range(self.workers)]:
                fut.result()

    def _reset(self, broken: cf.Executor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn, *args):
        """Run ``fn(*args, tmp_root)`` in a worker and await its result."""
        with self._lock:
            if self._pending >= self.max_pending:
                raise Busy()
            self._pending += 1
        try:
            pool = self._executor()
            try:
                future = pool.submit(fn, *args, self.tmp_root)
            except (cf.process.BrokenProcessPool, RuntimeError):
                self._reset(pool)
                pool = self._executor()
                future = pool.submit(fn, *args, self.tmp_root)
            try:
                return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
            except asyncio.TimeoutError:
                raise JobFailed("Обработка файла заняла слишком много времени и прервана; "
                                "попробуйте позже или разделите документ.") from None
            except cf.process.BrokenProcessPool:
                self._reset(pool)
                raise JobFailed("Обработка файла прервана аварийно (процесс проверки завершился); "
                                "файл, вероятно, поврежден или слишком сложен.") from None
        finally:
            with self._lock:
                self._pending -= 1

    @property
    def pending(self) -> int:
        return self._pending

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
