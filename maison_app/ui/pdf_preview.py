"""The PDF preview: every document the app makes is shown here before it is printed,
saved or opened in the computer's PDF reader.

`print_pdf` is kept apart from the dialog so that it can be tested with a QPrinter writing
a PDF file. Pages are rendered by QtPdf (pdfium) as images, at the printer's resolution
capped to `PRINT_MAX_DPI` (a page at 1200 dpi would need half a gigabyte of memory).
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.errors import MaisonError
from maison_app.i18n import _, ngettext
from maison_app.ui import messages

log = logging.getLogger(__name__)

PRINT_MAX_DPI = 300
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def safe_filename(name: str, default: str = "document.pdf") -> str:
    """A file name any system accepts, ending in .pdf."""
    cleaned = _UNSAFE.sub("_", name or "").strip(" .")
    if not cleaned:
        cleaned = default
    if not cleaned.lower().endswith(".pdf"):
        cleaned += ".pdf"
    return cleaned


# --- printing -------------------------------------------------------------------------------


def _orient_for(printer: QPrinter, page_points: QSizeF) -> None:
    landscape = page_points.width() > page_points.height()
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def _paint_area(printer: QPrinter) -> QRectF:
    """The paintable rectangle of the current page, in device pixels (after a change of
    orientation the painter's viewport still has the first page's shape)."""
    layout = printer.pageLayout()
    dpi = printer.resolution()
    rect = layout.fullRectPixels(dpi) if printer.fullPage() else layout.paintRectPixels(dpi)
    return QRectF(0, 0, rect.width(), rect.height())


def _page_range(document: QPdfDocument, printer: QPrinter) -> range:
    count = document.pageCount()
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
    return range(first - 1, last)


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Render the pages of `document` on `printer` (its page range and copies), each page
    scaled to fit the paper and turned to its own orientation. Returns the number of
    pages sent. Raises MaisonError if the printer cannot start."""
    pages = _page_range(document, printer)
    if not pages:
        return 0
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    _orient_for(printer, document.pagePointSize(pages[0]))
    painter = QPainter()
    if not painter.begin(printer):
        raise MaisonError(_("L'impression n'a pas pu démarrer : vérifiez l'imprimante choisie."))
    sent = 0
    try:
        dpi = printer.resolution()
        oversample = min(1.0, PRINT_MAX_DPI / dpi) if dpi > 0 else 1.0
        for _copy in range(copies):
            for index in pages:
                points = document.pagePointSize(index)
                if sent:
                    _orient_for(printer, points)
                    printer.newPage()
                area = _paint_area(printer)
                painter.setViewport(area.toRect())
                painter.setWindow(area.toRect())
                scale = min(area.width() / points.width(), area.height() / points.height())
                target = QRectF(0, 0, points.width() * scale, points.height() * scale)
                target.moveCenter(area.center())
                image_size = QSize(max(1, round(target.width() * oversample)),
                                   max(1, round(target.height() * oversample)))
                image = document.render(index, image_size)
                painter.drawImage(target, image)
                sent += 1
    finally:
        painter.end()
    return sent


def _ask_printer(parent: QWidget, printer: QPrinter, page_count: int) -> bool:
    """The system print dialog; True when the user confirms. Tests replace it."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Imprimer"))
    dialog.setMinMax(1, max(1, page_count))
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    return dialog.exec() == QDialog.DialogCode.Accepted


# --- saving and the system viewer -----------------------------------------------------------


def _ask_save_path(parent: QWidget, suggested: Path) -> str:
    """Where to save ("" if cancelled). Tests replace it."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Enregistrer le document"), str(suggested), _("Documents PDF (*.pdf)")
    )
    return path


def open_in_system_viewer(pdf_bytes: bytes, filename: str) -> Path:
    """Write the PDF to a new temporary folder and open it in the computer's PDF reader.
    Returns the file; raises MaisonError (saying where the file is) if nothing opened it.
    Each call uses its own folder: a reader may still hold the previous file open."""
    folder = Path(tempfile.mkdtemp(prefix="maison-pdf-"))
    path = folder / safe_filename(filename)
    path.write_bytes(pdf_bytes)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise MaisonError(
            _("Aucun lecteur PDF n'a pu être ouvert sur ce poste. Le document est enregistré "
              "ici : {path}").format(path=path)
        )
    return path


def _documents_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


# --- the dialog -----------------------------------------------------------------------------


class PdfPreviewDialog(QDialog):
    """Shows a PDF (all pages, fitted to the width) with print, save and open buttons."""

    def __init__(self, pdf_bytes: bytes, *, title: str, suggested_filename: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf_bytes = bytes(pdf_bytes)
        self.title = title
        self.suggested_filename = safe_filename(suggested_filename)
        self.saved_path: Path | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(_("Aperçu : {title}").format(title=title))

        # The buffer must live as long as the document reads from it.
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self.pdf_bytes))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        readable = self.document.status() == QPdfDocument.Status.Ready
        if not readable:
            log.warning("PDF illisible pour l'aperçu (%s) : %s", title, self.document.error())

        heading = QLabel(title)
        heading.setStyleSheet("font-weight: bold; font-size: 115%;")
        heading.setWordWrap(True)
        heading.setAccessibleName(_("Titre du document"))
        self.page_info = QLabel()
        self.page_info.setAccessibleName(_("Nombre de pages"))
        self.page_info.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if readable:
            count = self.document.pageCount()
            self.page_info.setText(ngettext("{n} page", "{n} pages", count).format(n=count))
        else:
            self.page_info.setText(_("Ce document ne peut pas être affiché."))
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.page_info)

        self.view = QPdfView(self)
        self.view.setAccessibleName(_("Aperçu du document"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a8f94; }")

        self.print_button = self._button(_("Imprimer…"), self.print_document)
        self.print_button.setEnabled(readable)
        self.save_button = self._button(_("Enregistrer sous…"), self.save_as)
        self.open_button = self._button(_("Ouvrir dans le lecteur PDF"), self.open_external)
        self.close_button = self._button(_("Fermer"), self.reject)
        self.close_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._initial_size()

    def _button(self, label: str, slot) -> QPushButton:
        button = QPushButton(label)
        button.setAccessibleName(label.rstrip("…"))
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _initial_size(self) -> None:
        width, height = 860, 1000
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.9))
        self.resize(width, height)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def print_document(self) -> int:
        """Ask for a printer and print; the number of pages sent (0 if cancelled)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setFullPage(True)  # our documents carry their own margins
        if not _ask_printer(self, printer, self.page_count):
            return 0
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return print_pdf(self.document, printer)
        except MaisonError as error:
            messages.show_error(self, error)
            return 0
        finally:
            QGuiApplication.restoreOverrideCursor()

    def save_as(self) -> Path | None:
        """Ask where, and write the PDF there."""
        start = self.saved_path or _documents_dir() / self.suggested_filename
        chosen = _ask_save_path(self, start)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            path.write_bytes(self.pdf_bytes)
        except OSError as exc:
            messages.warn(self, _("Le document n'a pas pu être enregistré dans {path} : "
                                  "{reason}").format(path=path, reason=exc.strerror or exc))
            return None
        self.saved_path = path
        return path

    def open_external(self) -> Path | None:
        try:
            return open_in_system_viewer(self.pdf_bytes, self.suggested_filename)
        except MaisonError as error:
            messages.show_error(self, error)
        except OSError as exc:
            messages.warn(self, _("Le document n'a pas pu être écrit sur le disque : {reason}")
                          .format(reason=exc.strerror or exc))
        return None
