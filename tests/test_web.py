"""The web application's HTTP contract, through FastAPI's TestClient on a real worker process.

Sessions and CSRF, organisations kept apart (another organisation's review is 404), the upload
limits (413 before and while reading the body), type sniffing (415), hostile drafts refused with the
reader's Russian sentence (422) while the server keeps serving, temporary files removed, and the
whole review: decisions, the annotated DOCX with only the kept findings, the opinion, the registry
and the annual report.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import warnings
import zipfile

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")

from fastapi.testclient import TestClient  # noqa: E402

DRAFT = """АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ
ПОСТАНОВЛЕНИЕ
от ___________ 2026 г. № ____
Об утверждении Порядка выдачи разрешений на размещение нестационарных торговых объектов на территории городского округа Заречный
В соответствии с Федеральным законом от 06.10.2003 № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации», Уставом городского округа Заречный администрация городского округа Заречный ПОСТАНОВЛЯЕТ:
1. Утвердить прилагаемый Порядок выдачи разрешений на размещение нестационарных торговых объектов на территории городского округа Заречный.
2. Настоящее постановление вступает в силу со дня его официального опубликования.
Глава городского округа Заречный А.А. Петров
Приложение
к постановлению администрации городского округа Заречный
ПОРЯДОК
выдачи разрешений на размещение нестационарных торговых объектов
1. Разрешение выдается отделом потребительского рынка администрации городского округа Заречный (далее — уполномоченный орган).
2. Для получения разрешения заявитель представляет в уполномоченный орган заявление и схему размещения объекта.
3. Уполномоченный орган вправе отказать в выдаче разрешения в случае несоответствия объекта требованиям настоящего Порядка.
4. Заявителю может быть отказано в выдаче разрешения при наличии задолженности по арендной плате.
5. При необходимости уполномоченный орган запрашивает у заявителя дополнительные сведения.
6. Решение об отказе направляется заявителю в течение 3 рабочих дней со дня его принятия.
"""

PASSWORD = "верный-пароль-1"
MB = 1024 * 1024


def docx_bytes(text: str = DRAFT) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def message_of(html: str) -> str:
    found = re.search(r'<p class="error" id="message">(.*?)</p>', html, re.S)
    assert found, html[:2000]
    import html as h

    return h.unescape(found.group(1))


# --- the application and its users ---------------------------------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from expertise.registry.db import dispose_engines
    from expertise.web.app import create_app
    from expertise.web.store import Store

    root = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{root / 'expertise.sqlite3'}"
    store = Store(url)
    store.add_user("lawyer", "Администрация городского округа Заречный", "юрист", PASSWORD, name="Смирнова Анна Петровна")
    store.add_user("head", "Администрация городского округа Заречный", "руководитель", PASSWORD, name="Петров Андрей Андреевич")
    store.add_user("other", "Администрация Боровского муниципального района", "юрист", PASSWORD)
    work = root / "work"
    app = create_app(url, workers=1, tmp_root=str(work), max_upload_bytes=2 * MB, max_pending=8)
    with TestClient(app) as owner:  # runs the lifespan: the worker pool is shut down at the end
        yield {"app": app, "url": url, "work": work, "owner": owner, "root": root}
    dispose_engines()


def client_for(web, login: str | None) -> TestClient:
    client = TestClient(web["app"], raise_server_exceptions=True)
    if login is not None:
        page = client.get("/login")
        r = client.post("/login", data={"csrf_token": csrf_of(page.text), "login": login, "password": PASSWORD,
                                        "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return client


@pytest.fixture(scope="module")
def lawyer(web):
    return client_for(web, "lawyer")


@pytest.fixture(scope="module")
def head(web):
    return client_for(web, "head")


@pytest.fixture(scope="module")
def other(web):
    return client_for(web, "other")


def upload(client: TestClient, name: str, data: bytes, csrf: str | None = "page", **kw):
    fields = {}
    if csrf == "page":
        csrf = csrf_of(client.get("/").text)
    if csrf is not None:
        fields["csrf_token"] = csrf
    return client.post("/upload", data=fields, files={"draft": (name, data, "application/octet-stream")},
                       follow_redirects=False, **kw)


@pytest.fixture(scope="module")
def review(web, lawyer):
    r = upload(lawyer, "проект постановления.docx", docx_bytes())
    assert r.status_code == 303, r.text
    match = re.fullmatch(r"/reviews/(\d+)", r.headers["location"])
    assert match
    return int(match.group(1))


def findings_on(html: str) -> dict[str, int]:
    """quote → finding id, from the marks in the draft's text."""
    out = {}
    for fid, quote in re.findall(r'<a class="mark [^"]*" href="#f(\d+)"[^>]*>(.*?)</a>', html):
        out[quote] = int(fid)
    return out


# --- sessions ------------------------------------------------------------------------------------------


def test_pages_without_session_redirect_to_login_and_posts_are_401(web):
    anonymous = client_for(web, None)
    for path in ("/", "/reviews/1", "/registry", "/report", "/reviews/1/annotated.docx"):
        r = anonymous.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login?next=")
    r = anonymous.post("/upload", files={"draft": ("a.txt", b"text", "text/plain")}, follow_redirects=False)
    assert r.status_code == 401
    assert "Войдите" in message_of(r.text)
    assert anonymous.post("/reviews/1/findings/1", data={"action": "reject"}).status_code == 401


def test_login_refuses_a_wrong_password_and_a_missing_csrf_token(web):
    client = client_for(web, None)
    page = client.get("/login")
    assert page.status_code == 200 and "Вход" in page.text
    r = client.post("/login", data={"csrf_token": csrf_of(page.text), "login": "lawyer", "password": "не тот"})
    assert r.status_code == 401
    assert "Неверное имя пользователя или пароль" in r.text
    r = client.post("/login", data={"login": "lawyer", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403
    assert "CSRF" in message_of(r.text)
    # a foreign site cannot send the user elsewhere after login
    r = client.post("/login", data={"csrf_token": csrf_of(page.text), "login": "lawyer", "password": PASSWORD,
                                    "next": "//evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_every_post_needs_the_csrf_token(web, lawyer, review):
    html = lawyer.get(f"/reviews/{review}").text
    fid = next(iter(findings_on(html).values()))
    assert upload(lawyer, "draft.txt", DRAFT.encode(), csrf=None).status_code == 403
    assert upload(lawyer, "draft.txt", DRAFT.encode(), csrf="forged").status_code == 403
    for path, data in ((f"/reviews/{review}/findings/{fid}", {"action": "reject"}),
                       (f"/reviews/{review}/findings", {"unit": "1", "factor": "3b", "explanation": "x",
                                                         "recommendation": "y"}),
                       (f"/reviews/{review}/accept-pending", {}),
                       (f"/reviews/{review}/opinion", {"form": "departmental", "format": "md"}),
                       ("/logout", {})):
        r = lawyer.post(path, data=data, follow_redirects=False)
        assert r.status_code == 403, path
    # nothing was decided by the refused requests
    assert "отклонено: 0" in lawyer.get(f"/reviews/{review}").text


def test_security_headers_and_session_cookie(web, lawyer):
    r = lawyer.get("/")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    client = client_for(web, None)
    page = client.get("/login")
    r = client.post("/login", data={"csrf_token": csrf_of(page.text), "login": "lawyer", "password": PASSWORD},
                    follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


# --- organisations ---------------------------------------------------------------------------------------


def test_another_organisations_review_is_not_found(web, other, lawyer, review):
    html = lawyer.get(f"/reviews/{review}").text
    fid = next(iter(findings_on(html).values()))
    csrf = csrf_of(other.get("/").text)
    assert other.get(f"/reviews/{review}").status_code == 404
    assert other.get(f"/reviews/{review}/annotated.docx").status_code == 404
    r = other.post(f"/reviews/{review}/findings/{fid}", data={"csrf_token": csrf, "action": "reject"})
    assert r.status_code == 404
    r = other.post(f"/reviews/{review}/opinion", data={"csrf_token": csrf, "form": "departmental", "format": "md"})
    assert r.status_code == 404
    assert other.get("/reviews/999999").status_code == 404
    assert "проект постановления.docx" not in other.get("/").text
    assert "проект постановления.docx" in lawyer.get("/").text


# --- uploads ---------------------------------------------------------------------------------------------


def test_oversized_upload_is_413_by_length_and_while_reading(web, lawyer):
    big = b"a" * (3 * MB)
    r = upload(lawyer, "big.txt", big)
    assert r.status_code == 413
    assert "слишком велик" in message_of(r.text) and "2 МБ" in message_of(r.text)
    csrf = csrf_of(lawyer.get("/").text)
    boundary = "expertiseboundary"

    def chunks():  # no Content-Length: the limit applies while the body is read
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
               f"--{boundary}\r\nContent-Disposition: form-data; name=\"draft\"; filename=\"big.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\n").encode()
        for _ in range(48):
            yield b"a" * (64 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    r = lawyer.post("/upload", content=chunks(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                    follow_redirects=False)
    assert r.status_code == 413
    # just under the limit for the body, over it for the file: still refused
    r = upload(lawyer, "big.txt", b"a" * (2 * MB + 10))
    assert r.status_code == 413


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes("1. Администрация вправе отказать."))) as zin, \
            zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("word/media/bomb.bin", b"\0" * (260 * MB))  # ~250 KB packed
    return buf.getvalue()


def _replace_part(data: bytes, part: str, content: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, content if info.filename == part else zin.read(info))
    return buf.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_hostile_uploads_are_refused_in_russian_and_the_server_keeps_serving(web, lawyer):
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    cases = [
        ("junk bytes named .docx", "проект.docx", os.urandom(64 * 1024), 415, "не является документом"),
        ("an image named .pdf", "проект.pdf", b"\x89PNG\r\n\x1a\n" + os.urandom(4096), 415, "не является документом"),
        ("a zip that is not a DOCX", "архив.docx", _zip_with({"readme.txt": "это не документ"}), 415, "не документ DOCX"),
        ("a truncated DOCX", "обрывок.docx", docx_bytes()[:3000], 415, "поврежден"),
        ("Word 97-2003", "старый.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, 415, "DOCX"),
        ("an empty file", "пустой.docx", b"", 400, "пуст"),
        ("a zip bomb", "бомба.docx", _zip_bomb(), 422, "МБ"),
        ("billion laughs", "смех.docx", _replace_part(docx_bytes(), "word/document.xml", (
            f'<?xml version="1.0"?><!DOCTYPE w:document [{laughs}]><w:document {W}><w:body><w:p><w:r><w:t>'
            f'&lol9;</w:t></w:r></w:p></w:body></w:document>').encode()), 422, "DOCTYPE"),
        ("broken XML", "сломан.docx", _replace_part(docx_bytes(), "word/document.xml",
                                                    f'<?xml version="1.0"?><w:document {W}><w:body><w:p>'.encode()),
         422, "поврежд"),
        ("a corrupt PDF", "скан.pdf", b"%PDF-1.7\n" + os.urandom(4096), 422, "PDF"),
        ("junk RTF", "мусор.rtf", b"{\\rtf1" + os.urandom(2048), 422, "RTF"),
    ]
    for name, filename, data, status, words in cases:
        r = upload(lawyer, filename, data)
        assert r.status_code == status, (name, r.status_code, r.text[:500])
        message = message_of(r.text)
        assert words in message, (name, message)
        assert "Traceback" not in r.text and "/tmp" not in message, name
    # still serving, and a good draft still goes through
    assert lawyer.get("/").status_code == 200
    r = upload(lawyer, "проект.txt", DRAFT.encode("cp1251"))
    assert r.status_code == 303
    assert lawyer.get(r.headers["location"]).status_code == 200
    # no temporary file of any job is left behind
    assert list(web["work"].iterdir()) == []


def _zip_with(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buf.getvalue()


def test_type_comes_from_the_bytes_not_the_name(web, lawyer):
    r = upload(lawyer, "проект.pdf", docx_bytes())  # a DOCX named .pdf is read as DOCX
    assert r.status_code == 303
    html = lawyer.get(r.headers["location"]).text
    assert "(DOCX," in html
    r = upload(lawyer, "проект.docx", DRAFT.encode("utf-8"))  # text named .docx is read as text
    assert r.status_code == 303
    assert "(TXT," in lawyer.get(r.headers["location"]).text


def _odt(lines: list[str]) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:text>' + "".join(f"<text:p>{line}</text:p>" for line in lines)
               + "</office:text></office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _rtf(lines: list[str]) -> bytes:
    def escape(text: str) -> str:
        return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in text)

    return ("{\\rtf1\\ansi\\deff0 " + "".join(escape(line) + "\\par\n" for line in lines) + "}").encode()


@pytest.mark.parametrize("kind, make", [("ODT", _odt), ("RTF", _rtf)])
def test_odt_and_rtf_are_checked_and_annotated(web, lawyer, kind, make):
    lines = ["ПОСТАНОВЛЕНИЕ", "1. Администрация вправе отказать заявителю в выдаче разрешения.",
             "2. Заявителю может быть отказано в выдаче разрешения."]
    r = upload(lawyer, "проект.txt", make(lines))  # the name says TXT, the bytes say otherwise
    assert r.status_code == 303, r.text[:1000]
    html = lawyer.get(r.headers["location"]).text
    assert f"({kind}," in html
    assert {"вправе", "может быть отказано"} <= set(findings_on(html))
    lawyer.post(r.headers["location"] + "/accept-pending", data={"csrf_token": csrf_of(html)})
    docx = lawyer.get(r.headers["location"] + "/annotated.docx")
    assert docx.status_code == 200
    assert len(_comments(docx.content)) == len(findings_on(html))


# --- the review -----------------------------------------------------------------------------------------------


def _comments(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/comments.xml").decode("utf-8")
    comments = re.findall(r"<w:comment [^>]*>(.*?)</w:comment>", xml, re.S)
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c)) for c in comments]


def test_review_decisions_annotated_docx_opinion_registry_and_report(web, lawyer, head, other, review):
    html = lawyer.get(f"/reviews/{review}").text
    marks = findings_on(html)
    # the findings are highlighted on the exact words, each with factor, citation, explanation, fix
    assert {"вправе", "может быть отказано"} <= set(marks), marks
    necessity = next(q for q in marks if q.lower() == "при необходимости")
    assert "подпункт «б» пункта 3 Методики" in html and "пункт 3 приложения" in html
    assert "Предложение:" in html
    csrf = csrf_of(html)

    r = lawyer.post(f"/reviews/{review}/findings/{marks[necessity]}", data={"csrf_token": csrf, "action": "reject"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#f{marks[necessity]}")
    edited = "Формула «может быть отказано» оставляет отказ на усмотрение органа (правка юриста)."
    r = lawyer.post(f"/reviews/{review}/findings/{marks['может быть отказано']}",
                    data={"csrf_token": csrf, "action": "edit", "explanation": edited,
                          "recommendation": "Заменить словами «заявителю отказывается»."}, follow_redirects=False)
    assert r.status_code == 303
    r = lawyer.post(f"/reviews/{review}/findings/{marks['вправе']}", data={"csrf_token": csrf, "action": "accept"},
                    follow_redirects=False)
    assert r.status_code == 303
    # the reviewer's own finding on words of a unit
    page = lawyer.get(f"/reviews/{review}").text
    unit = re.search(r'<option value="(\d+)">пункт 2 приложения', page).group(1)
    r = lawyer.post(f"/reviews/{review}/findings", data={
        "csrf_token": csrf, "unit": unit, "quote": "схему  размещения", "factor": "4a",
        "explanation": "Не установлены требования к схеме размещения.", "recommendation": "Утвердить форму схемы."},
        follow_redirects=False)
    assert r.status_code == 303
    r = lawyer.post(f"/reviews/{review}/findings", data={
        "csrf_token": csrf, "unit": unit, "quote": "слов нет в пункте", "factor": "4a",
        "explanation": "x", "recommendation": "y"})
    assert r.status_code == 422 and "не найдены" in message_of(r.text)

    page = lawyer.get(f"/reviews/{review}").text
    assert "отклонено: 1" in page and "изменено: 1" in page and "добавлено экспертом: 1" in page
    assert edited in page

    # the annotated DOCX: accepted, edited and added findings only
    r = lawyer.get(f"/reviews/{review}/annotated.docx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    comments = _comments(r.content)
    assert len(comments) == 3, comments
    assert any(edited in c for c in comments)
    assert any("Не установлены требования к схеме размещения" in c for c in comments)
    assert not any("необходимости" in c.lower() and "4в" in c for c in comments)
    from expertise.annotation.review import read_review

    path = web["root"] / "annotated.docx"
    path.write_bytes(r.content)
    reviewed = read_review(str(path))
    assert sorted(c.quote for c in reviewed.comments) == sorted(["вправе", "может быть отказано", "схему размещения"])

    # the opinion: kept findings, recorded in the registry
    r = lawyer.post(f"/reviews/{review}/opinion", data={"csrf_token": csrf, "form": "departmental", "format": "md",
                                                        "number": "17-юр", "date": "2026-03-02"})
    assert r.status_code == 200, r.text[:2000]
    text = r.content.decode("utf-8")
    assert "может быть отказано" in text and "правка юриста" in text
    assert "Заречный" in text
    page = lawyer.get(f"/reviews/{review}").text
    assert "внесена в реестр" in page

    registry = lawyer.get("/registry").text
    assert "17-юр" in registry and "Смирнова Анна Петровна" in registry
    assert "17-юр" in lawyer.get("/registry", params={"q": "нестационарных"}).text
    assert "17-юр" not in lawyer.get("/registry", params={"q": "бюджет"}).text
    assert "17-юр" not in other.get("/registry").text

    # the annual report: the head only
    assert lawyer.get("/report", params={"year": "2026"}).status_code == 403
    report = head.get("/report", params={"year": "2026"})
    assert report.status_code == 200
    assert "количество проектов НПА, которые прошли ведомственную экспертизу – 1" in report.text
    chart = head.get("/report/chart.png", params={"year": "2026"})
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    assert head.get("/report/download", params={"year": "2026", "fmt": "docx"}).content.startswith(b"PK")
    assert "ведомственную экспертизу – 0" in other_report(web)


def other_report(web) -> str:
    from expertise.web.store import Store

    store = Store(web["url"])
    if not any(u.login == "other-head" for u in store.users()):
        store.add_user("other-head", "Администрация Боровского муниципального района", "руководитель", PASSWORD)
    return client_for(web, "other-head").get("/report", params={"year": "2026"}).text


def test_busy_queue_is_503(tmp_path):
    from expertise.web.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", workers=0, max_pending=0)
    app.state.store.add_user("solo", "Организация", "юрист", PASSWORD)
    client = TestClient(app)
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_of(page.text), "login": "solo", "password": PASSWORD})
    r = upload(client, "проект.txt", DRAFT.encode())
    assert r.status_code == 503 and r.headers["retry-after"]
    assert "занят" in message_of(r.text)


# --- accounts from the command line ------------------------------------------------------------------------------


def test_user_add_from_the_command_line(expertise_cmd, tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    env = dict(os.environ, PYTHONWARNINGS="ignore")

    def run(*args, stdin=""):
        return subprocess.run([expertise_cmd, *args], input=stdin.encode(), capture_output=True, env=env, timeout=120)

    r = run("user", "add", "ivanova", "--org", "Правовое управление", "--role", "юрист", "--password-stdin",
            "--db", db, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr.decode()
    assert "создан" in r.stdout.decode()
    r = run("user", "add", "ivanova", "--org", "Правовое управление", "--role", "юрист", "--password-stdin",
            "--db", db, stdin=PASSWORD + "\n")
    assert r.returncode == 2 and "уже существует" in r.stderr.decode()
    listing = run("user", "list", "--db", db).stdout.decode()
    assert "ivanova\tюрист\tПравовое управление" in listing

    from expertise.errors import InputError
    from expertise.web.store import Store

    with pytest.raises(InputError, match="короткий"):
        Store(f"sqlite:///{db}").add_user("petrov", "X", "юрист", "short")
    with pytest.raises(InputError, match="Роль"):
        Store(f"sqlite:///{db}").add_user("petrov", "X", "админ", PASSWORD)
    user = Store(f"sqlite:///{db}").authenticate("ivanova", PASSWORD)
    assert user is not None and user.password_hash.startswith("$argon2id$")
    assert Store(f"sqlite:///{db}").authenticate("ivanova", "wrong-password") is None


# --- the web tables on both databases the registry supports ------------------------------------------------------


def test_web_state_on_sqlite_and_postgresql(registry_db):
    from expertise.web.store import Store

    store = Store(registry_db)
    lawyer = store.add_user("lawyer", "Организация А", "юрист", PASSWORD, name="Юрист А")
    stranger = store.add_user("stranger", "Организация Б", "юрист", PASSWORD)
    assert store.authenticate("lawyer", PASSWORD).org.name == "Организация А"
    text = "1. Администрация вправе отказать заявителю."
    finding = {"unit_index": 0, "start": 17, "end": 23, "quote": "вправе", "factor": "3b",
               "factor_name": "определение компетенции по формуле «вправе»", "rule": "3b.vpravo-organ",
               "severity": "finding", "title": "", "legal_basis": "подпункт «б» пункта 3 Методики",
               "explanation": "Полномочие сформулировано как право.", "recommendation": "Заменить на обязанность.",
               "related_index": [], "also_factors": []}
    result = {"format": "docx", "title": "Проект", "words": 6, "draft_card": {"content_hash": "0" * 64, "title": "П"},
              "units": [{"index": 0, "label": "пункт 1", "kind": "пункт", "depth": 0, "number": "1",
                         "marker_end": 2, "text": text}],
              "findings": [finding], "docx": b"PK\x03\x04" + bytes(range(256)) * 64}
    review_id = store.add_review(lawyer, "проект.docx", result)
    assert store.review(stranger.org_id, review_id) is None
    assert store.review_docx(stranger.org_id, review_id) is None
    assert store.review_docx(lawyer.org_id, review_id) == result["docx"]
    fid = store.review(lawyer.org_id, review_id).findings[0].id
    assert not store.decide(stranger.org_id, review_id, fid, stranger, "rejected")
    assert store.decide(lawyer.org_id, review_id, fid, lawyer, "edited", "Новое пояснение.", "Новое предложение.")
    assert store.decide(lawyer.org_id, review_id, fid, lawyer, "accepted")  # keeps the reviewer's wording
    kept = store.review(lawyer.org_id, review_id).findings[0]
    assert (kept.status, kept.explanation) == ("edited", "Новое пояснение.")
    assert store.decide(lawyer.org_id, review_id, fid, lawyer, "pending")  # the tool's wording back
    assert store.review(lawyer.org_id, review_id).findings[0].explanation == finding["explanation"]
    own = store.add_finding(lawyer.org_id, review_id, lawyer, unit_index=0, quote="отказать  заявителю", factor="3a",
                            factor_name="широта дискреционных полномочий", legal_basis="подпункт «а» пункта 3",
                            explanation="Нет оснований отказа.", recommendation="Указать основания.")
    added = [f for f in store.review(lawyer.org_id, review_id).findings if f.id == own][0]
    assert (added.start, added.end, added.quote, added.status) == (24, 42, "отказать заявителю", "added")
    assert store.add_finding(stranger.org_id, review_id, stranger, unit_index=0, quote="", factor="3a",
                             factor_name="x", legal_basis="x", explanation="x", recommendation="y") is None
    assert [r.id for r in store.reviews(lawyer.org_id)] == [review_id]
    assert store.reviews(stranger.org_id) == []
    assert store.secret_key() == store.secret_key()
