"""The duplicates dialog: groups of likely twins, the records side by side, and a merge
after a confirmation that says what moves."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTabBar, QTableView

from maison_app.domain.enums import MemberKind, PaymentMethod, Role, VisitPurpose
from maison_app.domain.members import OrganisationDetail, PersonDetail
from maison_app.services.context import Actor
from tests.ui.conftest import find

YEAR = 2026


@pytest.fixture
def twins(services):
    m, ms = services.members, services.memberships
    first = m.save_person(PersonDetail(first_name="Hélène", last_name="Lefèvre",
                                       email="h.lefevre@elan.fr"))
    second = m.save_person(PersonDetail(first_name="Helene", last_name="LEFEVRE",
                                        email="H.Lefevre@elan.fr", phone="0549123456"),
                           allow_duplicate=True)
    other = m.save_person(PersonDetail(first_name="Noël", last_name="Martin"))
    college = next(c.id for c in ms.colleges() if c.name == "Bénévoles")
    ms.save_fee(college_id=college, year=YEAR, fee_cents=1000)
    membership = ms.create_membership(kind=MemberKind.PERSON, member_id=second, year=YEAR,
                                      college_id=college)
    ms.record_payment(membership_id=membership, amount_cents=1000, paid_on=dt.date(2026, 2, 1),
                      method=PaymentMethod.ESPECES)
    services.reception.check_in(person_id=second, purpose=VisitPurpose.COWORKING)
    org_a = m.save_organisation(OrganisationDetail(name="Élan Coopératif Niortais",
                                                   siret="732 829 320 00074"))
    org_b = m.save_organisation(OrganisationDetail(name="ELAN (ancienne fiche)",
                                                   siret="73282932000074"),
                                allow_duplicate=True)
    return {"first": first, "second": second, "other": other, "org_a": org_a, "org_b": org_b}


def open_dialog(qtbot, services, kind=MemberKind.PERSON):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.members.duplicates_dialog import DuplicatesDialog

    tasks = TaskRunner()
    dialog = DuplicatesDialog(services, tasks, kind=kind)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: tasks.idle and dialog.records_model.rowCount() > 0
                    or tasks.idle and dialog.groups_model.rowCount() == 0)
    return dialog


@pytest.fixture
def dialog(qtbot, services, twins):
    d = open_dialog(qtbot, services)
    yield d
    d.tasks.wait()


def cells(view: QTableView, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_groups_of_people_and_organisations(qtbot, dialog, twins):
    groups = find(dialog, "Groupes de doublons", QTableView)
    assert cells(groups, 0) == ["Hélène Lefèvre"]
    assert cells(groups, 1) == ["2"]
    assert cells(groups, 2) == ["même nom et même e-mail (h.lefevre@elan.fr)"]
    assert find(dialog, "Nombre de groupes", QLabel).text() == "1 groupe de fiches en double"
    records = find(dialog, "Fiches du groupe", QTableView)
    assert cells(records, 0) == [str(twins["first"]), str(twins["second"])]
    assert cells(records, 3) == ["", "05 49 12 34 56"]  # what tells them apart
    keep = find(dialog, "Fiche à garder", QComboBox)
    remove = find(dialog, "Fiche à fusionner dans celle à garder", QComboBox)
    assert (keep.currentData(), remove.currentData()) == (twins["first"], twins["second"])
    keep.setCurrentIndex(1)  # the same record on both sides is not offered
    assert remove.currentData() == twins["first"]

    find(dialog, "Type de fiches", QTabBar).setCurrentIndex(1)
    qtbot.waitUntil(lambda: dialog.tasks.idle and dialog.records_model.rowCount() == 2
                    and dialog.kind is MemberKind.ORGANISATION)
    assert cells(groups, 2) == ["même SIRET (73282932000074)"]
    assert cells(records, 1) == ["Élan Coopératif Niortais", "ELAN (ancienne fiche)"]


def test_merge_shows_what_moves_then_merges(qtbot, dialog, twins, services, no_modal):
    merge = find(dialog, "Fusionner", QPushButton)
    assert merge.isEnabled()
    no_modal.answers.append(False)
    merge.click()
    (question,) = no_modal.texts("confirm")
    assert f"(n° {twins['second']}) sera fusionnée dans la fiche « Hélène Lefèvre »" in question
    assert "• Passages à l'accueil : 1" in question
    assert "• Adhésions : 1" in question
    assert "téléphone" in question
    assert len(services.members.duplicates(kind=MemberKind.PERSON)) == 1  # cancelled

    no_modal.answers.append(True)
    merge.click()
    qtbot.waitUntil(lambda: dialog.tasks.idle and dialog.groups_model.rowCount() == 0)
    assert dialog.merged == [(twins["first"], twins["second"])]
    assert services.members.duplicates(kind=MemberKind.PERSON) == ()
    kept = services.members.person(person_id=twins["first"])
    assert kept.phone == "05 49 12 34 56"
    (membership,) = services.memberships.memberships_of(kind=MemberKind.PERSON,
                                                        member_id=twins["first"])
    assert membership.paid_cents == 1000
    assert "fusionnée dans « Hélène Lefèvre »" in find(dialog, "Résultat de la fusion",
                                                        QLabel).text()
    assert find(dialog, "Nombre de groupes", QLabel).text() == \
        "Aucun doublon probable parmi les personnes."
    assert not merge.isEnabled()


def test_keeping_the_other_record(qtbot, dialog, twins, services, no_modal):
    dialog.choose(keep_id=twins["second"], remove_id=twins["first"])
    no_modal.answers.append(True)
    find(dialog, "Fusionner", QPushButton).click()
    qtbot.waitUntil(lambda: dialog.tasks.idle and dialog.groups_model.rowCount() == 0)
    assert dialog.merged == [(twins["second"], twins["first"])]
    assert services.members.person(person_id=twins["second"]).last_name == "LEFEVRE"


def test_reception_may_see_but_not_merge(qtbot, services, twins):
    accueil = services.for_actor(Actor(login="lina", role=Role.ACCUEIL))
    d = open_dialog(qtbot, accueil)
    try:
        assert d.groups_model.rowCount() == 1
        assert not find(d, "Fusionner", QPushButton).isVisible()
        assert find(d, "Fusion réservée", QLabel).isVisible()
    finally:
        d.tasks.wait()


def test_the_screen_opens_it_and_reloads_after_a_merge(qtbot, services, twins, monkeypatch,
                                                        no_modal):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.members import MembersScreen
    from maison_app.views.members.duplicates_dialog import DuplicatesDialog

    def exec_(self):  # what the person does in the dialog, without a modal loop
        qtbot.waitUntil(lambda: self.tasks.idle and self.records_model.rowCount() == 2)
        no_modal.answers.append(True)
        self.merge()
        qtbot.waitUntil(lambda: self.tasks.idle)
        return 0

    monkeypatch.setattr(DuplicatesDialog, "exec", exec_)
    tasks = TaskRunner()
    screen = MembersScreen(services, tasks)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: tasks.idle and screen.model.ever_loaded)
    assert screen.model.total == 3
    find(screen, "Doublons", QPushButton).click()
    assert screen.duplicates_dialog.kind is MemberKind.PERSON
    qtbot.waitUntil(lambda: tasks.idle and not screen.model.busy and screen.model.total == 2)
    assert find(screen, "Message", QLabel).text() == "1 fusion faite."
    tasks.wait()
