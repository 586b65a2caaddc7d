"""One floor of the house drawn to scale: each space a rectangle at its place (metres from the
top-left corner of the floor, SCALE scene pixels a metre), fitted to the view with its
proportions kept, zoomed with Ctrl+wheel or +/-.

Offices and desks are coloured by their state on the plan's day (LOOKS, also the screen's
legend); rooms and the rest of the house stay neutral. Desks inside an open space are drawn
over it. The labels keep the same size on screen at any zoom.

The view only draws and reports: `activated` (Enter or double click), `rename_requested`
(the same in edit mode), `geometry_edited` (a space moved or resized, on release),
`holder_dropped` (something of `drop_mime` dropped on an office or a desk) and
`menu_requested`. The screen calls the services.

Keyboard: the arrows move the selection to the nearest space in that direction, Page Down
and Page Up to the next and previous one in reading order (Home, End: the first, the last),
open spaces included; in edit
mode Ctrl+arrows move the selected space by 10 cm and Ctrl+Shift+arrows resize it; + and -
zoom, 0 fits the floor to the view."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from maison_app.domain.enums import Occupancy, SpaceKind
from maison_app.domain.spaces import FloorPlan, Geometry, SpaceState
from maison_app.i18n import _, format_date, format_number, ngettext

SCALE = 50.0  # scene pixels a metre
SNAP = 0.1  # metres: where a dragged space lands
MIN_SIDE = 0.5  # metres: the smallest space the edit mode makes
HANDLE_PX = 14  # the resize handle, on screen
NAME_PX = 13  # the labels' sizes, on screen
DETAIL_PX = 11
MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.5, 8.0, 1.25
MARGIN = 0.4  # metres around the floor


@dataclass(frozen=True, slots=True)
class Look:
    fill: str
    border: str
    text: str


# the colours of the plan and its legend (shared by the screen)
LOOKS: dict[Occupancy, Look] = {
    Occupancy.FREE: Look("#bfe8c8", "#2e7d32", "#0f3d16"),
    Occupancy.OCCUPIED: Look("#a8cbf0", "#2762a8", "#0d2a4d"),
    Occupancy.FULL: Look("#2b5797", "#152f5c", "#ffffff"),
    Occupancy.ENDING: Look("#ffc98a", "#d06406", "#4a2600"),
    Occupancy.RESERVED: Look("#dac6f3", "#7442b0", "#2e1352"),
}
NEUTRAL = Look("#ecebe5", "#8b8a80", "#3d3c36")  # meeting and workshop rooms
COMMON = Look("#f4f2ec", "#a29f93", "#55534a")  # open spaces, reception, kitchen…
SELECTED = QColor("#111111")
DROP_TARGET = QColor("#0b7a43")
FLOOR_BACKGROUND = QColor("#fbfaf6")
OUTSIDE = QColor("#e9e9e4")
GRID = QColor("#dfe3dc")


def look_of(state: SpaceState) -> Look:
    if state.occupancy is not None:
        return LOOKS[state.occupancy]
    if state.space.kind in (SpaceKind.MEETING_ROOM, SpaceKind.WORKSHOP_ROOM):
        return NEUTRAL
    return COMMON


def legend_entries() -> list[tuple[str, Look, str]]:
    """(label, look, what it means) of each colour of the plan, in the legend's order."""
    return [
        (Occupancy.FREE.label, LOOKS[Occupancy.FREE], _("personne ce jour-là")),
        (Occupancy.OCCUPIED.label, LOOKS[Occupancy.OCCUPIED],
         _("attribué ; un bureau a encore des places")),
        (_("Bureau complet"), LOOKS[Occupancy.FULL],
         _("toutes les places du bureau sont prises")),
        (_("Se libère sous 30 jours"), LOOKS[Occupancy.ENDING],
         _("l'attribution se termine dans les 30 jours")),
        (_("Réservé (arrivée prévue)"), LOOKS[Occupancy.RESERVED],
         _("libre ce jour-là, attribué à partir d'une date future")),
        (_("Salles et parties communes"), NEUTRAL,
         _("ne s'attribuent pas : les salles se réservent")),
    ]


def snap(metres: float) -> float:
    return round(round(metres / SNAP) * SNAP, 2)


# the size of a new space, in metres
DEFAULT_SIZES = {
    SpaceKind.DESK: (2.4, 1.6),
    SpaceKind.OFFICE: (4.0, 5.0),
    SpaceKind.MEETING_ROOM: (5.0, 5.0),
    SpaceKind.WORKSHOP_ROOM: (7.0, 6.0),
    SpaceKind.OPEN_SPACE: (8.0, 6.0),
    SpaceKind.OTHER: (3.0, 3.0),
}


def _overlap(a: Geometry, b: Geometry) -> bool:
    eps = 1e-6
    return (a.x < b.x + b.width - eps and b.x < a.x + a.width - eps
            and a.y < b.y + b.height - eps and b.y < a.y + a.height - eps)


def free_spot(width: float, height: float, taken: list[Geometry], *,
              floor: tuple[float, float], within: Geometry | None = None) -> Geometry:
    """Where a new space of that size goes: the first free place, row by row, inside
    `within` (a desk in its open space or office) or on the floor; else beside the floor,
    on the right, where it can be dragged from."""
    if within is not None:
        inset = 0.3
        left, top = within.x + inset, within.y + inset
        right, bottom = within.x + within.width - inset, within.y + within.height - inset
        step = 0.2
    else:
        left, top, (right, bottom), step = 0.0, 0.0, floor, 0.5

    def clear(x: float, y: float) -> bool:
        g = Geometry(x, y, width, height)
        return not any(_overlap(g, t) for t in taken)

    y = top
    while y + height <= bottom + 1e-6:
        x = left
        while x + width <= right + 1e-6:
            if clear(x, y):
                return Geometry(snap(x), snap(y), width, height)
            x += step
        y += step
    x, y = snap(floor[0] + 1.0), 0.0
    for _i in range(1000):
        if clear(x, y):
            break
        y = snap(y + 0.5)
    return Geometry(x, y, width, height)


def short_date(day, reference=None) -> str:
    """"21 déc." (the year when it is not the reference day's)."""
    if reference is not None and day.year == reference.year:
        return format_date(day, "d MMM")
    return format_date(day, "d MMM yyyy")


def wrap(text: str, fm: QFontMetricsF, width: float, rows: int) -> list[str]:
    """`text` cut at spaces into at most `rows` lines of `width`, the last one ending with
    "…" when the text goes on."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < rows:
        line = words.pop(0)
        while words and fm.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out[-1] = f"{out[-1]} {' '.join(words)}"
    return [fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in out]


# --- texts -------------------------------------------------------------------------------


def _period(a) -> str:
    from maison_app.views.spaces.assignment_dialog import period_text

    return period_text(a.start, a.end)


def _seats(n: int) -> str:
    from maison_app.views.spaces.assignment_dialog import seats_text

    return seats_text(n)


def space_lines(state: SpaceState, day) -> list[tuple[str, bool]]:
    """What the rectangle says, line by line (text, bold): the name; for an office its seats
    taken ("2/4"); the holders, or who comes and when."""
    sp = state.space
    lines = [(sp.name, True)]
    if sp.kind is SpaceKind.OFFICE:
        lines.append((_("{taken}/{capacity} places").format(taken=state.seats_taken,
                                                           capacity=sp.capacity), False))
    if state.current:
        lines.append((", ".join(a.holder for a in state.current), False))
        ends = [a.end for a in state.current]
        if state.occupancy is Occupancy.ENDING and all(ends):
            lines.append((_("jusqu'au {day}").format(day=short_date(max(ends), day)), False))
    elif state.next is not None:
        lines.append((_("dès le {day}").format(day=short_date(state.next.start, day)), False))
        lines.append((state.next.holder, False))
    elif state.occupancy is Occupancy.FREE:
        lines.append((Occupancy.FREE.label, False))
    elif sp.kind.bookable:
        lines.append((ngettext("{n} personne", "{n} personnes", sp.capacity).format(
            n=sp.capacity), False))
    return lines


def describe(state: SpaceState, day, *, rich: bool = False) -> str:
    """The space in words: the tooltip (rich) and the line under the plan that a screen
    reader reads (plain)."""
    sp = state.space
    e = (lambda s: html.escape(s, quote=False)) if rich else (lambda s: s)
    head = sp.kind.label
    if sp.kind is SpaceKind.OFFICE:
        head += " · " + _seats(sp.capacity)
    elif sp.kind in (SpaceKind.MEETING_ROOM, SpaceKind.WORKSHOP_ROOM, SpaceKind.OPEN_SPACE):
        head += " · " + ngettext("{n} personne", "{n} personnes", sp.capacity).format(
            n=sp.capacity)
    lines: list[str] = []
    if state.occupancy is not None:
        status = state.occupancy.label
        if sp.kind is SpaceKind.OFFICE:
            status += " — " + _("{taken}/{capacity} places prises").format(
                taken=state.seats_taken, capacity=sp.capacity)
        lines.append(_("Le {day} : {status}").format(day=format_date(day), status=e(status)))
        for a in state.current:
            who = (f"<b>{e(a.holder)}</b>" if rich else a.holder)
            if sp.kind is SpaceKind.OFFICE:
                lines.append(_("{holder} — {seats}, {period}").format(
                    holder=who, seats=_seats(a.seats), period=_period(a)))
            else:
                lines.append(_("{holder} — {period}").format(holder=who, period=_period(a)))
        if state.next is not None:
            who = (f"<b>{e(state.next.holder)}</b>" if rich else state.next.holder)
            seats = (", " + _seats(state.next.seats)) if sp.kind is SpaceKind.OFFICE else ""
            lines.append(_("Ensuite : {holder}{seats}, {period}").format(
                holder=who, seats=seats, period=_period(state.next)))
    if sp.equipment:
        lines.append(_("Équipement : {equipment}").format(equipment=e(sp.equipment)))
    g = sp.geometry
    lines.append(_("{width} × {height} m").format(width=format_number(round(g.width, 2)),
                                                   height=format_number(round(g.height, 2))))
    if rich:
        return (f"<p style='white-space:pre'><b>{e(sp.name)}</b> — {e(head)}<br>"
                + "<br>".join(lines) + "</p>")
    return f"{sp.name} ({head}). " + " ".join(
        line if line.endswith(".") else line + "." for line in lines)


# --- one space -----------------------------------------------------------------------------


class SpaceItem(QGraphicsItem):
    """A space of the plan. Its position is its top-left corner; its rectangle starts at
    (0, 0) in its own coordinates."""

    def __init__(self, state: SpaceState, day) -> None:
        super().__init__()
        self.day = day
        self.editable = False
        self.drop_target = False
        self._resizing = False
        self.set_state(state)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        self.setAcceptHoverEvents(True)
        kind = state.space.kind
        self.setZValue(2 if kind is SpaceKind.DESK
                       else 0 if kind in (SpaceKind.OPEN_SPACE, SpaceKind.OTHER) else 1)

    def set_state(self, state: SpaceState) -> None:
        self.state = state
        self.saved = state.space.geometry  # what the database holds
        g = state.space.geometry
        self.prepareGeometryChange()
        self._w, self._h = g.width, g.height
        self.setPos(g.x * SCALE, g.y * SCALE)
        self.setToolTip(describe(state, self.day, rich=True))
        self.update()

    # --- what it is -----------------------------------------------------------------------

    @property
    def space_id(self) -> int:
        return self.state.space.id

    @property
    def name(self) -> str:
        return self.state.space.name

    @property
    def allocatable(self) -> bool:
        return self.state.space.kind.allocatable

    def geometry(self) -> Geometry:
        """Where it is drawn now, in metres."""
        return Geometry(x=round(self.pos().x() / SCALE, 2), y=round(self.pos().y() / SCALE, 2),
                        width=round(self._w, 2), height=round(self._h, 2))

    def set_geometry(self, g: Geometry) -> None:
        self.prepareGeometryChange()
        self._w, self._h = g.width, g.height
        self.setPos(g.x * SCALE, g.y * SCALE)
        self.update()

    def rect(self) -> QRectF:
        return QRectF(0, 0, self._w * SCALE, self._h * SCALE)

    def fill_colour(self) -> QColor:
        return QColor(look_of(self.state).fill)

    # --- drawing ---------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-3, -3, 3, 3)

    def _scale(self) -> float:
        views = self.scene().views() if self.scene() else []
        return views[0].transform().m11() if views else 1.0

    def _handle(self) -> QRectF:
        side = HANDLE_PX / max(self._scale(), 0.01)
        r = self.rect()
        return QRectF(r.right() - side, r.bottom() - side, side, side)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        look = look_of(self.state)
        rect = self.rect()
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        pen = QPen(QColor(look.border))
        pen.setCosmetic(True)
        pen.setWidthF(1.6)
        if self.state.space.kind is SpaceKind.OPEN_SPACE:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor(look.fill)))
        painter.drawRect(rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected or self.drop_target:
            outline = QPen(DROP_TARGET if self.drop_target else SELECTED)
            outline.setCosmetic(True)
            outline.setWidthF(4 if self.drop_target else 3)
            painter.setPen(outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inset = 1.5 / max(lod, 0.01)
            painter.drawRect(rect.adjusted(inset, inset, -inset, -inset))
        self._paint_text(painter, rect, look, lod)
        if self.editable:
            handle = self._handle()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#333333"))
            painter.drawPolygon([handle.topRight(), handle.bottomRight(), handle.bottomLeft()])

    def _paint_text(self, painter: QPainter, rect: QRectF, look: Look, lod: float) -> None:
        """The lines, at a constant size on screen, as many as fit, cut with "…"."""
        painter.save()
        painter.translate(rect.topLeft())
        painter.scale(1 / lod, 1 / lod)
        area = QRectF(0, 0, rect.width() * lod, rect.height() * lod).adjusted(4, 2, -3, -2)
        if area.width() < 18 or area.height() < 10:
            painter.restore()
            return
        lines = space_lines(self.state, self.day)
        if self.editable:
            g = self.geometry()
            lines.append((_("{width} × {height} m").format(
                width=format_number(g.width), height=format_number(g.height)), False))
        painter.setPen(QColor(look.text))
        y = area.top()
        for i, (text, bold) in enumerate(lines):
            font = QFont()
            font.setBold(bold)
            # the name as large as fits (a desk is small), the rest smaller
            for px in (NAME_PX, NAME_PX - 1, NAME_PX - 2, NAME_PX - 3) if i == 0 else (DETAIL_PX,):
                font.setPixelSize(px)
                fm = QFontMetricsF(font)
                if fm.horizontalAdvance(text) <= area.width():
                    break
            painter.setFont(font)
            rows = int((area.bottom() + 1 - y) // fm.height())
            if rows <= 0:
                break
            # the holder's name goes on two lines when it must: it matters more than what
            # follows
            for row in wrap(text, fm, area.width(), min(2, rows) if i else 1):
                painter.drawText(QRectF(area.left(), y, area.width(), fm.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, row)
                y += fm.height()
        painter.restore()

    # --- edit mode ---------------------------------------------------------------------------

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, editable)
        self.setCursor(Qt.CursorShape.SizeAllCursor if editable else Qt.CursorShape.ArrowCursor)
        self.update()

    def in_handle(self, pos: QPointF) -> bool:
        return self.editable and self._handle().adjusted(-2, -2, 2, 2).contains(pos)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.editable:
            x = max(0.0, snap(value.x() / SCALE))
            y = max(0.0, snap(value.y() / SCALE))
            return QPointF(x * SCALE, y * SCALE)
        return super().itemChange(change, value)

    def hoverMoveEvent(self, event) -> None:
        if self.editable:
            self.setCursor(Qt.CursorShape.SizeFDiagCursor if self.in_handle(event.pos())
                           else Qt.CursorShape.SizeAllCursor)
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event) -> None:
        if (event.button() == Qt.MouseButton.LeftButton and self.in_handle(event.pos())):
            self._resizing = True
            if not self.isSelected():
                if self.scene() is not None:
                    self.scene().clearSelection()
                self.setSelected(True)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._resizing:
            w = max(MIN_SIDE, snap(event.pos().x() / SCALE))
            h = max(MIN_SIDE, snap(event.pos().y() / SCALE))
            if (w, h) != (self._w, self._h):
                self.prepareGeometryChange()
                self._w, self._h = w, h
                self.update()
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._resizing:
            self._resizing = False
            event.accept()
            return
        super().mouseReleaseEvent(event)


# --- the view ----------------------------------------------------------------------------------


class FloorView(QGraphicsView):
    """See the module's docstring. `items_by_name` / `item_for(name)` reach a space's item."""

    activated = Signal(int)  # space id: Enter or a double click, outside the edit mode
    rename_requested = Signal(int)  # the same in edit mode
    geometry_edited = Signal(int, object, object)  # space id, new Geometry, previous Geometry
    holder_dropped = Signal(int, bytes)  # space id, the dropped MIME data
    menu_requested = Signal(int, QPoint)  # space id, where (global)
    selection_changed = Signal(object)  # the selected SpaceState, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setBackgroundBrush(OUTSIDE)
        self.setAcceptDrops(True)
        self.setMinimumSize(320, 220)
        self.plan: FloorPlan | None = None
        self.items_by_name: dict[str, SpaceItem] = {}
        self.items_by_id: dict[int, SpaceItem] = {}
        self.editing = False
        self.drop_mime: str | None = None  # what may be dropped on an office or a desk
        self.zoom = 1.0  # relative to "the whole floor fits"
        self._drop_item: SpaceItem | None = None
        self._extent = (20.0, 12.0)
        self.scene().selectionChanged.connect(self._selection_changed)

    # --- content ---------------------------------------------------------------------------

    def set_plan(self, plan: FloorPlan) -> None:
        """Draw `plan`, keeping the selected space (by id) and the zoom of the same floor."""
        keep = self.selected_id()
        same_floor = self.plan is not None and self.plan.floor == plan.floor
        self.plan = plan
        scene = self.scene()
        scene.blockSignals(True)
        scene.clear()
        self.items_by_name.clear()
        self.items_by_id.clear()
        self._drop_item = None
        for state in plan.spaces:
            item = SpaceItem(state, plan.day)
            item.set_editable(self.editing)
            scene.addItem(item)
            self.items_by_name[state.space.name] = item
            self.items_by_id[state.space.id] = item
        self._update_scene_rect()
        if keep in self.items_by_id:
            self.items_by_id[keep].setSelected(True)
        scene.blockSignals(False)
        if not same_floor:
            self.zoom = 1.0
        self.fit()
        self.selection_changed.emit(self.selected_state())

    def _update_scene_rect(self) -> None:
        """The floor: what its spaces cover (as the plan's width and height), after a move
        too."""
        geometries = [item.geometry() for item in self.items_by_id.values()]
        if geometries:
            w = max(g.x + g.width for g in geometries)
            h = max(g.y + g.height for g in geometries)
        else:
            w, h = (self.plan.width, self.plan.height) if self.plan else (20.0, 12.0)
        self._extent = (w, h)
        self.scene().setSceneRect(QRectF(-MARGIN * SCALE, -MARGIN * SCALE,
                                         (w + 2 * MARGIN) * SCALE, (h + 2 * MARGIN) * SCALE))

    def floor_size(self) -> tuple[float, float]:
        """The floor's width and height in metres."""
        return self._extent

    def item_for(self, name: str) -> SpaceItem:
        return self.items_by_name[name]

    def state(self, space_id: int) -> SpaceState | None:
        item = self.items_by_id.get(space_id)
        return item.state if item else None

    def item_at(self, pos: QPoint) -> SpaceItem | None:
        """The topmost space under a point of the viewport (a desk before its open space)."""
        for item in self.items(pos):
            if isinstance(item, SpaceItem):
                return item
        return None

    # --- selection --------------------------------------------------------------------------

    def selected_item(self) -> SpaceItem | None:
        chosen = [i for i in self.scene().selectedItems() if isinstance(i, SpaceItem)]
        return chosen[0] if chosen else None

    def selected_id(self) -> int | None:
        item = self.selected_item()
        return item.space_id if item else None

    def selected_state(self) -> SpaceState | None:
        item = self.selected_item()
        return item.state if item else None

    def select(self, space_id: int | None) -> None:
        self.scene().clearSelection()
        item = self.items_by_id.get(space_id) if space_id is not None else None
        if item is not None:
            item.setSelected(True)
            self.ensureVisible(item, 20, 20)

    def _selection_changed(self) -> None:
        state = self.selected_state()
        self.setAccessibleDescription(describe(state, self.plan.day) if state and self.plan
                                      else "")
        self.selection_changed.emit(state)

    def move_selection(self, dx: int, dy: int) -> None:
        """Select the nearest space in a direction (dx, dy: -1, 0 or 1)."""
        items = list(self.items_by_id.values())
        if not items:
            return
        current = self.selected_item()
        if current is None:
            self.select(min(items, key=lambda i: (i.geometry().y, i.geometry().x)).space_id)
            return
        here = current.sceneBoundingRect().center()
        best, best_score = None, math.inf
        for item in items:
            if item is current or item.sceneBoundingRect().contains(here):
                continue  # itself, or the open space around it
            there = item.sceneBoundingRect().center()
            along = (there.x() - here.x()) * dx + (there.y() - here.y()) * dy
            if along <= 1:
                continue
            across = abs((there.x() - here.x()) * dy) + abs((there.y() - here.y()) * dx)
            score = along + 2 * across
            if score < best_score:
                best, best_score = item, score
        if best is not None:
            self.select(best.space_id)

    def step_selection(self, step: int) -> None:
        """The next (1) or previous (-1) space in reading order, round the floor; every
        space, open spaces included, is reached this way."""
        items = sorted(self.items_by_id.values(),
                       key=lambda i: (i.geometry().y, i.geometry().x, i.name))
        if not items:
            return
        current = self.selected_item()
        index = items.index(current) + step if current in items else (0 if step > 0 else -1)
        self.select(items[index % len(items)].space_id)

    # --- zoom -------------------------------------------------------------------------------

    def fit(self) -> None:
        """The whole floor in the view, times the zoom."""
        self.resetTransform()
        rect = self.sceneRect()
        if rect.isEmpty() or self.viewport().width() < 2:
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom != 1.0:
            self.scale(self.zoom, self.zoom)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        selected = self.selected_item()
        self.fit()
        if selected is not None:
            self.centerOn(selected)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def pixels_per_metre(self) -> float:
        return self.transform().m11() * SCALE

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom = min(max(self.zoom * ZOOM_STEP ** steps, MIN_ZOOM), MAX_ZOOM)
                anchor = self.mapToScene(event.position().toPoint())
                self.fit()
                self.centerOn(anchor)
            event.accept()
            return
        super().wheelEvent(event)

    # --- drawing around the spaces --------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        w, h = self.floor_size()
        floor = QRectF(0, 0, w * SCALE, h * SCALE)
        painter.fillRect(floor, FLOOR_BACKGROUND)
        if self.editing:  # a metre grid to place things by
            pen = QPen(GRID)
            pen.setCosmetic(True)
            painter.setPen(pen)
            top = self.sceneRect()
            for x in range(math.floor(top.left() / SCALE), math.ceil(top.right() / SCALE) + 1):
                painter.drawLine(QPointF(x * SCALE, top.top()), QPointF(x * SCALE, top.bottom()))
            for y in range(math.floor(top.top() / SCALE), math.ceil(top.bottom() / SCALE) + 1):
                painter.drawLine(QPointF(top.left(), y * SCALE), QPointF(top.right(), y * SCALE))
        pen = QPen(QColor("#5c5b55"))
        pen.setCosmetic(True)
        pen.setWidthF(2.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(floor)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """A scale bar in the bottom-left corner of the view."""
        per_metre = self.pixels_per_metre()
        if per_metre <= 0:
            return
        metres = next((m for m in (1, 2, 5, 10, 20, 50) if m * per_metre >= 60), 100)
        length = metres * per_metre
        painter.save()
        painter.resetTransform()
        x, y = 12.0, self.viewport().height() - 14.0
        painter.setPen(QPen(QColor("#444444"), 2))
        painter.drawLine(QPointF(x, y), QPointF(x + length, y))
        painter.drawLine(QPointF(x, y - 5), QPointF(x, y + 1))
        painter.drawLine(QPointF(x + length, y - 5), QPointF(x + length, y + 1))
        font = QFont()
        font.setPixelSize(11)
        painter.setFont(font)
        painter.drawText(QPointF(x + length + 6, y + 4), _("{n} m").format(n=metres))
        painter.restore()

    # --- edit mode ------------------------------------------------------------------------------

    def set_editing(self, editing: bool) -> None:
        self.editing = editing
        for item in self.items_by_id.values():
            item.set_editable(editing)
        self.viewport().update()

    def _report_changes(self) -> None:
        """After a drag: each space whose place or size changed goes to the screen."""
        for item in list(self.items_by_id.values()):
            g = item.geometry()
            if g != item.saved:
                previous = item.saved
                item.saved = g
                self.geometry_edited.emit(item.space_id, g, previous)
        self._update_scene_rect()

    def restore(self, space_id: int, geometry: Geometry) -> None:
        """Put a space back where it was (the service refused the new place)."""
        item = self.items_by_id.get(space_id)
        if item is not None:
            item.set_geometry(geometry)
            item.saved = geometry
            self._update_scene_rect()

    def nudge(self, dx: float, dy: float, dw: float = 0.0, dh: float = 0.0) -> None:
        item = self.selected_item()
        if item is None or not self.editing:
            return
        g = item.geometry()
        item.set_geometry(Geometry(x=max(0.0, snap(g.x + dx)), y=max(0.0, snap(g.y + dy)),
                                   width=max(MIN_SIDE, snap(g.width + dw)),
                                   height=max(MIN_SIDE, snap(g.height + dh))))
        self._report_changes()

    # --- mouse and keyboard ------------------------------------------------------------------------

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if self.editing and event.button() == Qt.MouseButton.LeftButton:
            self._report_changes()

    def mouseDoubleClickEvent(self, event) -> None:
        item = self.item_at(event.position().toPoint())
        if item is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        self.select(item.space_id)
        event.accept()
        if self.editing:
            self.rename_requested.emit(item.space_id)
        else:
            self.activated.emit(item.space_id)

    def contextMenuEvent(self, event) -> None:
        if event.reason() == event.Reason.Mouse:
            item = self.item_at(event.pos())
            if item is not None:
                self.select(item.space_id)
        else:
            item = self.selected_item()
        if item is None:
            event.ignore()
            return
        where = (event.globalPos() if event.reason() == event.Reason.Mouse
                 else self.viewport().mapToGlobal(
                     self.mapFromScene(item.sceneBoundingRect().center())))
        event.accept()
        self.menu_requested.emit(item.space_id, where)

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
                  Qt.Key.Key_Down: (0, 1)}
        if key in arrows:
            dx, dy = arrows[key]
            if self.editing and mods & Qt.KeyboardModifier.ControlModifier:
                if mods & Qt.KeyboardModifier.ShiftModifier:
                    self.nudge(0, 0, dx * SNAP, dy * SNAP)
                else:
                    self.nudge(dx * SNAP, dy * SNAP)
            else:
                self.move_selection(dx, dy)
            event.accept()
            return
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.step_selection(1 if key == Qt.Key.Key_PageDown else -1)
            event.accept()
            return
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.select(None)
            self.step_selection(1 if key == Qt.Key.Key_Home else -1)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.selected_item()
            if item is not None:
                (self.rename_requested if self.editing else self.activated).emit(item.space_id)
                event.accept()
                return
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
            event.accept()
            return
        if key == Qt.Key.Key_Minus:
            self.zoom_out()
            event.accept()
            return
        if key == Qt.Key.Key_0:
            self.set_zoom(1.0)
            event.accept()
            return
        super().keyPressEvent(event)

    # --- a holder dragged from the side list ----------------------------------------------------------

    def _drop_target_at(self, pos: QPoint) -> SpaceItem | None:
        item = self.item_at(pos)
        return item if item is not None and item.allocatable else None

    def _set_drop_item(self, item: SpaceItem | None) -> None:
        if self._drop_item is item:
            return
        if self._drop_item is not None:
            self._drop_item.drop_target = False
            self._drop_item.update()
        self._drop_item = item
        if item is not None:
            item.drop_target = True
            item.update()

    def _accepts(self, event) -> bool:
        return bool(self.drop_mime) and not self.editing and event.mimeData().hasFormat(
            self.drop_mime)

    def dragEnterEvent(self, event) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        item = self._drop_target_at(event.position().toPoint())
        self._set_drop_item(item)
        if item is None:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._set_drop_item(None)
        event.accept()

    def dropEvent(self, event) -> None:
        item = self._drop_target_at(event.position().toPoint()) if self._accepts(event) else None
        self._set_drop_item(None)
        if item is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.holder_dropped.emit(item.space_id, bytes(event.mimeData().data(self.drop_mime)))
