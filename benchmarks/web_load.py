"""Load test of the web application on the loopback address: concurrent uploads of a long draft.

Starts `expertise serve` on 127.0.0.1 (a free port, a temporary database, a user made with
`expertise user add`), logs in, and sends ``--uploads`` uploads (20 by default) of a generated
``--pages``-page (30) municipal постановление with its Порядок, all at once. Every upload must end
in a redirect to its review page and that page must open; meanwhile ``/healthz`` is probed to show
the server stays responsive while the workers check the drafts. Prints the latency percentiles (p50,
p90, p99, max, seconds) of the uploads and of the probes. Bounded: a fixed number of requests, a
deadline (``--deadline``, 900 s), then the server is stopped; nothing is sent anywhere but 127.0.0.1.

    python benchmarks/web_load.py [--uploads 20] [--pages 30] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"  # loopback only
PASSWORD = "нагрузочный-тест-1"

SECTIONS = [
    ("Общие положения", [
        "Настоящий Порядок устанавливает процедуру и сроки выдачи разрешений на размещение нестационарных торговых "
        "объектов на территории городского округа Заречный (далее — разрешение), а также требования к заявителям.",
        "Разрешение выдается отделом потребительского рынка администрации городского округа Заречный (далее — "
        "уполномоченный орган) на срок до {n} лет.",
    ]),
    ("Требования к заявителю", [
        "Заявителем может быть юридическое лицо или индивидуальный предприниматель, зарегистрированный на "
        "территории Верхнеокской области не менее {n} месяцев до дня подачи заявления.",
        "У заявителя отсутствует задолженность по налогам, сборам и иным обязательным платежам в бюджеты бюджетной "
        "системы Российской Федерации на дату подачи заявления.",
    ]),
    ("Документы", [
        "Для получения разрешения заявитель представляет в уполномоченный орган заявление по форме согласно "
        "приложению № {n} к настоящему Порядку и следующие документы:",
        "1) копию документа, удостоверяющего личность заявителя или его представителя;",
        "2) схему размещения нестационарного торгового объекта в масштабе 1:500;",
        "3) иные документы по требованию уполномоченного органа.",
    ]),
    ("Рассмотрение заявления", [
        "Уполномоченный орган регистрирует заявление в день его поступления и в течение {n} рабочих дней со дня "
        "регистрации рассматривает его.",
        "Уполномоченный орган вправе отказать в выдаче разрешения в случае несоответствия объекта требованиям "
        "настоящего Порядка.",
        "Заявителю может быть отказано в выдаче разрешения при наличии задолженности по арендной плате.",
        "При необходимости уполномоченный орган запрашивает у заявителя дополнительные сведения.",
    ]),
    ("Решение и его обжалование", [
        "Решение о выдаче разрешения или об отказе в его выдаче направляется заявителю в течение {n} рабочих дней "
        "со дня его принятия способом, указанным в заявлении.",
        "Решения и действия (бездействие) уполномоченного органа могут быть обжалованы в досудебном порядке главе "
        "городского округа Заречный, а также в судебном порядке.",
    ]),
]


def draft_paragraphs(pages: int) -> list[str]:
    """A постановление and its Порядок of about ``pages`` pages (about 330 words a page)."""
    head = [
        "АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ", "ПОСТАНОВЛЕНИЕ", "от ___________ 2026 г. № ____",
        "Об утверждении Порядка выдачи разрешений на размещение нестационарных торговых объектов на территории "
        "городского округа Заречный",
        "В соответствии с Федеральным законом от 06.10.2003 № 131-ФЗ «Об общих принципах организации местного "
        "самоуправления в Российской Федерации» администрация городского округа Заречный ПОСТАНОВЛЯЕТ:",
        "1. Утвердить прилагаемый Порядок выдачи разрешений на размещение нестационарных торговых объектов.",
        "2. Настоящее постановление вступает в силу со дня его официального опубликования.",
        "Глава городского округа Заречный А.А. Петров", "Приложение", "к постановлению администрации",
        "городского округа Заречный", "ПОРЯДОК", "выдачи разрешений на размещение нестационарных торговых объектов",
    ]
    out = list(head)
    titles = ["Общие положения", "Требования к заявителю", "Перечень документов", "Прием и регистрация заявления",
              "Рассмотрение заявления", "Основания для отказа", "Выдача разрешения", "Размещение объекта",
              "Контроль за размещением", "Ответственность", "Досрочное прекращение разрешения",
              "Обжалование решений"]
    texts = [t for _, paragraphs in SECTIONS for t in paragraphs]
    target = pages * 330
    words = sum(len(p.split()) for p in out)
    n = 0
    for section, title in enumerate(titles, start=1):
        out.append(f"{roman(section)}. {title}")
        point = 0
        while words < target * section / len(titles):
            text = texts[n % len(texts)]
            n += 1
            if text[:2] in ("1)", "2)", "3)"):
                out.append(text)
            else:
                point += 1
                out.append(f"{section}.{point}. " + text.format(n=(n % 27) + 3))
            words += len(out[-1].split())
    return out


def roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def draft_docx(pages: int) -> bytes:
    import docx

    document = docx.Document()
    for line in draft_paragraphs(pages):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def percentiles(values: list[float]) -> dict[str, float]:
    """Nearest-rank percentiles."""
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"p50": rank(50), "p90": rank(90), "p99": rank(99), "max": ordered[-1]}


def fmt(stats: dict[str, float]) -> str:
    return "  ".join(f"{k}={v:.3f}s" for k, v in stats.items())


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def expertise_exe() -> str:
    exe = Path(sys.executable).with_name("expertise")
    return str(exe) if exe.exists() else "expertise"


async def run(args, url: str, data: bytes) -> int:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=args.deadline) as client:
        page = await client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = await client.post("/login", data={"csrf_token": csrf, "login": "load", "password": PASSWORD},
                              follow_redirects=False)
        if r.status_code != 303:
            print("login failed", file=sys.stderr)
            return 2
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/")).text).group(1)
        done = asyncio.Event()
        probes: list[float] = []

        async def probe():
            async with httpx.AsyncClient(base_url=url, timeout=30) as prober:
                while not done.is_set():
                    t = time.perf_counter()
                    r = await prober.get("/healthz")
                    r.raise_for_status()
                    probes.append(time.perf_counter() - t)
                    await asyncio.sleep(0.25)

        async def one(i: int) -> tuple[float, int, str]:
            t = time.perf_counter()
            r = await client.post("/upload", data={"csrf_token": csrf},
                                  files={"draft": (f"проект-{i:02d}.docx", data, "application/octet-stream")},
                                  follow_redirects=False)
            elapsed = time.perf_counter() - t
            location = r.headers.get("location", "")
            if r.status_code == 303 and location.startswith("/reviews/"):
                page = await client.get(location)
                if page.status_code != 200 or "a class=\"mark" not in page.text:
                    return elapsed, page.status_code, f"review page {location}: {page.status_code}"
            return elapsed, r.status_code, location

        prober = asyncio.create_task(probe())
        started = time.perf_counter()
        results = await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(args.uploads))), args.deadline)
        wall = time.perf_counter() - started
        done.set()
        await prober

    failures = [(i, s, loc) for i, (_, s, loc) in enumerate(results) if s != 303]
    latencies = [e for e, _, _ in results]
    print(f"uploads: {args.uploads} concurrent × {args.pages}-page DOCX ({len(data) // 1024} KB), "
          f"workers: {args.workers or 'default'}, wall time {wall:.1f}s")
    print(f"upload latency   {fmt(percentiles(latencies))}")
    print(f"/healthz latency {fmt(percentiles(probes))}  ({len(probes)} probes during the load)")
    print(f"errors: {len(failures)}")
    for i, status, location in failures:
        print(f"  upload {i}: HTTP {status} {location}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds for the whole run")
    args = parser.parse_args()

    data = draft_docx(args.pages)
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    with tempfile.TemporaryDirectory(prefix="expertise-load-") as tmp:
        db = f"sqlite:///{Path(tmp) / 'load.sqlite3'}"
        subprocess.run([expertise_exe(), "user", "add", "load", "--org", "Нагрузочный тест", "--role", "юрист",
                        "--password-stdin", "--db", db], input=PASSWORD.encode(), check=True, env=env,
                       capture_output=True)
        port = free_port()
        command = [expertise_exe(), "serve", "--host", HOST, "--port", str(port), "--db", db]
        if args.workers is not None:
            command += ["--workers", str(args.workers)]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://{HOST}:{port}"
        try:
            import httpx

            deadline = time.monotonic() + 120
            while True:
                if server.poll() is not None:
                    print(server.stderr.read().decode(errors="replace"), file=sys.stderr)
                    return 2
                try:
                    if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    print("server did not start", file=sys.stderr)
                    return 2
                time.sleep(0.3)
            return asyncio.run(run(args, url, data))
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
