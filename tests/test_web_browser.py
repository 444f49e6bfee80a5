"""The web application in a real browser: `expertise serve` on 127.0.0.1 (a free port) driven by headless
Chromium from Debian's packages (chromium, chromium-driver) through Selenium — no browser is downloaded.

One reviewer's session: log in, drop a file on the upload zone, upload a municipal постановление with a
Порядок, reject one finding, edit another, download the annotated DOCX and the opinion, open the
registry and the annual report. Screenshots go to a temporary directory (or to ``EXPERTISE_SCREENSHOTS``
when set) and their paths are printed.

Skipped only when chromium or chromedriver is not installed (``scripts/test.sh`` installs them as root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="headless Chromium is not installed (Debian packages chromium and chromium-driver; scripts/test.sh "
           "installs them as root)")

PASSWORD = "пароль-для-браузера"

DRAFT = """АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ
ПОСТАНОВЛЕНИЕ
от ___________ 2026 г. № ____
Об утверждении Порядка выдачи разрешений на размещение нестационарных торговых объектов на территории городского округа Заречный
В соответствии с Федеральным законом от 06.10.2003 № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации», Уставом городского округа Заречный администрация городского округа Заречный ПОСТАНОВЛЯЕТ:
1. Утвердить прилагаемый Порядок выдачи разрешений на размещение нестационарных торговых объектов на территории городского округа Заречный.
2. Опубликовать настоящее постановление в газете «Заречный вестник» и разместить на официальном сайте администрации городского округа Заречный.
3. Настоящее постановление вступает в силу со дня его официального опубликования.
Глава городского округа Заречный А.А. Петров
Приложение
к постановлению администрации
городского округа Заречный
от ___________ 2026 г. № ____
ПОРЯДОК
выдачи разрешений на размещение нестационарных торговых объектов
I. Общие положения
1.1. Настоящий Порядок устанавливает процедуру выдачи разрешений на размещение нестационарных торговых объектов на территории городского округа Заречный (далее — разрешение).
1.2. Разрешение выдается отделом потребительского рынка администрации городского округа Заречный (далее — уполномоченный орган).
II. Выдача разрешения
2.1. Для получения разрешения заявитель представляет в уполномоченный орган заявление и следующие документы:
1) копию документа, удостоверяющего личность заявителя;
2) схему размещения нестационарного торгового объекта;
3) иные документы по требованию уполномоченного органа.
2.2. Уполномоченный орган рассматривает заявление в течение 10 рабочих дней со дня его регистрации.
2.3. Уполномоченный орган вправе отказать в выдаче разрешения в случае несоответствия объекта требованиям настоящего Порядка.
2.4. Заявителю может быть отказано в выдаче разрешения при наличии задолженности по арендной плате.
2.5. При необходимости уполномоченный орган запрашивает у заявителя дополнительные сведения и документы.
2.6. Решение об отказе в выдаче разрешения направляется заявителю в течение 3 рабочих дней со дня его принятия.
2.7. Решения и действия уполномоченного органа могут быть обжалованы в досудебном и судебном порядке.
"""

EDITED = "Отказ сформулирован как право органа: основания отказа должны быть исчерпывающими (правка юриста)."


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"expertise serve exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise AssertionError("expertise serve did not start in time")


@pytest.fixture(scope="module")
def server(tmp_path_factory, expertise_cmd):
    root = tmp_path_factory.mktemp("browser")
    db = f"sqlite:///{root / 'expertise.sqlite3'}"
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    from expertise.registry.db import dispose_engines
    from expertise.web.store import Store

    Store(db).add_user("smirnova", "Администрация городского округа Заречный", "руководитель", PASSWORD,
                       name="Смирнова Анна Петровна")  # as `expertise user add` does (tested in test_web.py)
    dispose_engines()
    port = _free_port()
    proc = subprocess.Popen([expertise_cmd, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db,
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    root = tmp_path_factory.mktemp("chromium")
    downloads = root / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-extensions", "--disable-default-apps", "--window-size=1400,1000",
                 f"--user-data-dir={root / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "safebrowsing.enabled": False})
    os.environ.setdefault("SE_AVOID_STATS", "true")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(60)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    target = os.environ.get("EXPERTISE_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _shot(driver, shots: Path, name: str, full: bool = True) -> Path:
    if full:
        height = driver.execute_script("return Math.max(document.body.scrollHeight, 900)")
        driver.set_window_size(1400, min(int(height) + 120, 4000))
    path = shots / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1000)
    print(f"screenshot: {path}", file=sys.stderr)
    return path


def _wait(condition, seconds: float = 60, what: str = "condition"):
    """Poll ``condition`` until it is true; the page may be reloading meanwhile (stale or missing elements)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _download(driver, suffix: str, before: set[str]) -> Path:
    def done():
        files = [p for p in driver.downloads.iterdir() if p.name not in before and p.name.endswith(suffix)]
        partial = [p for p in driver.downloads.iterdir() if p.suffix == ".crdownload"]
        return files[0] if files and not partial else None

    return _wait(done, 30, f"a downloaded *{suffix}")


def _card(driver, quote: str):
    from selenium.webdriver.common.by import By

    for card in driver.find_elements(By.CSS_SELECTOR, "article.finding"):
        if card.find_element(By.CSS_SELECTOR, ".where").text.lower().find(quote.lower()) >= 0:
            return card
    raise AssertionError(f"no finding on «{quote}»")


def _draft_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in DRAFT.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _comments(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/comments.xml").decode("utf-8")


def test_review_in_headless_chromium(server, browser, shots, tmp_path):
    from selenium.webdriver.common.by import By

    d = browser
    # log in (the page asks for it)
    d.get(server + "/")
    assert "/login" in d.current_url
    d.find_element(By.NAME, "login").send_keys("smirnova")
    d.find_element(By.NAME, "password").send_keys(PASSWORD)
    _shot(d, shots, "01-login", full=False)
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(lambda: d.current_url.rstrip("/") == server, 20, "the upload page")

    # drag and drop onto the zone puts the file into the form
    d.execute_script("""
        const dt = new DataTransfer();
        dt.items.add(new File([arguments[0]], 'перетащенный.txt', {type: 'text/plain'}));
        const zone = document.getElementById('drop');
        zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    """, DRAFT)
    assert d.execute_script("return document.getElementById('draft').files[0].name") == "перетащенный.txt"
    assert "перетащенный.txt" in d.find_element(By.ID, "drop-file").text

    # junk named .docx is refused with a Russian sentence (415), and the app goes on
    junk = tmp_path / "проект.docx"
    junk.write_bytes(os.urandom(32 * 1024))
    d.find_element(By.ID, "draft").send_keys(str(junk))
    d.find_element(By.ID, "upload-button").click()
    _wait(lambda: d.find_elements(By.ID, "message"), 30, "the refusal")
    assert "не является документом" in d.find_element(By.ID, "message").text
    assert "(415)" in d.find_element(By.TAG_NAME, "h1").text
    _shot(d, shots, "02-refused", full=False)
    d.get(server + "/")

    # upload the DOCX draft
    draft = _draft_docx(tmp_path / "Проект постановления о НТО.docx")
    d.find_element(By.ID, "draft").send_keys(str(draft))
    assert "Проект постановления о НТО.docx" in d.find_element(By.ID, "drop-file").text
    _shot(d, shots, "03-upload", full=False)
    d.find_element(By.ID, "upload-button").click()
    _wait(lambda: "/reviews/" in d.current_url, 60, "the review page")
    review_url = d.current_url.split("#")[0]

    marks = {m.text.lower(): m for m in d.find_elements(By.CSS_SELECTOR, "a.mark")}
    assert {"вправе", "может быть отказано", "при необходимости"} <= set(marks), list(marks)
    card = _card(d, "вправе")
    assert "подпункт «б» пункта 3" in card.text and "Предложение:" in card.text and "пункт 2.3 приложения" in card.text
    _shot(d, shots, "04-review")

    # reject «при необходимости»
    _card(d, "при необходимости").find_element(By.CSS_SELECTOR, "button[data-action=reject]").click()
    _wait(lambda: "отклонено: 1" in d.find_element(By.ID, "counts").text, 20, "the rejection")
    assert "отклонено" in _card(d, "при необходимости").find_element(By.CSS_SELECTOR, ".badge").text

    # edit «вправе»
    card = _card(d, "вправе")
    card.find_element(By.CSS_SELECTOR, "details.edit summary").click()
    area = card.find_element(By.CSS_SELECTOR, "details.edit textarea[name=explanation]")
    area.clear()
    area.send_keys(EDITED)
    card.find_element(By.CSS_SELECTOR, "button[data-action=edit]").click()
    _wait(lambda: "изменено: 1" in d.find_element(By.ID, "counts").text, 20, "the edit")
    assert EDITED in _card(d, "вправе").text

    # accept the rest, then download the annotated DOCX
    d.find_element(By.ID, "accept-pending").click()
    _wait(lambda: "без решения: 0" in d.find_element(By.ID, "counts").text, 20, "accepting the rest")
    _shot(d, shots, "05-decided")
    before = {p.name for p in d.downloads.iterdir()}
    d.find_element(By.ID, "download-docx").click()
    annotated = _download(d, ".docx", before)
    comments = _comments(annotated)
    assert EDITED in comments
    assert "может быть отказано" in comments or "Решение органа в безличной форме" in comments
    assert "4v.pri-neobhodimosti" not in comments  # the rejected finding is not in the DOCX

    # the opinion (DOCX when its Word templates are installed, else HTML)
    fmt = d.execute_script("""
        const s = document.getElementById('opinion-format');
        const ok = Array.from(s.options).filter(o => !o.disabled).map(o => o.value);
        s.value = ok.includes('docx') ? 'docx' : 'html';
        return s.value;""")
    d.find_element(By.NAME, "number").send_keys("12-юр")
    before = {p.name for p in d.downloads.iterdir()}
    d.find_element(By.ID, "download-opinion").click()
    opinion = _download(d, f".{fmt}", before)
    if fmt == "docx":
        with zipfile.ZipFile(opinion) as z:
            text = z.read("word/document.xml").decode("utf-8")
    else:
        text = opinion.read_text(encoding="utf-8")
    assert "Заречный" in text and "может быть отказано" in text

    # the registry and the annual report
    d.get(server + "/registry")
    assert "12-юр" in d.find_element(By.ID, "registry").text
    _shot(d, shots, "06-registry")
    d.get(server + "/report")
    _wait(lambda: d.execute_script("const i = document.getElementById('chart'); return i.complete && i.naturalWidth > 0"),
          20, "the chart")
    assert "прошли ведомственную экспертизу – 1" in d.find_element(By.ID, "report-text").text
    _shot(d, shots, "07-report")
    d.get(review_url)
    assert "запись №" in d.page_source
