"""The start screen: a new application for a region, open a file, recent files, or the
sample to try."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import Translator
from desktop.recent import RecentApplicants
from desktop.settings import Settings
from desktop.widgets.applicants import ApplicantsPanel
from desktop.widgets.flow import FlowLayout
from forms.profiles.loader import available_profiles, load_profile


class StartScreen(QScrollArea):
    """Scrolls vertically when the window is short (200 % scale on a small screen)."""

    new_requested = Signal(str)
    open_requested = Signal()
    open_path = Signal(str)
    sample_requested = Signal()

    def __init__(self, translate: Translator, settings: Settings,
                 recent: RecentApplicants | None = None) -> None:
        super().__init__()
        self.translate, self.settings = translate, settings
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(40, 30, 40, 30)
        self.title, self.subtitle = QLabel(), QLabel()
        self.title.setStyleSheet("font-size: 24pt; font-weight: bold;")
        for label in (self.title, self.subtitle):
            label.setWordWrap(True)
        self.new_label = QLabel()
        self.new_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.region = QComboBox()
        self.region.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.region.setMinimumContentsLength(12)
        self.start_button = QPushButton()
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(
            lambda: self.new_requested.emit(self.region.currentData()))
        row = QHBoxLayout()
        row.addWidget(self.region, 1)
        row.addWidget(self.start_button)
        self.open_button, self.sample_button = QPushButton(), QPushButton()
        self.open_button.clicked.connect(self.open_requested.emit)
        self.sample_button.clicked.connect(self.sample_requested.emit)
        row2 = FlowLayout()
        row2.addWidget(self.open_button)
        row2.addWidget(self.sample_button)
        self.recent_label = QLabel()
        self.recent_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.recent = ApplicantsPanel(translate, recent or RecentApplicants(), settings.recent,
                                     settings.forget_recent)
        self.recent.open_path.connect(self.open_path.emit)
        for label in (self.new_label, self.recent_label):
            label.setWordWrap(True)
        for w in (self.title, self.subtitle, self.new_label):
            lay.addWidget(w)
        lay.addLayout(row)
        lay.addLayout(row2)
        lay.addWidget(self.recent_label)
        lay.addWidget(self.recent, 1)
        self.recent.setMinimumHeight(200)
        self.setWidget(body)
        translate.changed.connect(lambda _l: self.retranslate())
        self.retranslate()
        self.fill_recent()

    def retranslate(self) -> None:
        tr = self.translate
        self.title.setText(tr("ui.app_title"))
        self.subtitle.setText(tr("ui.app_subtitle"))
        self.new_label.setText(tr("ui.start.new"))
        current = self.region.currentData()
        self.region.clear()
        for pid in available_profiles():
            p = load_profile(pid)
            verified = tr("ui.profile_verified", date=tr.date(p.verified))
            self.region.addItem(f"{p.name.get(tr.lang)}  ·  {verified}", pid)
        if current:
            self.region.setCurrentIndex(max(0, self.region.findData(current)))
        self.region.setAccessibleName(tr("field.profile_id"))
        self.start_button.setText(tr("ui.start.begin"))
        self.open_button.setText(tr("ui.start.open"))
        self.sample_button.setText(tr("ui.start.sample"))
        self.recent_label.setText(tr("ui.start.recent"))

    def fill_recent(self) -> None:
        self.recent.reload()
