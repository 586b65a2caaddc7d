"""The embedded fonts of every PDF.

Helvetica (reportlab's default) has no glyph for the narrow no-break space U+202F that babel
puts in French numbers ("1 234,50 €"), nor for many names' letters. The DejaVu TTFs shipped in
`maison_app/resources/fonts/` are read through importlib.resources, so they are found in a
source checkout, an installed wheel and a frozen build alike, and embedded (subset) in each PDF.
"""

from __future__ import annotations

import io
import threading
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


def font_bytes(filename: str) -> bytes:
    """The bytes of a font shipped in the package's resources/fonts/."""
    return resources.files("maison_app").joinpath("resources", "fonts", filename).read_bytes()


def register_fonts() -> None:
    """Register the DejaVuSans family with reportlab. Idempotent and thread-safe."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FILES.items():
            if name not in registered:
                stream = io.BytesIO(font_bytes(filename))
                stream.name = filename  # reportlab names the font file after it in errors
                pdfmetrics.registerFont(TTFont(name, stream))
        # No oblique face is shipped: italic falls back to the upright one.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        _registered = True


def missing_glyphs(text: str, font_name: str = REGULAR) -> set[str]:
    """The characters of `text` that `font_name` cannot draw (they would print as a box)."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    char_to_glyph = font.face.charToGlyph
    return {ch for ch in text if ch not in "\n\r\t" and ord(ch) not in char_to_glyph}
