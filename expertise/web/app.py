"""Routes and pages of the web application (FastAPI, server-rendered Jinja2, a little JavaScript).

HTTP contract (tested in tests/test_web.py):

* a page without a session → 303 to ``/login``; any other request without a session → 401;
* a POST without the session's CSRF token → 403;
* another organisation's review → 404 (as if it did not exist);
* an upload over the size limit → 413 (refused from ``Content-Length`` before the body is read, or
  while it is read when there is none); a file that is not DOCX/ODT/RTF/PDF/TXT by its bytes → 415;
  a draft the reader refuses (broken package, zip bomb, XML entities…) → 422 with the reader's
  Russian sentence; too many drafts in the queue → 503.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles

from expertise.errors import InputError
from expertise.web import jobs as job_functions
from expertise.web.jobs import Busy, JobFailed, Jobs, safe_name
from expertise.web.security import CSRF_FIELD, CSRF_HEADER, HEADERS, csrf_ok, csrf_token
from expertise.web.sniff import Unsupported, sniff_upload
from expertise.web.store import KEPT, STATUS_NAMES, Store, User

log = logging.getLogger("expertise.web")

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD = 20 * MB
FORM_OVERHEAD = 1 * MB  # multipart boundaries and the small fields beside the file
SESSION_HOURS = 12
STATIC_DIR = Path(__file__).resolve().parent / "static"

OPINION_FORMS = (("independent", "независимая экспертиза (приказ Минюста России № 363)"),
                 ("departmental", "ведомственная экспертиза"),
                 ("table", "ведомственная, таблицей (муниципальная форма)"))
OPINION_FORMATS = (("docx", "DOCX (Word)"), ("html", "HTML"), ("md", "Markdown"))
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
         "png": "image/png"}
STATUS_ORDER = {"pending": 0, "edited": 1, "added": 2, "accepted": 3, "rejected": 4}


class Problem(Exception):
    """Stop the request with an HTTP status and one Russian sentence (rendered as a page)."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class LoginRequired(Exception):
    pass


class _TooLarge(Exception):
    pass


# --- templates --------------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    folder = importlib.resources.files("expertise.templates") / "web"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder), encoding="utf-8"),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["datetime"] = lambda v: v.astimezone().strftime("%d.%m.%Y %H:%M") if v else ""
    env.filters["date"] = lambda v: v.strftime("%d.%m.%Y") if v else ""
    env.globals["STATUS_NAMES"] = STATUS_NAMES
    return env


def _size(n: int) -> str:
    return f"{n // MB} МБ" if n >= MB else f"{n // 1024} КБ"


# --- the size limit, before and while the body is read ---------------------------------------------------


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413: at once from Content-Length, or while reading."""

    def __init__(self, app, limit: int, page):
        self.app, self.limit, self.page = app, limit, page

    async def _refuse(self, send) -> None:
        body = self.page().encode("utf-8")
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")] + [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = False
            if too_big:
                return await self._refuse(send)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception as exc:
            if started or not _is_too_large(exc):
                raise
            await self._refuse(send)


def _is_too_large(exc: BaseException) -> bool:
    if isinstance(exc, _TooLarge):
        return True
    inner = getattr(exc, "exceptions", None)  # an exception group from a task group
    return bool(inner) and all(_is_too_large(e) for e in inner)


class SecurityHeaders:
    """Content-Security-Policy (no inline script or style, nothing from elsewhere) and friends."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()
                         if k.lower().encode() not in present and not (static and k == "Cache-Control")]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, with_headers)


# --- the application ------------------------------------------------------------------------------------


def create_app(db: str | None = None, *, workers: int | None = None, max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
               max_pending: int = 64, config: str | None = None, tmp_root: str | None = None,
               secret_key: str | None = None, start_workers: bool = False, https_only: bool = False,
               job_timeout: float = 600.0) -> FastAPI:
    """The web application on the database ``db`` (the registry's URL resolution: --db, EXPERTISE_DB …)."""
    store = Store(db)
    jobs = Jobs(workers=workers, max_pending=max_pending, config=config, tmp_root=tmp_root, timeout=job_timeout)
    env = _environment()
    catalogue_cache: list = []

    def catalogue():
        if not catalogue_cache:
            from expertise.engine.catalogue import load_catalogue
            from expertise.settings import load_settings

            catalogue_cache.append(load_catalogue(load_settings(config).rule_dirs))
        return catalogue_cache[0]

    @asynccontextmanager
    async def lifespan(_app):
        if start_workers:
            await run_in_threadpool(jobs.start)
        yield
        await run_in_threadpool(jobs.shutdown)

    app = FastAPI(title="expertise", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.store, app.state.jobs, app.state.max_upload = store, jobs, max_upload_bytes

    # --- rendering ---

    def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        session = request.scope.get("session")
        user = context.pop("user", None)
        flash = session.pop("flash", []) if session is not None else []
        html = env.get_template(name).render(
            user=user, csrf=csrf_token(session) if session is not None else "", flash=flash,
            path=request.url.path, max_upload=_size(max_upload_bytes), **context)
        return HTMLResponse(html, status_code=status_code)

    def error_page(request: Request, status: int, message: str, headers: dict | None = None) -> HTMLResponse:
        user = getattr(request.state, "user", None)
        response = render(request, "error.html", status, user=user, status=status, message=message)
        for k, v in (headers or {}).items():
            response.headers[k] = v
        return response

    def too_large_page() -> str:
        return env.get_template("error.html").render(
            user=None, csrf="", flash=[], path="", max_upload=_size(max_upload_bytes), status=413,
            message=f"Файл слишком велик: предел — {_size(max_upload_bytes)}.")

    # --- errors ---

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return error_page(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError):
        return error_page(request, 422, str(exc))

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired):
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return error_page(request, 401, "Войдите в систему: сеанс не начат или истек.")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "Страница не найдена.", 405: "Такой запрос к этой странице не поддерживается.",
                    400: "Неверный запрос: форма повреждена или заполнена неверно."}
        return error_page(request, exc.status_code, messages.get(exc.status_code, "Запрос не выполнен."))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return error_page(request, 400, "Неверный запрос: параметры заданы неверно.")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        log.exception("internal error on %s", request.url.path)
        return error_page(request, 500, f"Внутренняя ошибка expertise ({exc.__class__.__name__}). "
                                        "Сообщите администратору.")

    # order: the size limit outermost, then the session (signed cookie)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SessionMiddleware, secret_key=secret_key or store.secret_key(),
                       session_cookie="expertise_session", max_age=SESSION_HOURS * 3600, same_site="lax",
                       https_only=https_only)
    app.add_middleware(BodyLimit, limit=max_upload_bytes + FORM_OVERHEAD, page=too_large_page)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    # --- session helpers ---

    def _fingerprint(user: User) -> str:
        return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]

    def _user_sync(request: Request) -> User:
        uid = request.session.get("uid")
        if not uid:
            raise LoginRequired()
        user = store.user(uid)
        if user is None or request.session.get("pw") != _fingerprint(user):
            request.session.clear()
            raise LoginRequired()
        request.state.user = user
        return user

    async def current_user(request: Request) -> User:
        return await run_in_threadpool(_user_sync, request)

    async def posted(request: Request) -> dict:
        """The form of a POST whose CSRF token matches the session's (else 403)."""
        form = await request.form()
        token = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        if not csrf_ok(request.session, token if isinstance(token, str) else None):
            raise Problem(403, "Запрос отклонен: форма устарела или отправлена не со страницы expertise "
                               "(нет ключа защиты CSRF). Обновите страницу и повторите.")
        return {k: v for k, v in form.items() if isinstance(v, str)}

    def flash(request: Request, message: str) -> None:
        request.session["flash"] = [*request.session.get("flash", []), message]

    def review_or_404(user: User, review_id: int, with_findings: bool = True):
        review = store.review(user.org_id, review_id, with_findings=with_findings)
        if review is None:
            raise Problem(404, "Экспертиза не найдена.")
        return review

    def require_head(user: User) -> None:
        if user.role != "руководитель":
            raise Problem(403, "Годовой отчет доступен пользователю с ролью «руководитель».")

    # --- login ---

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request, next: str = "/"):
        if request.session.get("uid"):
            try:
                await current_user(request)
                return RedirectResponse(_local(next), status_code=303)
            except LoginRequired:
                pass
        return render(request, "login.html", next=_local(next), message=None, login="")

    @app.post("/login")
    async def login(request: Request):
        form = await posted(request)
        user = await run_in_threadpool(store.authenticate, form.get("login", ""), form.get("password", ""))
        if user is None:
            return render(request, "login.html", 401, next=_local(form.get("next", "/")),
                          message="Неверное имя пользователя или пароль.", login=form.get("login", ""))
        request.session.clear()
        request.session.update({"uid": user.id, "pw": _fingerprint(user)})
        csrf_token(request.session)
        return RedirectResponse(_local(form.get("next", "/")), status_code=303)

    @app.post("/logout")
    async def logout(request: Request):
        await posted(request)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/healthz", response_class=PlainTextResponse)
    async def healthz():
        return "ok"

    # --- upload ---

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request):
        user = await current_user(request)
        reviews = await run_in_threadpool(store.reviews, user.org_id)
        return render(request, "index.html", user=user, reviews=reviews)

    @app.post("/upload")
    async def upload(request: Request):
        user = await current_user(request)
        async with request.form(max_files=1, max_fields=10) as form:
            token = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
            if not csrf_ok(request.session, token if isinstance(token, str) else None):
                raise Problem(403, "Запрос отклонен: форма устарела или отправлена не со страницы expertise "
                                   "(нет ключа защиты CSRF). Обновите страницу и повторите.")
            upload = form.get("draft")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise Problem(400, "Выберите файл проекта (DOCX, ODT, RTF, PDF или TXT).")
            filename = safe_name(upload.filename)
            data = await upload.read(max_upload_bytes + 1)
        if len(data) > max_upload_bytes:
            raise Problem(413, f"Файл слишком велик: предел — {_size(max_upload_bytes)}.")
        if not data:
            raise Problem(400, f"Файл «{filename}» пуст.")
        try:
            fmt = sniff_upload(data, filename)
        except Unsupported as exc:
            raise Problem(415, str(exc)) from None
        result = await run_job(job_functions.analyze, data, fmt, filename)
        if "error" in result:
            raise Problem(422, result["error"])
        review_id = await run_in_threadpool(store.add_review, user, filename, result)
        return RedirectResponse(f"/reviews/{review_id}", status_code=303)

    async def run_job(fn, *args):
        try:
            return await jobs.run(fn, *args)
        except Busy:
            raise Problem(503, "Сервер занят проверкой других проектов: повторите через минуту.",
                          {"Retry-After": "30"}) from None
        except JobFailed as exc:
            raise Problem(500, str(exc)) from None

    # --- the review ---

    @app.get("/reviews/{review_id:int}", response_class=HTMLResponse)
    async def review_page(request: Request, review_id: int):
        user = await current_user(request)
        review = await run_in_threadpool(review_or_404, user, review_id)
        cat = await run_in_threadpool(catalogue)

        def page() -> HTMLResponse:  # a long draft takes a while to lay out: not on the event loop
            from expertise.registry.report import SHORT

            units, cards = _layout(review)
            counts = {s: sum(1 for f in review.findings if f.status == s) for s in STATUS_NAMES}
            return render(request, "review.html", user=user, review=review, units=units, cards=cards,
                          counts=counts, short=SHORT, factors=list(cat.factors.values()), forms=OPINION_FORMS,
                          formats=_opinion_formats(), today=dt.date.today().isoformat(),
                          kept=sum(counts[s] for s in KEPT))

        return await run_in_threadpool(page)

    @app.post("/reviews/{review_id:int}/findings/{finding_id:int}")
    async def decide(request: Request, review_id: int, finding_id: int):
        user = await current_user(request)
        form = await posted(request)
        action = form.get("action", "")
        status = {"accept": "accepted", "reject": "rejected", "edit": "edited", "reset": "pending"}.get(action)
        if status is None:
            raise Problem(400, "Неизвестное решение по замечанию.")
        found = await run_in_threadpool(store.decide, user.org_id, review_id, finding_id, user, status,
                                        form.get("explanation"), form.get("recommendation"))
        if not found:
            raise Problem(404, "Замечание не найдено.")
        return RedirectResponse(f"/reviews/{review_id}#f{finding_id}", status_code=303)

    @app.post("/reviews/{review_id:int}/accept-pending")
    async def accept_pending(request: Request, review_id: int):
        user = await current_user(request)
        await posted(request)
        n = await run_in_threadpool(store.accept_pending, user.org_id, review_id, user)
        if n < 0:
            raise Problem(404, "Экспертиза не найдена.")
        flash(request, f"Принято замечаний без решения: {n}.")
        return RedirectResponse(f"/reviews/{review_id}", status_code=303)

    @app.post("/reviews/{review_id:int}/findings")
    async def add_finding(request: Request, review_id: int):
        user = await current_user(request)
        form = await posted(request)
        cat = await run_in_threadpool(catalogue)
        factor = cat.factors.get(form.get("factor", ""))
        if factor is None:
            raise Problem(400, "Выберите коррупциогенный фактор из перечня Методики.")
        try:
            unit_index = int(form.get("unit", ""))
        except ValueError:
            raise Problem(400, "Выберите положение проекта, к которому относится замечание.") from None
        finding_id = await run_in_threadpool(
            lambda: store.add_finding(user.org_id, review_id, user, unit_index=unit_index,
                                      quote=form.get("quote", ""), factor=factor.id, factor_name=factor.name,
                                      legal_basis=factor.citation, explanation=form.get("explanation", ""),
                                      recommendation=form.get("recommendation", "")))
        if finding_id is None:
            raise Problem(404, "Экспертиза не найдена.")
        return RedirectResponse(f"/reviews/{review_id}#f{finding_id}", status_code=303)

    def kept_items(review) -> list[dict]:
        return [f.as_job() for f in review.findings if f.status in KEPT]

    @app.get("/reviews/{review_id:int}/annotated.docx")
    async def annotated(request: Request, review_id: int):
        user = await current_user(request)
        review = await run_in_threadpool(review_or_404, user, review_id)
        docx = await run_in_threadpool(store.review_docx, user.org_id, review_id)
        result = await run_job(job_functions.annotate, docx, kept_items(review), review.filename,
                               user.name or user.login)
        if "error" in result:
            raise Problem(422, result["error"])
        headers = _attachment(f"{Path(review.filename).stem}.expertise.docx")
        if result["not_commented"]:
            headers["X-Expertise-Not-Commented"] = str(len(result["not_commented"]))
        return Response(result["data"], media_type=MEDIA["docx"], headers=headers)

    @app.post("/reviews/{review_id:int}/opinion")
    async def opinion(request: Request, review_id: int):
        user = await current_user(request)
        form = await posted(request)
        review = await run_in_threadpool(review_or_404, user, review_id)
        options, fmt = _opinion_options(form, user)
        docx = await run_in_threadpool(store.review_docx, user.org_id, review_id)
        result = await run_job(job_functions.opinion, docx, kept_items(review), review.filename, options, fmt)
        if "error" in result:
            raise Problem(422, result["error"])
        message = await run_in_threadpool(record, user, review, options["form"],
                                          dt.date.fromisoformat(result["date_iso"]), options["number"])
        flash(request, message)
        return Response(result["data"], media_type=MEDIA[fmt],
                        headers=_attachment(f"{Path(review.filename).stem}.заключение.{fmt}"))

    @app.post("/reviews/{review_id:int}/registry")
    async def to_registry(request: Request, review_id: int):
        user = await current_user(request)
        form = await posted(request)
        review = await run_in_threadpool(review_or_404, user, review_id)
        options, _fmt = _opinion_options(form, user)
        message = await run_in_threadpool(record, user, review, options["form"], options["date"] or dt.date.today(),
                                          options["number"])
        flash(request, message)
        return RedirectResponse(f"/reviews/{review_id}", status_code=303)

    def record(user: User, review, form: str, date: dt.date, number: str) -> str:
        """Record the review (its kept findings) in the registry; the line to show."""
        from expertise.opinion.context import REGISTRY_KIND
        from expertise.registry.service import DraftCard, record as record_card, review_card

        card = dict(review.draft_card)
        if card.get("act_date"):
            card["act_date"] = dt.date.fromisoformat(card["act_date"])
        labels = {u["index"]: u["label"] for u in review.units}
        findings = [f.as_registry(labels.get(f.unit_index, "")) for f in review.findings if f.status in KEPT]
        try:
            registry_id, created = record_card(
                db=store.url, draft=DraftCard(**card),
                review=review_card(findings, kind=REGISTRY_KIND[form], review_date=date, number=number or None,
                                   reviewer=user.name or user.login))
        except InputError as exc:
            return f"В реестр не внесено: {exc}"
        store.set_registry_id(user.org_id, review.id, registry_id)
        state = "внесена в реестр" if created else "обновлена в реестре"
        return f"Экспертиза {state}: запись № {registry_id} ({REGISTRY_KIND[form]}, {date.strftime('%d.%m.%Y')})."

    # --- registry and report ---

    @app.get("/registry", response_class=HTMLResponse)
    async def registry_page(request: Request, q: str = "", year: str = ""):
        from expertise.web.annual import org_rows

        user = await current_user(request)
        year_n = _year(year, allow_empty=True)
        links = await run_in_threadpool(store.registry_ids, user.org_id)
        period = (dt.date(year_n, 1, 1), dt.date(year_n, 12, 31)) if year_n else (None, None)
        rows = await run_in_threadpool(lambda: org_rows(store.url, set(links), search=q.strip() or None,
                                                        date_from=period[0], date_to=period[1]))
        rows.reverse()  # newest first
        from expertise.registry.report import SHORT

        return render(request, "registry.html", user=user, rows=rows, links=links, q=q, year=year_n or "",
                      short=SHORT)

    def org_report_for(user: User, year: int):
        from expertise.web.annual import org_report

        links = store.registry_ids(user.org_id)
        return org_report(store.url, set(links), dt.date(year, 1, 1), dt.date(year, 12, 31))

    @app.get("/report", response_class=HTMLResponse)
    async def report_page(request: Request, year: str = ""):
        user = await current_user(request)
        require_head(user)
        year_n = _year(year)
        report = await run_in_threadpool(org_report_for, user, year_n)
        return render(request, "report.html", user=user, report=report, year=year_n,
                      years=list(range(dt.date.today().year, dt.date.today().year - 6, -1)))

    @app.get("/report/chart.png")
    async def report_chart(request: Request, year: str = ""):
        from expertise.registry.report import chart_png

        user = await current_user(request)
        require_head(user)
        report = await run_in_threadpool(org_report_for, user, _year(year))
        data = await run_in_threadpool(chart_png, report)
        return Response(data, media_type=MEDIA["png"])

    @app.get("/report/download")
    async def report_download(request: Request, year: str = "", fmt: str = "docx"):
        import tempfile

        from expertise.registry.report import render as render_report

        user = await current_user(request)
        require_head(user)
        if fmt not in ("docx", "xlsx", "md"):
            raise Problem(400, "Формат отчета: docx, xlsx или md.")
        year_n = _year(year)
        report = await run_in_threadpool(org_report_for, user, year_n)

        def make() -> bytes:
            if fmt == "md":
                return render_report(report, "md", None).encode("utf-8")
            with tempfile.TemporaryDirectory(prefix="expertise-web-") as tmp:
                path = str(Path(tmp) / f"report.{fmt}")
                render_report(report, fmt, path)
                return Path(path).read_bytes()

        data = await run_in_threadpool(make)
        return Response(data, media_type=MEDIA[fmt], headers=_attachment(f"антикоррупционная_экспертиза_{year_n}.{fmt}"))

    return app


# --- helpers ------------------------------------------------------------------------------------------


def _local(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no «//»): no open redirect after login."""
    target = target or "/"
    if not target.startswith("/") or target.startswith("//") or "\\" in target or "\n" in target:
        return "/"
    return target


def _year(value: str, allow_empty: bool = False) -> int | None:
    value = (value or "").strip()
    if not value:
        return None if allow_empty else dt.date.today().year
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise Problem(400, f"Неверный год «{value[:20]}».")
    return int(value)


def _attachment(filename: str) -> dict:
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in filename)
    if not any(ch.isalnum() for ch in Path(ascii_name).stem):  # a Cyrillic name: a readable fallback
        ascii_name = "expertise" + Path(filename).suffix
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"}


def _opinion_formats() -> list[tuple[str, str, bool]]:
    """(format, label, available): DOCX is offered only when the opinion's Word templates are installed."""
    try:
        from expertise.opinion.render import builtin_dir
    except ImportError:
        return []
    out = []
    for fmt, label in OPINION_FORMATS:
        available = all((builtin_dir() / f"{form}.{fmt}").is_file() for form, _ in OPINION_FORMS)
        out.append((fmt, label if available else f"{label} — шаблон еще не готов", available))
    return out


def _opinion_options(form: dict, user: User) -> tuple[dict, str]:
    from expertise.opinion.context import parse_user_date

    kind = form.get("form", "departmental")
    if kind not in dict(OPINION_FORMS):
        raise Problem(400, "Выберите форму заключения.")
    fmt = form.get("format", "docx")
    available = {f for f, _label, ok in _opinion_formats() if ok}
    if fmt not in available:
        raise Problem(400, "Этот формат заключения недоступен: выберите другой.")
    date = parse_user_date(form["date"], "дата заключения") if form.get("date", "").strip() else None
    number = " ".join(form.get("number", "").split())[:64]
    return ({"form": kind, "date": date, "number": number, "min_severity": "hint",
             "expert": {"name": user.name or "", "organization": user.org.name}}, fmt)


def _layout(review) -> tuple[list[dict], list[dict]]:
    """The units with their text cut into segments at the findings' bounds, and the finding cards."""
    by_unit: dict[int, list] = {}
    for f in review.findings:
        by_unit.setdefault(f.unit_index, []).append(f)
    labels = {u["index"]: u["label"] for u in review.units}
    units = []
    for u in review.units:
        text = u["text"]
        fs = sorted(by_unit.get(u["index"], []), key=lambda f: (f.start, f.end))
        bounds = sorted({0, len(text)} | {min(max(f.start, 0), len(text)) for f in fs}
                        | {min(max(f.end, 0), len(text)) for f in fs})
        segments = []
        for a, b in zip(bounds, bounds[1:]):
            covering = [f for f in fs if f.start <= a and f.end >= b and f.start < f.end]
            covering.sort(key=lambda f: STATUS_ORDER.get(f.status, 9))
            segments.append({"text": text[a:b], "findings": covering})
        pins = [f for f in fs if f.start >= f.end]
        prefix = ""
        if u.get("number") and not u.get("marker_end") and not text.lstrip().startswith(u["number"]) \
                and u["kind"] in ("пункт", "подпункт", "раздел", "глава", "статья", "часть"):
            prefix = u["number"] + ("." if u["kind"] != "подпункт" else ")")
        units.append({"index": u["index"], "label": u["label"], "kind": u["kind"], "depth": min(u["depth"], 6),
                      "segments": segments, "pins": pins, "prefix": prefix, "has": bool(fs),
                      "preview": " ".join(text.split())[:70] + ("…" if len(text) > 70 else "")})
    cards = []
    for f in sorted(review.findings, key=lambda f: (f.unit_index, f.start, f.serial)):
        original = f.original or {}
        cards.append({"f": f, "unit": labels.get(f.unit_index, ""),
                      "edited": f.origin == "tool" and (f.explanation != original.get("explanation")
                                                        or f.recommendation != original.get("recommendation")),
                      "related": [labels[i] for i in original.get("related_index", []) if i in labels
                                  and i != f.unit_index]})
    return units, cards
