"""`expertise procedures`: the 3ж checklist per procedure, for a регламент and for a порядок."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ORDER = """АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА БЕРЕЗОВЫЙ
ПОСТАНОВЛЕНИЕ
Об утверждении Порядка предоставления единовременной выплаты
1. Утвердить Порядок предоставления единовременной выплаты согласно приложению.
2. Настоящее постановление вступает в силу со дня его официального опубликования.
Приложение
к постановлению администрации
Порядок предоставления единовременной выплаты
1.1. Выплата предоставляется гражданам, проживающим на территории городского округа.
1.2. Заявление регистрируется отделом социальной защиты в день его поступления.
1.3. Отдел социальной защиты в течение 10 рабочих дней со дня регистрации заявления рассматривает его и принимает решение о предоставлении выплаты или об отказе в ее предоставлении.
1.4. Уведомление об отказе в предоставлении выплаты направляется заявителю.
1.5. Заявитель вправе отозвать заявление до принятия решения.
1.6. Решение может быть обжаловано в судебном порядке.
"""


def procedures(cmd, path):
    out = subprocess.run([cmd, "procedures", "--format", "json", str(path)], capture_output=True, check=True)
    return json.loads(out.stdout)


def test_regulation_rows_come_from_its_procedures_section(expertise_cmd):
    result = procedures(expertise_cmd, ROOT / "corpus" / "drafts" / "reglament_zemlya_arenda.txt")
    assert result["source"] == "раздел административных процедур"
    rows = {row["unit"]: row for row in result["procedures"]}
    assert len(rows) >= 4
    assert all(row["ответственный"] for row in rows.values())
    # the regulation's intake is timed; its notice of the result goes to the applicant
    assert any(row["срок"] for row in rows.values())
    assert any(row["уведомление заявителя"] for row in rows.values())


def test_order_without_procedures_section_is_checked_step_by_step(expertise_cmd, tmp_path):
    draft = tmp_path / "poryadok.txt"
    draft.write_text(ORDER, encoding="utf-8")
    result = procedures(expertise_cmd, draft)
    assert result["source"] == "пункты, где орган действует"
    rows = {row["unit"]: row for row in result["procedures"]}
    # steps: registration (same day), examination and decision (10 days), the notice of refusal
    assert set(rows) == {"пункт 1.2 приложения", "пункт 1.3 приложения", "пункт 1.4 приложения"}
    assert rows["пункт 1.2 приложения"]["срок"] and rows["пункт 1.2 приложения"]["ответственный"]
    assert rows["пункт 1.3 приложения"]["срок"] and rows["пункт 1.3 приложения"]["ответственный"]
    # the notice of refusal: no term, nobody named to send it
    assert not rows["пункт 1.4 приложения"]["срок"]
    assert not rows["пункт 1.4 приложения"]["ответственный"]
    assert rows["пункт 1.4 приложения"]["уведомление заявителя"]
    # the act names an appeal route
    assert result["act"]["порядок обжалования решений и действий (бездействия)"]


import pytest


@pytest.mark.parametrize("text, decides", [
    ("Уполномоченный орган отказывает заявителю в предоставлении субсидии.", True),
    ("Решение об отказе в выдаче разрешения направляется заявителю.", True),
    # the applicant's own refusal is not a decision of the body
    ("Подарок реализуется после письменного отказа заявителя от его выкупа.", False),
])
def test_an_act_decides_on_applicants_when_the_body_refuses_them(text, decides):
    from expertise.factors.checks.procedures import _DECISION

    assert bool(_DECISION.search(text)) is decides
