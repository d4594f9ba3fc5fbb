"""Icons and colours: a bundled icon set (Material Design Icons, the font qtawesome ships)
tinted for the current palette, and a dark palette for platforms that do not provide one
themselves."""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

ICONS = {
    "import": "file-import-outline",
    "paste": "content-paste",
    "export": "export-variant",
    "undo": "undo",
    "redo": "redo",
    "trash": "delete-outline",
    "restore": "delete-restore",
    "list": "format-list-bulleted",
    "new-list": "playlist-plus",
    "tag": "tag-outline",
    "search": "magnify",
    "saved-search": "text-box-search-outline",
    "all": "bookshelf",
    "to-read": "bookmark-outline",
    "reading": "book-open-page-variant-outline",
    "read": "check-circle-outline",
    "recent": "clock-outline",
    "unfiled": "inbox-outline",
    "save-search": "bookmark-plus-outline",
    "help": "help-circle-outline",
    "tag-add": "tag-plus-outline",
    "close": "close",
    "note": "note-text-outline",
    "add": "plus",
    "remove": "minus",
    "link": "open-in-new",
    "copy": "content-copy",
    "sample": "school-outline",
    "check": "database-check-outline",
    "backups": "backup-restore",
    "reindex": "refresh",
    "cancel": "close-circle-outline",
    "edit": "pencil-outline",
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def icon(name: str) -> QIcon:
    """A toolbar/sidebar icon in the palette's text colour (sharp at any scale: a font glyph)."""
    palette = QGuiApplication.palette()
    color = palette.color(QPalette.ColorRole.WindowText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    font = _icon_font()
    if font is None:  # qtawesome's files are not where they were: let it find them
        import qtawesome

        return qtawesome.icon(f"mdi6.{ICONS[name]}", color=color, color_disabled=disabled)
    family, glyphs = font
    return QIcon(_GlyphEngine(family, glyphs[ICONS[name]], color, disabled))


class _GlyphEngine(QIconEngine):
    """One glyph of the icon font, drawn as qtawesome draws it (7/8 of the icon's height,
    centred), in the palette's colour or its disabled colour. Importing qtawesome itself
    costs 0.3 s at start-up (it imports qtpy, which loads every Qt class and QtOpenGL);
    the window needs only its font."""

    def __init__(self, family: str, glyph: str, color: QColor, disabled: QColor) -> None:
        super().__init__()
        self._family, self._glyph = family, glyph
        self._color, self._disabled = QColor(color), QColor(disabled)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state) -> None:
        painter.save()
        painter.setPen(self._disabled if mode == QIcon.Mode.Disabled else self._color)
        font = QFont()
        font.setFamily(self._family)
        font.setPixelSize(max(1, round(0.875 * rect.height())))
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self._glyph)
        painter.restore()

    def pixmap(self, size, mode: QIcon.Mode, state) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self._family, self._glyph, self._color, self._disabled)


@cache
def _icon_font() -> tuple[str, dict[str, str]] | None:
    """The Material Design Icons 6 font qtawesome ships, loaded into Qt, and the glyph of each
    icon this program uses; None when the files cannot be found or loaded."""
    spec = find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        return None
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    ttf = sorted(fonts.glob("materialdesignicons6-webfont-[0-9]*.ttf"))
    charmap = sorted(fonts.glob("materialdesignicons6-webfont-charmap-*.json"))
    if not ttf or not charmap:
        return None
    try:
        codes = json.loads(charmap[-1].read_text(encoding="utf-8"))
        glyphs = {name: chr(int(codes[name], 16)) for name in ICONS.values()}
    except (OSError, ValueError, KeyError):
        return None
    loaded = QFontDatabase.addApplicationFont(str(ttf[-1]))
    families = QFontDatabase.applicationFontFamilies(loaded) if loaded >= 0 else []
    return (families[0], glyphs) if families else None


def icon_font_missing() -> str:
    """Why the window would draw its icons through qtawesome instead of the font (empty when it
    will not): a bundle that left the font out would show no icons, or fail to start."""
    if _icon_font() is not None:
        return ""
    return "the action icons' font (Material Design Icons, from qtawesome) is missing"


def themed(target, name: str):
    """Give a widget or action an icon that follows later light/dark switches (restyle)."""
    target.setIcon(icon(name))
    target.setProperty("readinglist_icon", name)
    return target


def restyle(root) -> None:
    """After the palette changed (the system switched light/dark): redraw every themed icon
    and muted label under ``root`` in the new colours."""
    from PySide6.QtCore import QObject

    for obj in [root, *root.findChildren(QObject)]:
        name = obj.property("readinglist_icon")
        if name:
            obj.setIcon(icon(name))
        if obj.property("readinglist_muted"):
            mute(obj)


def muted_color() -> QColor:
    """Secondary text that stays readable (well above 4.5:1) in light and dark palettes:
    two thirds of the way from the background to the text colour."""
    palette = QGuiApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mix = [round(back.red() + (text.red() - back.red()) * 0.68),
           round(back.green() + (text.green() - back.green()) * 0.68),
           round(back.blue() + (text.blue() - back.blue()) * 0.68)]  # fmt: skip
    return QColor(*mix)


def mute(widget) -> None:
    """Show a label as secondary text without disabling it (disabled text is too faint)."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, muted_color())
    widget.setPalette(palette)
    widget.setProperty("readinglist_muted", True)


def highlight_background() -> str:
    """Background of a search match in the detail pane, readable in light and dark."""
    return "#7a5c00" if is_dark() else "#ffe58a"


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35373b",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#6ea8fe",
        QPalette.ColorRole.LinkVisited: "#b392f0",
        QPalette.ColorRole.Highlight: "#3d6fb6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Light: "#6a6d72",
        QPalette.ColorRole.Mid: "#5c5f64",
        QPalette.ColorRole.Midlight: "#4d5055",
        QPalette.ColorRole.Dark: "#1a1b1d",
        QPalette.ColorRole.Shadow: "#111111",
    }
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def apply_scheme(app: QApplication, dark: bool | None) -> None:
    """``None`` follows the system (Qt does this natively where the platform says); ``True``
    or ``False`` forces a scheme, falling back to our own palette where the platform cannot."""
    if dark is None:
        return
    hints = QGuiApplication.styleHints()
    wanted = Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light
    hints.setColorScheme(wanted)
    if hints.colorScheme() == wanted and is_dark(app.palette()) == dark:
        return
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
