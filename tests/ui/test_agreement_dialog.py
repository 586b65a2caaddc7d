"""The agreement dialog of the Hébergement screen, as the incubator manager and the
administration use it: a draft typed in (the fee « 450,00 » and its TTC line, a desk added),
saved under its number, signed, printed (the archived PDF, the same bytes every time); an
incomplete draft whose signature is refused next to the missing field; a desk granted twice
refused, naming the other agreement; a refused value named under its field with what was
typed kept and nothing written; an attestation; a termination with its reason; an amendment
opened prefilled; Escape asking before dropping what was typed; the accueil reading only."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPushButton

from maison_app.domain.enums import (
    AffiliationRole,
    AgreementStatus,
    HostingService,
    Role,
    SpaceKind,
)
from maison_app.domain.hosting import GrantedSpace, ProjectRecord
from maison_app.domain.spaces import SpaceRecord
from maison_app.services.context import Actor
from maison_app.ui.pdf_preview import PdfPreviewDialog
from maison_app.ui.tasks import TaskRunner
from maison_app.views.hosting import agreement_dialog as dialog_view
from maison_app.views.hosting.agreement_dialog import AgreementDialog
from tests.ui.conftest import find, press, type_text

D = dt.date  # the clock says Thursday 26 November 2026
HOST = "Claire Dupuis, présidente"


def plain(text: str) -> str:
    """babel's narrow no-break spaces as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def desk(services):
    """The services as the incubator manager who logged in."""
    return services.for_actor(Actor(login="claire", role=Role.INCUBATION))


@pytest.fixture
def house(services):
    return build_house(services)


def build_house(services) -> dict[str, int]:
    """Two organisations (one with its director), an open space with two desks, an office of
    three, and a project of the pépinière carried by the first organisation."""
    people = services.people
    ids = {"Lumière": people.create_organisation(name="Coop'Lumière"),
           "Brûlerie": people.create_organisation(name="Brûlerie Équitable")}
    ids["Élise"] = people.create_person(first_name="Élise", last_name="Fournier",
                                        organisation_ids=(ids["Lumière"],),
                                        role=AffiliationRole.DIRIGEANT)
    spaces = services.spaces
    ids["Espace"] = spaces.save_space(SpaceRecord(id=None, kind=SpaceKind.OPEN_SPACE,
                                                  name="Espace partagé", capacity=8))
    for name in ("Poste A1", "Poste A2"):
        ids[name] = spaces.save_space(SpaceRecord(id=None, kind=SpaceKind.DESK, name=name,
                                                  parent_id=ids["Espace"]))
    ids["Bureau 104"] = spaces.save_space(SpaceRecord(id=None, kind=SpaceKind.OFFICE,
                                                      name="Bureau 104", floor=1, capacity=3))
    programmes = {p.name: p.id for p in services.projects.programmes()}
    ids["projet"] = services.projects.save_project(ProjectRecord(
        id=None, name="Lumière solidaire", programme_id=programmes["Pépinière"],
        entry_date=D(2026, 10, 1), organisation_id=ids["Lumière"]))
    return ids


def signed_agreement(services, organisation_id: int, *, spaces=(), start: dt.date | None = None,
                     end: dt.date | None = None, fee=45_000, services_=(),
                     signed_on: dt.date | None = None, representative="Élise Fournier") -> int:
    """An agreement signed through the service (by default: the year 2026, signed on
    15 December 2025)."""
    start, end = start or D(2026, 1, 1), end or D(2026, 12, 31)
    signed_on = signed_on or D(2025, 12, 15)
    draft = services.agreements.new_draft(organisation_id=organisation_id)
    draft = dataclasses.replace(
        draft, start=start, end=end, monthly_fee_cents=fee, deposit_cents=2 * fee,
        representative=representative, services=frozenset(services_),
        spaces=tuple(GrantedSpace(space_id=i) for i in spaces))
    agreement_id = services.agreements.save_draft(draft)
    services.agreements.sign(agreement_id=agreement_id, signed_on=signed_on,
                             host_signatory=HOST, occupant_signatory="")
    return agreement_id


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def previews(monkeypatch) -> list[bytes]:
    """The PDFs shown in the preview (not opened on screen)."""
    shown: list[bytes] = []
    monkeypatch.setattr(PdfPreviewDialog, "open", lambda self: shown.append(self.pdf_bytes))
    return shown


def open_dialog(qtbot, services, tasks, **kwargs) -> AgreementDialog:
    dialog = AgreementDialog(services, tasks, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: tasks.idle)
    return dialog


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    assert widget.isVisible(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def retype(widget: QLineEdit, text: str) -> None:
    widget.selectAll()
    widget.del_()
    type_text(widget, text)


def add_space(monkeypatch, qtbot, dialog, space_id: int) -> None:
    def pick(picker):
        picker.show()
        picker.select(space_id)
        click(qtbot, find(picker, "Ajouter", QPushButton))
        return picker.result()

    monkeypatch.setattr(dialog_view.SpacePicker, "exec", pick)
    click(qtbot, find(dialog, "Ajouter un bureau ou poste", QPushButton))


def sign_with(monkeypatch, qtbot, *, host: str | None = None, day: str | None = None,
              seen: list | None = None) -> None:
    """Answer the signature's dialog: its fields as proposed (or changed), then « Signer »."""
    def answer(sign):
        sign.show()
        if seen is not None:
            seen.append({name: find(sign, name, QLineEdit).text() for name in (
                "Date de signature", "Signataire pour la Maison",
                "Signataire pour l'occupant")})
        if host is not None:
            retype(find(sign, "Signataire pour la Maison", QLineEdit), host)
        if day is not None:
            retype(find(sign, "Date de signature", QLineEdit), day)
        click(qtbot, find(sign, "Signer la convention", QPushButton))
        if sign.isVisible():  # refused here: the test reads the message, then gives up
            if seen is not None:
                seen.append(sign.errors.message("signed_on") or sign.errors.message(
                    "host_signatory"))
            sign.reject()
        return sign.result()

    monkeypatch.setattr(dialog_view.SignDialog, "exec", answer)


def text_of(dialog, name: str) -> str:
    return plain(find(dialog, name, QLabel).text())


# --- from the draft to the printed agreement -----------------------------------------------------


def test_a_draft_typed_saved_signed_and_printed(qtbot, desk, house, tasks, previews,
                                                monkeypatch, no_modal):
    draft = desk.agreements.new_draft(project_id=house["projet"])
    dialog = open_dialog(qtbot, desk, tasks, draft=draft)
    assert dialog.windowTitle() == "Nouvelle convention d'hébergement"
    assert find(dialog, "Occupant", QLineEdit).text() == "Coop'Lumière"
    assert find(dialog, "Projet accompagné", QComboBox).currentText() == (
        "Lumière solidaire — Pépinière")
    assert find(dialog, "Représentant·e de l'occupant", QLineEdit).text() == "Élise Fournier"
    assert find(dialog, "Date de début", QLineEdit).text() == "01/12/2026"
    assert find(dialog, "Date de fin", QLineEdit).text() == "30/11/2027"
    assert text_of(dialog, "Durée de la convention") == "Durée : 12 mois"

    fee = find(dialog, "Redevance HT par mois", QLineEdit)
    retype(fee, "450,00")
    assert text_of(dialog, "Montant TTC") == "soit 90,00 € de TVA, 540,00 € TTC par mois"
    vat = find(dialog, "Taux de TVA", QComboBox)
    vat.setCurrentIndex(vat.findText("5,5 %"))
    assert text_of(dialog, "Montant TTC") == "soit 24,75 € de TVA, 474,75 € TTC par mois"
    vat.setCurrentIndex(vat.findText("20 %"))
    find(dialog, "Domiciliation du siège").setChecked(True)
    add_space(monkeypatch, qtbot, dialog, house["Poste A1"])
    spaces = find(dialog, "Bureaux et postes accordés", QListWidget)
    assert [spaces.item(i).text() for i in range(spaces.count())] == [
        "Poste A1 — Poste de travail, Rez-de-chaussée"]
    assert dialog.is_dirty()

    click(qtbot, find(dialog, "Enregistrer le brouillon", QPushButton))
    assert dialog.windowTitle() == "Convention CH-2026-0001"
    assert text_of(dialog, "Message de la convention") == (
        "Brouillon enregistré sous le numéro CH-2026-0001.")
    assert not dialog.is_dirty()
    saved = desk.agreements.agreement(agreement_id=dialog.saved_id)
    assert (saved.status, saved.monthly_fee_cents, saved.vat_bp, saved.project_name) == (
        AgreementStatus.DRAFT, 45_000, 2000, "Lumière solidaire")
    assert [g.space_name for g in saved.spaces] == ["Poste A1"]

    # the draft's preview is marked PROJET, and changes nothing
    click(qtbot, find(dialog, "Aperçu / Imprimer", QPushButton))
    qtbot.waitUntil(lambda: len(previews) == 1)
    assert previews[0].startswith(b"%PDF")

    seen: list = []
    sign_with(monkeypatch, qtbot, host=HOST, seen=seen)
    click(qtbot, find(dialog, "Signer", QPushButton))
    assert seen == [{"Date de signature": "26/11/2026", "Signataire pour la Maison": "",
                     "Signataire pour l'occupant": "Élise Fournier, dirigeant·e"}]
    assert not dialog.editing  # read-only now
    assert not any(e.isVisible() for e in dialog.findChildren(QLineEdit))
    assert text_of(dialog, "Message de la convention") == (
        "Convention CH-2026-0001 signée le 26 novembre 2026 : le PDF signé est archivé, les "
        "bureaux et postes sont attribués du 1 décembre 2026 au 30 novembre 2027.")
    assert text_of(dialog, "État de la convention") == "Signée, à venir"
    qtbot.waitUntil(lambda: tasks.idle and "SHA-256" in text_of(
        dialog, "Signature de la convention"))
    assert text_of(dialog, "Signature de la convention").startswith(
        "Signée le 26 novembre 2026 par Claire Dupuis, présidente (pour la Maison) et "
        "Élise Fournier, dirigeant·e (pour l'occupant) ; PDF archivé (SHA-256 ")
    held = desk.spaces.assignments(organisation_id=house["Lumière"])
    assert [(a.space_name, a.start, a.end) for a in held] == [
        ("Poste A1", D(2026, 12, 1), D(2027, 11, 30))]

    # printed twice: the archived PDF, the same bytes
    click(qtbot, find(dialog, "Imprimer la convention", QPushButton))
    qtbot.waitUntil(lambda: len(previews) == 2)
    click(qtbot, find(dialog, "Imprimer la convention", QPushButton))
    qtbot.waitUntil(lambda: len(previews) == 3)
    assert previews[1].startswith(b"%PDF") and previews[1] == previews[2]
    assert previews[1] != previews[0]  # the signed one, not the PROJET
    assert previews[1] == desk.agreements.pdf(agreement_id=dialog.saved_id)[1]
    assert dialog.written
    assert no_modal == []


def test_signing_an_incomplete_draft_names_what_is_missing(qtbot, desk, house, tasks,
                                                           monkeypatch, no_modal):
    opened = []
    monkeypatch.setattr(dialog_view.SignDialog, "exec", lambda d: opened.append(d) or 0)
    draft = desk.agreements.new_draft(organisation_id=house["Brûlerie"])  # no director
    dialog = open_dialog(qtbot, desk, tasks, draft=draft)
    representative = find(dialog, "Représentant·e de l'occupant", QLineEdit)
    assert representative.text() == ""
    retype(find(dialog, "Redevance HT par mois", QLineEdit), "300")
    click(qtbot, find(dialog, "Signer", QPushButton))
    # saved first (the number is taken), but not signed: the message is under the field
    assert dialog.windowTitle() == "Convention CH-2026-0001"
    assert dialog.errors.message("representative") == "Indiquez qui signe pour l'occupant."
    assert opened == []
    type_text(representative, "Noël Ménard")
    click(qtbot, find(dialog, "Signer", QPushButton))
    assert dialog.errors.message("representative") == ""
    assert dialog.errors.message("spaces") == (
        "Une convention met à disposition au moins un bureau ou un poste, ou domicilie la "
        "structure.")
    assert opened == []
    assert representative.text() == "Noël Ménard"  # what was typed stays
    assert find(dialog, "Redevance HT par mois", QLineEdit).text() == "300"
    record = desk.agreements.agreement(agreement_id=dialog.saved_id)
    assert record.status is AgreementStatus.DRAFT and record.representative == "Noël Ménard"


def test_a_signature_in_the_future_is_refused_in_its_own_dialog(qtbot, desk, house, tasks,
                                                                monkeypatch):
    draft = desk.agreements.new_draft(organisation_id=house["Lumière"])
    dialog = open_dialog(qtbot, desk, tasks, draft=draft)
    add_space(monkeypatch, qtbot, dialog, house["Bureau 104"])
    seen: list = []
    sign_with(monkeypatch, qtbot, host=HOST, day="30/11/2026", seen=seen)
    click(qtbot, find(dialog, "Signer", QPushButton))
    assert seen[-1] == "La date de signature ne peut pas être dans le futur."
    assert dialog.editing
    record = desk.agreements.agreement(agreement_id=dialog.saved_id)
    assert record.status is AgreementStatus.DRAFT
    assert desk.spaces.assignments(organisation_id=house["Lumière"]) == ()


def test_a_desk_granted_twice_is_refused_naming_the_other_agreement(qtbot, desk, house, tasks,
                                                                     monkeypatch, no_modal):
    signed_agreement(desk, house["Lumière"], spaces=(house["Poste A1"],),
                     start=D(2026, 12, 1), end=D(2027, 11, 30))
    draft = desk.agreements.new_draft(organisation_id=house["Brûlerie"])
    dialog = open_dialog(qtbot, desk, tasks, draft=draft)
    type_text(find(dialog, "Représentant·e de l'occupant", QLineEdit), "Noël Ménard")
    add_space(monkeypatch, qtbot, dialog, house["Poste A1"])
    sign_with(monkeypatch, qtbot, host=HOST)
    click(qtbot, find(dialog, "Signer", QPushButton))
    assert text_of(dialog, "Message de la convention") == (
        "« Poste A1 » est déjà accordé à Coop'Lumière par la convention CH-2026-0001 (du "
        "1 décembre 2026 au 30 novembre 2027).")
    assert dialog.editing
    assert desk.agreements.agreement(agreement_id=dialog.saved_id).status is (
        AgreementStatus.DRAFT)
    assert no_modal == []


def test_a_refused_value_is_named_under_its_field_and_nothing_is_written(qtbot, desk, house,
                                                                         tasks, no_modal):
    draft = desk.agreements.new_draft(organisation_id=house["Lumière"])
    dialog = open_dialog(qtbot, desk, tasks, draft=draft)
    fee = find(dialog, "Redevance HT par mois", QLineEdit)
    retype(fee, "quatre cents")
    message = "Montant illisible : écrivez par exemple 25 ou 12,50."
    assert dialog.errors.message("monthly_fee_cents") == message  # as it is typed
    assert text_of(dialog, "Montant TTC") == ""
    click(qtbot, find(dialog, "Enregistrer le brouillon", QPushButton))
    assert dialog.errors.message("monthly_fee_cents") == message
    assert fee.text() == "quatre cents"
    retype(fee, "450")
    end = find(dialog, "Date de fin", QLineEdit)
    retype(end, "15/11/2026")
    assert text_of(dialog, "Durée de la convention") == "La fin précède le début."
    press(end, Qt.Key.Key_Return)  # Enter saves
    assert dialog.errors.message("end") == "La date de fin doit suivre la date de début."
    assert dialog.errors.message("monthly_fee_cents") == ""
    assert end.text() == "15/11/2026"
    retype(end, "31/02/2027")
    press(end, Qt.Key.Key_Return)
    assert dialog.errors.message("end") == (
        "Cette date n'existe pas : vérifiez le jour et le mois.")
    assert desk.agreements.agreements() == ()
    assert dialog.windowTitle() == "Nouvelle convention d'hébergement"
    assert no_modal == []


def test_escape_asks_before_dropping_what_was_typed(qtbot, desk, house, tasks, no_modal):
    draft = desk.agreements.new_draft(organisation_id=house["Lumière"])
    dialog = open_dialog(qtbot, desk, tasks, draft=draft)
    press(dialog, Qt.Key.Key_Escape)  # nothing typed: it closes
    assert not dialog.isVisible()
    assert no_modal == []

    dialog = open_dialog(qtbot, desk, tasks, draft=draft)
    type_text(find(dialog, "Qualité du représentant", QLineEdit), " et gérante")
    no_modal.answers = [False]
    press(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert no_modal.texts("confirm") == [
        "Les modifications de la convention ne sont pas enregistrées. Les abandonner ?"]
    no_modal.answers = [True]
    press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert desk.agreements.agreements() == ()


def test_a_draft_is_deleted_after_a_confirmation(qtbot, desk, house, tasks, no_modal):
    draft = desk.agreements.new_draft(organisation_id=house["Lumière"])
    agreement_id = desk.agreements.save_draft(draft)
    dialog = open_dialog(qtbot, desk, tasks, agreement_id=agreement_id)
    no_modal.answers = [False]
    click(qtbot, find(dialog, "Supprimer le brouillon", QPushButton))
    assert len(desk.agreements.agreements()) == 1
    no_modal.answers = [True]
    click(qtbot, find(dialog, "Supprimer le brouillon", QPushButton))
    assert no_modal.texts("confirm")[-1] == (
        "Supprimer le brouillon CH-2026-0001 (Coop'Lumière) ?\n\nSon numéro ne sera pas "
        "réutilisé.")
    assert desk.agreements.agreements() == ()
    assert dialog.deleted and dialog.done_message == "Brouillon CH-2026-0001 supprimé."
    assert not dialog.isVisible()


# --- a signed agreement --------------------------------------------------------------------------


def test_a_signed_agreement_issues_its_attestation(qtbot, desk, house, tasks, previews,
                                                  no_modal):
    agreement_id = signed_agreement(desk, house["Lumière"], spaces=(house["Bureau 104"],))
    dialog = open_dialog(qtbot, desk, tasks, agreement_id=agreement_id)
    assert text_of(dialog, "État de la convention") == "En cours"
    assert text_of(dialog, "Redevance") == (
        "450,00 € HT par mois, soit 540,00 € TTC (TVA 20 % : 90,00 €)")
    assert text_of(dialog, "Bureaux et postes accordés") == (
        "Bureau 104 — Bureau, 1er étage, 1 place")
    domiciliation = find(dialog, "Attestation de domiciliation", QPushButton)
    assert not domiciliation.isEnabled()  # not in the agreement
    assert domiciliation.toolTip() == "Cette convention ne comprend pas la domiciliation."
    click(qtbot, find(dialog, "Attestation d'hébergement", QPushButton))
    qtbot.waitUntil(lambda: len(previews) == 1)
    assert previews[0].startswith(b"%PDF")
    assert text_of(dialog, "Message de la convention") == (
        "Attestation d'hébergement AH-2026-0001 délivrée et archivée.")


def test_a_termination_needs_a_reason_and_a_confirmation(qtbot, desk, house, tasks,
                                                         monkeypatch, no_modal):
    agreement_id = signed_agreement(desk, house["Lumière"], spaces=(house["Poste A1"],),
                                    end=D(2027, 6, 30))
    dialog = open_dialog(qtbot, desk, tasks, agreement_id=agreement_id)
    steps = []

    def answer(end):
        end.show()
        last_day = find(end, "Dernier jour", QLineEdit)
        steps.append(last_day.text())  # the notice of one month, proposed
        click(qtbot, find(end, "Confirmer la résiliation", QPushButton))
        steps.append(end.errors.message("reason"))
        retype(last_day, "31/12/2026")
        type_text(find(end, "Motif de la résiliation", QLineEdit),
                  "Installation dans ses propres locaux à Échiré")
        no_modal.answers = [False]
        click(qtbot, find(end, "Confirmer la résiliation", QPushButton))
        steps.append(end.isVisible())  # not confirmed: nothing written, still open
        no_modal.answers = [True]
        click(qtbot, find(end, "Confirmer la résiliation", QPushButton))
        return end.result()

    monkeypatch.setattr(dialog_view.TerminateDialog, "exec", answer)
    click(qtbot, find(dialog, "Résilier", QPushButton))
    assert steps == ["26/12/2026", "Indiquez le motif de la résiliation.", True]
    assert no_modal.texts("confirm")[-1] == (
        "Résilier la convention CH-2026-0001 de Coop'Lumière ?\n\nSon dernier jour sera le "
        "31 décembre 2026 ; ses bureaux et postes se libèrent le lendemain. Une résiliation "
        "ne s'annule pas.")
    record = desk.agreements.agreement(agreement_id=agreement_id)
    assert (record.status, record.terminated_on, record.termination_reason) == (
        AgreementStatus.TERMINATED, D(2026, 12, 31),
        "Installation dans ses propres locaux à Échiré")
    assert text_of(dialog, "Résiliation") == (
        "Résiliée : dernier jour le 31 décembre 2026. Motif : Installation dans ses propres "
        "locaux à Échiré")
    assert text_of(dialog, "Message de la convention") == (
        "Convention CH-2026-0001 résiliée : dernier jour le 31 décembre 2026.")
    assert not find(dialog, "Résilier", QPushButton).isEnabled()
    held = desk.spaces.assignments(organisation_id=house["Lumière"])
    assert [a.end for a in held] == [D(2026, 12, 31)]


def test_an_amendment_opens_prefilled(qtbot, desk, house, tasks, monkeypatch, no_modal):
    agreement_id = signed_agreement(desk, house["Lumière"], spaces=(house["Poste A1"],),
                                    services_=(HostingService.INTERNET,))
    dialog = open_dialog(qtbot, desk, tasks, agreement_id=agreement_id)
    seen = {}

    def amend(sub):
        sub.show()
        seen["title"] = sub.windowTitle()
        seen["state"] = (text_of(sub, "État de la convention"),
                         text_of(sub, "Occupant de la convention"))
        seen["follows"] = text_of(sub, "Convention précédente")
        seen["occupant"] = find(sub, "Occupant", QLineEdit).text()
        seen["may change occupant"] = find(sub, "Changer l'occupant", QPushButton).isEnabled()
        seen["fee"] = find(sub, "Redevance HT par mois", QLineEdit).text()
        seen["dates"] = (find(sub, "Date de début", QLineEdit).text(),
                         find(sub, "Date de fin", QLineEdit).text())
        seen["internet"] = find(sub, "Accès internet").isChecked()
        spaces = find(sub, "Bureaux et postes accordés", QListWidget)
        seen["spaces"] = [spaces.item(i).text() for i in range(spaces.count())]
        retype(find(sub, "Redevance HT par mois", QLineEdit), "480,00")
        click(qtbot, find(sub, "Enregistrer le brouillon", QPushButton))
        click(qtbot, find(sub, "Fermer la convention", QPushButton))
        return sub.result()

    monkeypatch.setattr(AgreementDialog, "exec", amend)
    click(qtbot, find(dialog, "Avenant", QPushButton))
    assert seen == {
        "title": "Nouvelle convention d'hébergement",
        "state": ("Brouillon", "occupant : Coop'Lumière · Avenant à CH-2026-0001"),
        "follows": "Avenant à CH-2026-0001", "occupant": "Coop'Lumière",
        "may change occupant": False, "fee": "450,00", "dates": ("01/12/2026", "31/12/2026"),
        "internet": True, "spaces": ["Poste A1 — Poste de travail, Rez-de-chaussée"]}
    amendment = desk.agreements.agreements()[0]
    assert (amendment.number, amendment.previous_number, amendment.monthly_fee_cents) == (
        "CH-2026-0002", "CH-2026-0001", 48_000)
    assert text_of(dialog, "Message de la convention") == (
        "Brouillon CH-2026-0002 préparé pour Coop'Lumière.")
    assert dialog.written and dialog.saved_id == amendment.id


def test_the_accueil_reads_only(qtbot, services, house, tasks, previews):
    accueil = services.for_actor(Actor(login="leo", role=Role.ACCUEIL))
    agreement_id = signed_agreement(services, house["Lumière"], spaces=(house["Poste A1"],),
                                    services_=(HostingService.DOMICILIATION,))
    dialog = open_dialog(qtbot, accueil, tasks, agreement_id=agreement_id)
    assert text_of(dialog, "Note de consultation").startswith("Consultation seule")
    for name in ("Attestation d'hébergement", "Attestation de domiciliation", "Avenant",
                 "Renouvellement", "Résilier"):
        assert not find(dialog, name, QPushButton).isVisible(), name
    click(qtbot, find(dialog, "Imprimer la convention", QPushButton))
    qtbot.waitUntil(lambda: len(previews) == 1)
    assert previews[0].startswith(b"%PDF")

    draft_id = services.agreements.save_draft(
        services.agreements.new_draft(organisation_id=house["Brûlerie"]))
    dialog = open_dialog(qtbot, accueil, tasks, agreement_id=draft_id)
    assert not dialog.editing
    assert text_of(dialog, "État de la convention") == "Brouillon"
    assert not any(e.isVisible() for e in dialog.findChildren(QLineEdit))
    assert find(dialog, "Imprimer la convention", QPushButton).isVisible()
