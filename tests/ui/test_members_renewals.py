"""The renewals dialog: who to remind for a year, what they owe, the CSV for a mail merge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSpinBox, QTableView

from maison_app.domain.enums import MemberKind, PaymentMethod
from maison_app.domain.members import OrganisationDetail, PersonDetail
from maison_app.services.registry import Services
from tests.ui.conftest import find

YEAR = 2026


@pytest.fixture
def house(services):
    m, ms = services.members, services.memberships
    colleges = {c.name: c.id for c in ms.colleges()}
    ent, ben = colleges["Entreprises adhérentes"], colleges["Bénévoles"]
    for year in (YEAR - 1, YEAR):
        ms.save_fee(college_id=ent, year=year, fee_cents=6000)
        ms.save_fee(college_id=ben, year=year, fee_cents=1000)
    helene = m.save_person(PersonDetail(first_name="Hélène", last_name="Lefèvre",
                                        email="h.lefevre@elan.fr", phone="0549123456"))
    noel = m.save_person(PersonDetail(first_name="Noël", last_name="Martin",
                                      email="noel@exemple.fr"))
    zoe = m.save_person(PersonDetail(first_name="Zoé", last_name="Abadie"))
    paid = m.save_person(PersonDetail(first_name="Paul", last_name="Payé"))
    elan = m.save_organisation(OrganisationDetail(name="Élan Coopératif Niortais",
                                                  email="contact@elan.fr"))

    def membership(kind, member, year, college, paid_cents=0):
        mid = ms.create_membership(kind=kind, member_id=member, year=year, college_id=college)
        if paid_cents:
            ms.record_payment(membership_id=mid, amount_cents=paid_cents,
                              paid_on=dt.date(year, 3, 1), method=PaymentMethod.VIREMENT)

    membership(MemberKind.PERSON, helene, YEAR, ent, 2500)  # partly paid
    membership(MemberKind.PERSON, noel, YEAR, ben)  # nothing paid
    membership(MemberKind.PERSON, zoe, YEAR - 1, ben, 1000)  # has not renewed
    membership(MemberKind.PERSON, paid, YEAR, ben, 1000)  # up to date: not listed
    membership(MemberKind.ORGANISATION, elan, YEAR - 1, ent, 6000)
    return {"helene": helene, "noel": noel, "zoe": zoe, "elan": elan}


def open_dialog(qtbot, services, year=None):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.members.renewals_dialog import RenewalsDialog

    tasks = TaskRunner()
    dialog = RenewalsDialog(services, tasks, year=year)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: tasks.idle)
    return dialog


@pytest.fixture
def dialog(qtbot, services, house):
    d = open_dialog(qtbot, services)
    yield d
    d.tasks.wait()


def table_rows(dialog) -> list[list[str]]:
    view = find(dialog, "Adhérents à relancer", QTableView)
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def euros(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_who_to_remind_and_what_they_owe(dialog):
    assert find(dialog, "Année", QSpinBox).value() == YEAR
    rows = [[euros(cell) for cell in row] for row in table_rows(dialog)]
    assert rows == [
        ["Élan Coopératif Niortais", "contact@elan.fr", "", "Entreprises adhérentes",
         "Non renouvelé", "60,00 €", "0,00 €", "60,00 €"],
        ["Hélène Lefèvre", "h.lefevre@elan.fr", "05 49 12 34 56", "Entreprises adhérentes",
         "Partiellement payé", "60,00 €", "25,00 €", "35,00 €"],
        ["Noël Martin", "noel@exemple.fr", "", "Bénévoles", "À relancer", "10,00 €", "0,00 €",
         "10,00 €"],
        ["Zoé Abadie", "", "", "Bénévoles", "Non renouvelé", "10,00 €", "0,00 €", "10,00 €"],
    ]
    summary = euros(find(dialog, "Résumé des relances", QLabel).text())
    assert summary == "4 adhérents à relancer pour 2026 · 115,00 € restant dus"


def test_another_year(qtbot, dialog):
    find(dialog, "Année", QSpinBox).setValue(YEAR - 1)
    qtbot.waitUntil(lambda: dialog.tasks.idle and not dialog._year_timer.isActive()
                    and len(table_rows(dialog)) == 0)
    assert find(dialog, "Résumé des relances", QLabel).text() == (
        "Personne à relancer pour 2025 : toutes les cotisations sont réglées.")
    assert not find(dialog, "Exporter pour publipostage", QPushButton).isEnabled()


def test_copy_the_email_addresses(dialog):
    find(dialog, "Copier les adresses e-mail", QPushButton).click()
    assert QApplication.clipboard().text() == \
        "contact@elan.fr; h.lefevre@elan.fr; noel@exemple.fr"
    assert find(dialog, "Message", QLabel).text().startswith("3 adresses e-mail copiées")


class FakeMemberIO:
    def __init__(self) -> None:
        self.calls = []

    def export_renewals(self, *, year, path):
        self.calls.append((year, Path(path)))
        Path(path).write_text("nom\n", encoding="utf-8")
        return 4


def test_export_for_a_mail_merge_asks_where_then_calls_the_service(qtbot, dialog, tmp_path,
                                                                   monkeypatch):
    from maison_app.views.members import renewals_dialog

    fake = FakeMemberIO()
    object.__setattr__(dialog.services, "member_io", fake)  # the frozen registry, for this test
    target = tmp_path / "relances.csv"
    asked = []
    monkeypatch.setattr(renewals_dialog, "_ask_csv_path",
                        lambda parent, suggested: asked.append(suggested) or str(target))
    find(dialog, "Exporter pour publipostage", QPushButton).click()
    qtbot.waitUntil(lambda: dialog.tasks.idle and bool(fake.calls))
    assert fake.calls == [(YEAR, target)]
    assert asked[0].name == f"relances-cotisations-{YEAR}.csv"
    qtbot.waitUntil(lambda: bool(find(dialog, "Message", QLabel).text()))
    assert find(dialog, "Message", QLabel).text() == f"4 lignes exportées dans {target}."


@pytest.mark.skipif("member_io" not in Services.__dataclass_fields__,
                    reason="services.member_io n'existe pas encore (import/export, autre lot)")
def test_export_for_a_mail_merge_writes_the_csv(qtbot, dialog, tmp_path, monkeypatch):
    from maison_app.views.members import renewals_dialog

    target = tmp_path / "relances.csv"
    monkeypatch.setattr(renewals_dialog, "_ask_csv_path", lambda *a: str(target))
    find(dialog, "Exporter pour publipostage", QPushButton).click()
    qtbot.waitUntil(lambda: dialog.tasks.idle and target.exists())
    qtbot.waitUntil(lambda: dialog.tasks.idle)
    text = target.read_bytes().decode("utf-8-sig")
    for name in ("Hélène Lefèvre", "Noël Martin", "Zoé Abadie", "Élan Coopératif Niortais"):
        assert name in text
    assert "Paul" not in text  # Paul Payé is up to date


def test_the_screen_opens_it_on_its_year(qtbot, services, house, monkeypatch):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.members import MembersScreen
    from maison_app.views.members.renewals_dialog import RenewalsDialog

    shown = []

    def exec_(self):
        qtbot.waitUntil(lambda: self.tasks.idle)
        shown.append((self.year.value(), len(self.rows())))
        return 0

    monkeypatch.setattr(RenewalsDialog, "exec", exec_)
    tasks = TaskRunner()
    screen = MembersScreen(services, tasks)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: tasks.idle and screen.model.ever_loaded)
    find(screen, "Année", QSpinBox).setValue(YEAR - 1)
    find(screen, "Relances", QPushButton).click()
    assert shown == [(YEAR - 1, 0)]
    tasks.wait()
