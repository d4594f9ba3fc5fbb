"""The first thing a new user sees: three ways to a living library."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from readinglist.gui.theme import themed


class WelcomePage(QWidget):
    import_requested = Signal()
    paste_requested = Signal()
    sample_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel("Welcome to readinglist", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Your library is empty. Bring in the papers you read: a BibTeX, BibLaTeX, RIS or "
            "CSL-JSON file, a list copied from a web page, or arXiv ids and DOIs. "
            "Or look around a sample library of thirty-four landmark papers first.",
            self,
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(560)
        text.setMinimumHeight(text.heightForWidth(560))  # wrapped lines are never cut
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(20)
        for name, label, tip, signal in (
            (
                "import",
                "Import a file…",
                "BibTeX, BibLaTeX, RIS, CSL-JSON or text",
                self.import_requested,
            ),
            (
                "paste",
                "Paste papers…",
                "From the clipboard: entries, a copied page, or ids",
                self.paste_requested,
            ),
            (
                "sample",
                "Open the sample library",
                "Thirty-four landmark papers, with notes",
                self.sample_requested,
            ),
        ):
            button = themed(QPushButton(f"  {label}", self), name)
            button.setObjectName(f"welcome-{name}")
            button.setToolTip(tip)
            button.setIconSize(QSize(20, 20))
            button.setMinimumSize(300, 42)
            button.clicked.connect(signal.emit)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
