"""The PDF preview: pages shown, printing to a QPrinter, saving, the system viewer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton, QWidget
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from maison_app.domain.errors import MaisonError
from maison_app.ui import messages
from maison_app.ui import pdf_preview as module
from maison_app.ui.pdf_preview import PdfPreviewDialog, open_in_system_viewer, print_pdf


def make_pdf(portrait_pages: int = 2, landscape_pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(portrait_pages):
        c.setFont("Helvetica", 24)
        c.drawString(72, 760, f"Convention - page {n + 1}")
        c.rect(36, 36, A4[0] - 72, A4[1] - 72)
        c.showPage()
    for n in range(landscape_pages):
        c.setPageSize(landscape(A4))
        c.setFont("Helvetica", 24)
        c.drawString(72, 500, f"Feuille d'emargement {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def find(parent: QWidget, kind: type, name: str):
    matches = [w for w in parent.findChildren(kind) if w.accessibleName() == name]
    assert len(matches) == 1, f"{kind.__name__} « {name} » : {len(matches)} trouvé(s)"
    return matches[0]


@pytest.fixture
def popups(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title=None: seen.append(text))
    return seen


@pytest.fixture
def dialog(qtbot):
    d = PdfPreviewDialog(make_pdf(), title="Convention d'hébergement n° 2026-001",
                         suggested_filename="Convention 2026/001")
    qtbot.addWidget(d)
    return d


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_preview_shows_every_page(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.page_count == 3
    assert dialog.page_info.text() == "3 pages"
    view = find(dialog, QPdfView, "Aperçu du document")
    assert view.document() is dialog.document
    assert view.pageMode() == QPdfView.PageMode.MultiPage
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert dialog.windowTitle() == "Convention d'hébergement n° 2026-001"
    for name in ("Imprimer", "Enregistrer sous", "Ouvrir dans le lecteur PDF", "Fermer"):
        assert find(dialog, QPushButton, name).isEnabled()
    assert dialog.suggested_filename == "Convention 2026_001.pdf"


def test_print_pdf_writes_every_page_in_its_orientation(qtbot, dialog, tmp_path):
    out = tmp_path / "imprime.pdf"
    printer = pdf_printer(out)
    printer.setFullPage(True)
    assert print_pdf(dialog.document, printer) == 3
    assert out.read_bytes().startswith(b"%PDF")
    pages = PdfReader(out).pages
    assert len(pages) == 3
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages]
    assert sizes[0][0] < sizes[0][1] and sizes[1][0] < sizes[1][1]  # portrait
    assert sizes[2][0] > sizes[2][1]  # the landscape page stays landscape


def test_print_pdf_honours_the_page_range(qtbot, dialog, tmp_path):
    out = tmp_path / "extrait.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_pdf(dialog.document, printer) == 2
    assert len(PdfReader(out).pages) == 2


def test_print_button_prints_on_the_chosen_printer(qtbot, dialog, monkeypatch, tmp_path):
    out = tmp_path / "bouton.pdf"

    def choose(parent, printer, page_count):
        assert page_count == 3
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(module, "_ask_printer", choose)
    qtbot.mouseClick(find(dialog, QPushButton, "Imprimer"), Qt.MouseButton.LeftButton)
    assert len(PdfReader(out).pages) == 3


def test_cancelled_print_dialog_prints_nothing(qtbot, dialog, monkeypatch):
    monkeypatch.setattr(module, "_ask_printer", lambda parent, printer, n: False)
    assert dialog.print_document() == 0


def test_save_as_writes_the_bytes_and_adds_the_extension(qtbot, dialog, monkeypatch, tmp_path):
    asked: list[Path] = []

    def ask(parent, suggested):
        asked.append(suggested)
        return str(tmp_path / "ma convention")

    monkeypatch.setattr(module, "_ask_save_path", ask)
    qtbot.mouseClick(find(dialog, QPushButton, "Enregistrer sous"), Qt.MouseButton.LeftButton)
    saved = tmp_path / "ma convention.pdf"
    assert saved.read_bytes() == dialog.pdf_bytes
    assert dialog.saved_path == saved
    assert asked[0].name == "Convention 2026_001.pdf"


def test_save_failure_is_explained(qtbot, dialog, monkeypatch, tmp_path, popups):
    monkeypatch.setattr(module, "_ask_save_path",
                        lambda parent, suggested: str(tmp_path / "absent" / "x.pdf"))
    assert dialog.save_as() is None
    assert len(popups) == 1 and "n'a pas pu être enregistré" in popups[0]


def test_open_in_system_viewer_writes_a_temp_file_and_opens_it(monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    data = make_pdf(1, 0)
    path = open_in_system_viewer(data, "Reçu n° 12: cotisation")
    assert path.read_bytes() == data
    assert path.name == "Reçu n° 12_ cotisation.pdf"
    assert [u.toLocalFile() for u in opened] == [str(path)]
    # A second opening does not overwrite a file a reader may hold open.
    assert open_in_system_viewer(data, "Reçu n° 12: cotisation") != path


def test_no_pdf_reader_says_where_the_file_is(qtbot, dialog, monkeypatch, popups):
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    with pytest.raises(MaisonError) as caught:
        open_in_system_viewer(b"%PDF-1.4", "x")
    assert "Aucun lecteur PDF" in caught.value.message
    qtbot.mouseClick(find(dialog, QPushButton, "Ouvrir dans le lecteur PDF"),
                     Qt.MouseButton.LeftButton)
    assert len(popups) == 1 and "Le document est enregistré ici" in popups[0]


def test_unreadable_pdf_is_said_and_cannot_be_printed(qtbot):
    d = PdfPreviewDialog(b"ceci n'est pas un PDF", title="Cassé", suggested_filename="x")
    qtbot.addWidget(d)
    assert d.page_info.text() == "Ce document ne peut pas être affiché."
    assert not find(d, QPushButton, "Imprimer").isEnabled()
    assert find(d, QPushButton, "Enregistrer sous").isEnabled()
