"""The annual anti-corruption report from the registry, in the wording bodies copy into their reports.

The block follows ``shared/seeds/000_*.txt`` (Минцифры Татарстана, 2019)::

    Итого: количество проектов НПА, которые прошли ведомственную экспертизу – 12;
    - количество НПА, в которых были выявлены коррупциогенные факторы – 0;
    - количество и перечень НПА, в которые внесены изменения – 0;
    - перечень выявленных коррупциогенных факторов, сгруппированных по типам – 0.

preceded by the list of reviewed drafts and followed by the independent-expertise windows and
«заключений независимых экспертов не поступало» (or their number).

How the figures are counted (per period — review dates within it — and per developing body):

* a draft is one distinct text (content hash); reviewed twice in the period it counts once, and its
  latest ведомственная review in the period gives its factors;
* «выявлены коррупциогенные факторы»: findings of severity «finding» (hints «проверить» are not factors);
* «внесены изменения»: a review of the draft in the period has the outcome «changes made: yes»;
* factors are grouped by type in the order of the Методика (пункт 3 «а»–«и», пункт 4 «а»–«в»): the number
  of findings of the type and in how many drafts;
* conclusions of independent experts: the number entered on the windows (``registry window
  --conclusions``) plus the reviews of kind «независимая» recorded in the period.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from expertise.errors import InputError
from expertise.language.names import genitive_of_body
from expertise.registry.service import ReviewRow, WindowEntry, list_reviews, list_windows

METHODIKA_ORDER = ("3a", "3b", "3v", "3g", "3d", "3e", "3zh", "3z", "3i", "4a", "4b", "4v")
SHORT = {"3a": "3а", "3b": "3б", "3v": "3в", "3g": "3г", "3d": "3д", "3e": "3е", "3zh": "3ж", "3z": "3з",
         "3i": "3и", "4a": "4а", "4b": "4б", "4v": "4в"}
KIND_GENITIVE = {"постановление": "постановления", "решение": "решения", "приказ": "приказа",
                 "распоряжение": "распоряжения", "закон": "закона", "указ": "указа"}
FORMATS = ("text", "md", "docx", "csv", "xlsx")
BINARY_FORMATS = ("docx", "xlsx")

CLAUSE_REVIEWED = "количество проектов НПА, которые прошли ведомственную экспертизу"
CLAUSE_FACTORS = "количество НПА, в которых были выявлены коррупциогенные факторы"
CLAUSE_CHANGED = "количество и перечень НПА, в которые внесены изменения"
CLAUSE_TYPES = "перечень выявленных коррупциогенных факторов, сгруппированных по типам"
NO_CONCLUSIONS = "заключений независимых экспертов не поступало"


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """Russian agreement with a number: (1 заключение, 2 заключения, 5 заключений)."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def fmt_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def parse_date(value: str | None, what: str = "дата") -> dt.date | None:
    """«2025-03-01» or «01.03.2025» (the CLI's dates)."""
    if value is None or value == "":
        return None
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InputError(f"Неверная {what} «{value}»: укажите дату как 01.03.2025 или 2025-03-01.")


def period(year: int | None, date_from: dt.date | None, date_to: dt.date | None,
           today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The reporting period: --from/--to, else the whole --year, else the current year."""
    year = year or (date_from or date_to or today or dt.date.today()).year
    start = date_from or dt.date(year, 1, 1)
    end = date_to or dt.date(year, 12, 31)
    if end < start:
        raise InputError(f"Конец периода ({fmt_date(end)}) раньше его начала ({fmt_date(start)}).")
    return start, end


def describe(title: str, act_kind: str | None, body: str | None) -> str:
    """«проект постановления Администрации городского округа «Об утверждении …»» as in the seeds."""
    words = ["проект"]
    if act_kind:
        words.append(KIND_GENITIVE.get(act_kind, act_kind))
    if body:
        words.append(genitive_of_body(body))
    quoted = title if title.startswith("«") and title.endswith("»") else f"«{title}»"
    return " ".join(words + [quoted])


@dataclass
class DraftEntry:
    draft_id: int
    title: str
    act_kind: str | None
    body: str | None
    reviews: list[ReviewRow] = field(default_factory=list)

    @property
    def latest(self) -> ReviewRow:
        return self.reviews[-1]

    @property
    def factor_counts(self) -> dict[str, int]:
        return self.latest.factor_counts

    @property
    def factors_found(self) -> bool:
        return self.latest.factors_found

    @property
    def changed_review(self) -> ReviewRow | None:
        changed = [r for r in self.reviews if r.changed]
        return changed[-1] if changed else None

    @property
    def description(self) -> str:
        return describe(self.title, self.act_kind, self.body)


@dataclass
class FactorLine:
    factor: str
    short: str
    name: str
    item: str
    count: int
    drafts: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.item} Методики)" if self.item else self.name


@dataclass
class AnnualReport:
    date_from: dt.date
    date_to: dt.date
    body: str | None
    drafts: list[DraftEntry]
    factors: list[FactorLine]  # every type in Методика order (zeros included), then unknown ones
    windows: list[WindowEntry]
    independent_reviews: int

    @property
    def whole_year(self) -> bool:
        return (self.date_from.month, self.date_from.day, self.date_to.month, self.date_to.day) == (1, 1, 12, 31) \
            and self.date_from.year == self.date_to.year

    @property
    def period_title(self) -> str:
        if self.whole_year:
            return f"за {self.date_from.year} год"
        return f"за период с {fmt_date(self.date_from)} по {fmt_date(self.date_to)}"

    @property
    def period_in(self) -> str:
        if self.whole_year:
            return f"В {self.date_from.year} году"
        return f"В период с {fmt_date(self.date_from)} по {fmt_date(self.date_to)}"

    @property
    def with_factors(self) -> list[DraftEntry]:
        return [d for d in self.drafts if d.factors_found]

    @property
    def changed(self) -> list[DraftEntry]:
        return [d for d in self.drafts if d.changed_review is not None]

    @property
    def found_factors(self) -> list[FactorLine]:
        return [f for f in self.factors if f.count]

    @property
    def factors_total(self) -> int:
        return sum(f.count for f in self.factors)

    @property
    def conclusions(self) -> int:
        return sum(w.window.conclusions for w in self.windows) + self.independent_reviews

    # --- the seed's sentences ---

    def clause_lines(self) -> list[str]:
        """The four «Итого» lines, worded as in seeds/000."""
        changed = self.changed
        changed_text = f"{CLAUSE_CHANGED} – {len(changed)}"
        if changed:
            changed_text += ": " + "; ".join(d.description for d in changed)
        types_text = f"{CLAUSE_TYPES} – {self.factors_total}"
        if self.factors_total:
            types_text += ": " + "; ".join(
                f"{f.label} – {f.count} (в {f.drafts} {plural(f.drafts, ('проекте', 'проектах', 'проектах'))} НПА)"
                for f in self.found_factors)
        return [
            f"Итого: {CLAUSE_REVIEWED} – {len(self.drafts)};",
            f"- {CLAUSE_FACTORS} – {len(self.with_factors)};",
            f"- {changed_text};",
            f"- {types_text}.",
        ]

    def summary_line(self) -> str:
        """The same figures in one sentence, as seeds/004 and 003 put them («проведена антикоррупционная
        экспертиза 73 проектов …», «… 201 проекта НПА»)."""
        n = len(self.drafts)
        if not n:
            return f"{self.period_in} ведомственная антикоррупционная экспертиза проектов НПА не проводилась."
        noun = "проекта нормативного правового акта" if n % 10 == 1 and n % 100 != 11 else \
            "проектов нормативных правовых актов"
        k = len(self.with_factors)
        tail = ("положений, содержащих коррупциогенные факторы, не выявлено" if not k else
                f"коррупциогенные факторы выявлены в {k} {plural(k, ('проекте', 'проектах', 'проектах'))}")
        return f"{self.period_in} проведена ведомственная антикоррупционная экспертиза {n} {noun} ({tail})."

    def drafts_intro(self) -> str:
        if not self.drafts:
            return (f"{self.period_in} проекты нормативных правовых актов (далее – НПА) на ведомственную "
                    "антикоррупционную экспертизу не поступали.")
        return (f"{self.period_in} ведомственную антикоррупционную экспертизу прошли следующие проекты "
                "нормативных правовых актов (далее – НПА):")

    def draft_lines(self) -> list[str]:
        items = [d.description for d in self.drafts]
        return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]

    def windows_intro(self) -> str:
        if not self.windows:
            return "Проекты НПА для проведения независимой антикоррупционной экспертизы в отчетном периоде не размещались."
        return ("Проекты НПА размещены для проведения независимой антикоррупционной экспертизы с опубликованием "
                "следующих данных: дата начала экспертизы, дата окончания экспертизы, контактные данные сотрудника, "
                "ответственного за прием заключений независимых экспертов:")

    def window_lines(self) -> list[str]:
        lines = []
        for i, entry in enumerate(self.windows):
            w = entry.window
            text = (f"- {describe(entry.title, entry.act_kind, entry.body)}: дата начала экспертизы – "
                    f"{fmt_date(w.published_from)}, дата окончания экспертизы – {fmt_date(w.published_to)}")
            if w.contact:
                text += f", контактные данные – {w.contact}"
            if w.conclusions:
                text += f", поступило заключений – {w.conclusions}"
            lines.append(text + ("." if i == len(self.windows) - 1 else ";"))
        return lines

    def conclusions_line(self) -> str:
        n = self.conclusions
        lead = "По проектам НПА, размещенным для проведения независимой экспертизы,"
        if not n:
            return f"{lead} {NO_CONCLUSIONS}."
        noun = plural(n, ("заключение", "заключения", "заключений"))
        return f"{lead} поступило {n} {noun} независимых экспертов."

    @property
    def title(self) -> str:
        return f"Антикоррупционная экспертиза проектов нормативных правовых актов {self.period_title}"


def build_report(*, db: str | None, date_from: dt.date, date_to: dt.date, body: str | None = None) -> AnnualReport:
    from expertise.engine.catalogue import load_catalogue

    rows = list_reviews(db=db, date_from=date_from, date_to=date_to, body=body)
    drafts: dict[int, DraftEntry] = {}
    independent = 0
    for row in rows:  # oldest first
        if row.kind != "ведомственная":
            independent += 1
            continue
        entry = drafts.setdefault(row.draft_id, DraftEntry(row.draft_id, row.title, row.act_kind, row.body))
        entry.reviews.append(row)
    entries = sorted(drafts.values(), key=lambda d: (d.reviews[0].review_date, d.reviews[0].id))

    catalogue = load_catalogue().factors
    totals: dict[str, int] = {}
    spread: dict[str, int] = {}
    for entry in entries:
        for factor, n in entry.factor_counts.items():
            totals[factor] = totals.get(factor, 0) + n
            spread[factor] = spread.get(factor, 0) + (1 if n else 0)
    order = list(METHODIKA_ORDER) + sorted(set(totals) - set(METHODIKA_ORDER))
    factors = []
    for factor in order:
        known = catalogue.get(factor)
        factors.append(FactorLine(factor=factor, short=SHORT.get(factor, factor),
                                  name=known.name if known else factor, item=known.item if known else "",
                                  count=totals.get(factor, 0), drafts=spread.get(factor, 0)))
    windows = list_windows(db=db, date_from=date_from, date_to=date_to, body=body)
    return AnnualReport(date_from, date_to, body, entries, factors, windows, independent)


# --- renderers -----------------------------------------------------------------------------------------


def render_text(report: AnnualReport) -> str:
    lines = [report.title]
    if report.body:
        lines.append(f"Разработчик: {report.body}")
    lines += ["", report.drafts_intro()]
    if report.drafts:
        lines += [""] + report.draft_lines()
    lines += [""] + report.clause_lines() + ["", report.summary_line()]
    lines += ["", report.windows_intro()]
    if report.windows:
        lines += report.window_lines()
    lines += ["", report.conclusions_line()]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: AnnualReport) -> str:
    lines = [f"# {report.title}", ""]
    if report.body:
        lines += [f"Разработчик: {report.body}", ""]
    lines += ["## Ведомственная антикоррупционная экспертиза", "", report.drafts_intro(), ""]
    if report.drafts:
        lines += report.draft_lines() + [""]
    lines += report.clause_lines() + ["", report.summary_line(), ""]
    lines += ["## Выявленные коррупциогенные факторы по типам", "",
              "| Тип | Коррупциогенный фактор | Выявлено | Проектов НПА |", "|---|---|---:|---:|"]
    for f in report.factors:
        lines.append(f"| {f.short} | {_md_escape(f.label)} | {f.count} | {f.drafts} |")
    lines += ["", "## Независимая антикоррупционная экспертиза", "", report.windows_intro(), ""]
    if report.windows:
        lines += report.window_lines() + [""]
    lines.append(report.conclusions_line())
    return "\n".join(lines) + "\n"


def csv_rows(report: AnnualReport) -> list[list[str | int]]:
    rows: list[list[str | int]] = [["раздел", "позиция", "значение"],
                                   ["период", report.period_title, f"{fmt_date(report.date_from)}–{fmt_date(report.date_to)}"]]
    if report.body:
        rows.append(["разработчик", report.body, ""])
    rows += [
        ["итоги", CLAUSE_REVIEWED, len(report.drafts)],
        ["итоги", CLAUSE_FACTORS, len(report.with_factors)],
        ["итоги", CLAUSE_CHANGED, len(report.changed)],
        ["итоги", "количество выявленных коррупциогенных факторов", report.factors_total],
        ["итоги", "заключений независимых экспертов поступило", report.conclusions],
    ]
    for f in report.factors:
        rows.append(["факторы", f"{f.short} {f.label}", f.count])
    for d in report.drafts:
        counts = ", ".join(f"{SHORT.get(k, k)} – {n}" for k, n in _ordered(d.factor_counts))
        rows.append(["проекты", d.description, counts or "не выявлены"])
    for d in report.changed:
        review = d.changed_review
        rows.append(["изменения", d.description, fmt_date(review.outcome_date) if review else ""])
    for w in report.windows:
        rows.append(["независимая экспертиза", describe(w.title, w.act_kind, w.body),
                     f"{fmt_date(w.window.published_from)}–{fmt_date(w.window.published_to)}"
                     f"{'; ' + w.window.contact if w.window.contact else ''}; заключений: {w.window.conclusions}"])
    return rows


def _ordered(counts: dict[str, int]) -> list[tuple[str, int]]:
    rank = {f: i for i, f in enumerate(METHODIKA_ORDER)}
    return sorted(((k, n) for k, n in counts.items() if n), key=lambda kv: (rank.get(kv[0], 99), kv[0]))


def render_csv(report: AnnualReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows(csv_rows(report))
    return out.getvalue()


def chart_png(report: AnnualReport) -> bytes:
    """Bar chart of the factors found by type (Методика order), PNG; matplotlib without pyplot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    factors = [f for f in report.factors if f.factor in METHODIKA_ORDER or f.count]
    figure = Figure(figsize=(8, 3.6), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    bars = axes.bar([f.short for f in factors], [f.count for f in factors], color="#3b6ea5")
    axes.bar_label(bars, labels=[str(f.count) if f.count else "" for f in factors], fontsize=8)
    axes.set_title(f"Выявленные коррупциогенные факторы по типам {report.period_title}", fontsize=10)
    axes.set_xlabel("Тип фактора (подпункт пункта 3 или 4 Методики)", fontsize=8)
    axes.set_ylabel("Выявлено", fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([f.count for f in factors] + [1]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def write_docx(report: AnnualReport, path: str | Path) -> None:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    doc.add_heading(report.title, level=1)
    if report.body:
        doc.add_paragraph(f"Разработчик: {report.body}")
    doc.add_paragraph(report.drafts_intro())
    for line in report.draft_lines():
        doc.add_paragraph(line)
    for line in report.clause_lines():
        doc.add_paragraph(line)
    doc.add_paragraph(report.summary_line())
    doc.add_heading("Выявленные коррупциогенные факторы по типам", level=2)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Тип", "Коррупциогенный фактор", "Выявлено", "Проектов НПА")):
        cell.text = text
    for f in report.factors:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = f.short, f.label, str(f.count), str(f.drafts)
    table.autofit = False
    widths = (Cm(1.5), Cm(10.5), Cm(2.2), Cm(2.8))
    for column, width in zip(table.columns, widths):  # the grid (LibreOffice) and every cell (Word)
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    doc.add_paragraph()
    doc.add_picture(io.BytesIO(chart_png(report)), width=Cm(16))
    doc.add_heading("Независимая антикоррупционная экспертиза", level=2)
    doc.add_paragraph(report.windows_intro())
    for line in report.window_lines():
        doc.add_paragraph(line)
    doc.add_paragraph(report.conclusions_line())
    doc.save(str(path))


def write_xlsx(report: AnnualReport, path: str | Path) -> None:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    summary.title = "Итоги"
    summary.append([report.title])
    summary["A1"].font = Font(bold=True)
    if report.body:
        summary.append([f"Разработчик: {report.body}"])
    summary.append([])
    summary.append(["Показатель", "Значение"])
    for row in csv_rows(report)[1:]:
        if row[0] == "итоги":
            summary.append([row[1], row[2]])
    summary.append([])
    for line in [report.drafts_intro(), *report.draft_lines(), "", *report.clause_lines(), "",
                 report.summary_line(), "", report.windows_intro(), *report.window_lines(), "", report.conclusions_line()]:
        summary.append([line])
    summary.column_dimensions["A"].width = 90
    summary.column_dimensions["B"].width = 12

    factors = book.create_sheet("Факторы")
    factors.append(["Тип", "Коррупциогенный фактор", "Выявлено", "Проектов НПА"])
    for f in report.factors:
        factors.append([f.short, f.label, f.count, f.drafts])
    factors.column_dimensions["B"].width = 70
    image = Image(io.BytesIO(chart_png(report)))
    image.width, image.height = 720, 324
    factors.add_image(image, "F2")

    drafts = book.create_sheet("Проекты")
    drafts.append(["№ записи", "Проект НПА", "Дата экспертизы", "Номер заключения", "Факторы выявлены",
                   "Факторы по типам", "Изменения внесены"])
    for d in report.drafts:
        r = d.latest
        drafts.append([r.id, d.description, r.review_date, r.number or "", "да" if d.factors_found else "нет",
                       ", ".join(f"{SHORT.get(k, k)} – {n}" for k, n in _ordered(d.factor_counts)),
                       "да" if d.changed_review else ("нет" if r.changed is False else "")])
    drafts.column_dimensions["B"].width = 80
    for cell in drafts["C"][1:]:
        cell.number_format = "DD.MM.YYYY"
    for cell in drafts["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    windows = book.create_sheet("Независимая экспертиза")
    windows.append(["Проект НПА", "Дата начала экспертизы", "Дата окончания экспертизы", "Контактные данные",
                    "Заключений поступило"])
    for w in report.windows:
        windows.append([describe(w.title, w.act_kind, w.body), w.window.published_from, w.window.published_to,
                        w.window.contact or "", w.window.conclusions])
    windows.column_dimensions["A"].width = 80
    book.save(str(path))


def render(report: AnnualReport, fmt: str, output: str | None) -> str | None:
    """Write the report in ``fmt`` to ``output`` (a path), or return the text for standard output."""
    if fmt not in FORMATS:
        raise InputError(f"Формат отчета «{fmt}» неизвестен: допустимы {', '.join(FORMATS)}.")
    if fmt in BINARY_FORMATS:
        if not output or output == "-":
            raise InputError(f"Для формата {fmt} укажите файл отчета: -o ОТЧЕТ.{fmt}")
        try:
            (write_docx if fmt == "docx" else write_xlsx)(report, output)
        except OSError as error:
            raise InputError(f"Не удалось записать отчет «{output}» ({error.strerror or error}).") from None
        return None
    text = {"text": render_text, "md": render_markdown, "csv": render_csv}[fmt](report)
    if output and output != "-":
        try:
            Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        except OSError as error:
            raise InputError(f"Не удалось записать отчет «{output}» ({error.strerror or error}).") from None
        return None
    return text
