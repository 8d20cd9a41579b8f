"""The preferences tab: every setting of settings.toml as a widget whose range makes an invalid
value impossible, autostart (read from, and written to, the real log-in entry), the data
folder, and where the ledger's signing key is kept.

The tab shows the file as it is: an edit made elsewhere while the window is open (by hand, by the
command line, from the tray menu) shows within seconds, or, over unsaved changes, is announced;
Save writes only over the version of the file the tab showed (ui/settings/settings_file.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guard.presentation.i18n import N_, _, language_choices, say_error
from guard.presentation.terms_state import NETWORK_GROUP, NETWORK_SETTING
from guard.services import (AutostartState, DetectionSettings, Services, Settings, SettingsChangedError,
                            TermsSettings)
from ui.jobs import JobRunner
from ui.settings.browser_panel import BrowserPanel
from ui.settings.common import named
from ui.settings.desktop_panel import DesktopPanel
from ui.settings.key_panel import KEY_STATUS_JOB as KEY_STATUS_JOB  # the job's key, for tests
from ui.settings.key_panel import KeyPanel
from ui.settings.settings_file import FileNotice, FollowsSettingsFile, SettingsFileWatch, problems_text
from ui.widgets import plain_label

log = logging.getLogger(__name__)


PROBES = (("process_probe", N_("&Processes"), N_("Process names and command lines")),
          ("browser_probe", N_("&Browser extension"), N_("Meeting tabs, AI notices and bots the extension reports")),
          ("window_probe", N_("&Window titles"), N_("Meeting windows and browser tabs")),
          ("microphone_probe", N_("&Microphone in use"), N_("Which app holds the microphone")),
          ("camera_probe", N_("&Camera in use"), N_("Which app holds the camera")),
          ("socket_probe", N_("Media soc&kets"), N_("UDP media connections, as supporting evidence")),
          ("accessibility_probe", N_("Native clients' notices (accessibility, Linu&x)"),
           N_("Reads a meeting client's notices and participant list through accessibility while it shows a "
              "meeting; only catalog matches are kept (off by default)")))
NOTIFICATIONS = (("meeting_started", N_("A meetin&g starts"), N_("When a meeting with AI features starts")),
                 ("notetaker_seen", N_("An AI &note-taker is seen"), N_("When a note-taker or recorder runs")),
                 ("terms_changed", N_("&Terms change"), N_("When an AI or data-use clause changes")))
SYSTEM_LANGUAGE = ""  # general.language left empty: follow the desktop's language


class NotAFolder(ValueError):
    """The data folder chosen is a file (said in the user's language)."""


def _range(field: str, model: type) -> tuple[float, float]:
    """The ge/le bounds of a settings field (the widget's range is the model's)."""
    low, high = 0.0, 1e9
    for item in model.model_fields[field].metadata:
        low = float(getattr(item, "ge", low))
        high = float(getattr(item, "le", high))
    return low, high


class PreferencesTab(FollowsSettingsFile, QWidget):
    settings_saved = Signal(object)  # the new Settings in force: saved here, or read again from the file
    save_finished = Signal(bool)  # a save asked here ended: written (True) or not (False)

    def __init__(self, services: Services, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.autostart_state: AutostartState | None = None
        self._conflict: str | None = None  # the file's version a refused save found
        self.shown_version = services.settings_version  # the file's version the widgets show
        self._shown_values: tuple[object, ...] | None = None  # the widgets' values when loaded
        self._build()
        self.load()
        self.refresh_key_status()
        self.file_watch = SettingsFileWatch(services, tasks, self, self.file_changed, lambda: self.shown_version)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        detection = QGroupBox(_("Detection"))
        form = QFormLayout(detection)
        self.detection_enabled = named(QCheckBox(_("&Detect meeting clients and AI note-takers")), _("Detection on"))
        form.addRow(self.detection_enabled)
        self.interval = named(QDoubleSpinBox(), _("Detection interval"), _("Seconds between two looks"))
        low, high = _range("interval_seconds", DetectionSettings)
        self.interval.setRange(low, high)
        self.interval.setSingleStep(0.5)
        self.interval.setDecimals(1)
        self.interval.setSuffix(" s")  # the SI symbol for seconds, the same in every language
        self.interval.setMaximumWidth(140)
        interval_label = QLabel(_("Look e&very:"))
        interval_label.setBuddy(self.interval)
        form.addRow(interval_label, self.interval)
        self.probes: dict[str, QCheckBox] = {}
        for field, text, description in PROBES:
            box = named(QCheckBox(_(text)), _(text).replace("&", ""), _(description))
            self.probes[field] = box
            form.addRow(box)

        notifications = QGroupBox(_("Notify me when"))
        notify_layout = QVBoxLayout(notifications)
        self.notifications: dict[str, QCheckBox] = {}
        for field, text, description in NOTIFICATIONS:
            box = named(QCheckBox(_(text)), _(text).replace("&", ""), _(description))
            self.notifications[field] = box
            notify_layout.addWidget(box)

        terms = QGroupBox(_(NETWORK_GROUP))
        terms_form = QFormLayout(terms)
        self.network = named(QCheckBox(_(NETWORK_SETTING)),
                             _("Fetch terms pages"))
        terms_form.addRow(self.network)
        # A check box does not wrap: its text stays short, and what it means is said below, wrapped.
        self.archive = named(QCheckBox(_("Read Open Terms Archive first (GitH&ub: api.github.com, "
                                         "raw.githubusercontent.com)")), _("Read terms in Open Terms Archive"),
                             _("Where the public archive keeps a document, the app asks GitHub for it instead of "
                               "the provider's site"))
        terms_form.addRow(self.archive)
        self.archive_note = plain_label(_("Where the public archive keeps a document, new versions are read there; "
                                          "the provider's page is fetched only when the archive cannot be read."))
        terms_form.addRow(self.archive_note)
        self.check_hours = named(QDoubleSpinBox(), _("Terms check interval"),
                                 _("Hours between two checks of the terms pages"))
        low, high = _range("check_interval_hours", TermsSettings)
        self.check_hours.setRange(low, high)
        self.check_hours.setDecimals(0)
        self.check_hours.setSuffix(" " + _("h"))
        self.check_hours.setMaximumWidth(140)
        hours_label = QLabel(_("C&heck every:"))
        hours_label.setBuddy(self.check_hours)
        terms_form.addRow(hours_label, self.check_hours)

        general = QGroupBox(_("Language, start and storage"))
        general_form = QFormLayout(general)
        self.language = named(QComboBox(), _("Language"),
                              _("The language of the app and of letters"))
        self.language.addItem(_("The desktop's language"), SYSTEM_LANGUAGE)
        for code, name in language_choices():
            self.language.addItem(name, code)
        language_label = QLabel(_("Displa&y language:"))
        language_label.setBuddy(self.language)
        general_form.addRow(language_label, self.language)
        # Consent receipts name the jurisdiction whose law applies: settable only in the file, a receipts export
        # from the window failed with "give --jurisdiction ... or set general.jurisdiction" (walk9)
        self.jurisdiction = named(QLineEdit(), _("Jurisdiction"),
                                  _("Where you live, for consent receipts: EU, EEA or a country code such as DE"))
        self.jurisdiction.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,3}"),
                                                                   self.jurisdiction))
        self.jurisdiction.setPlaceholderText(_("e.g. EU or DE; empty: the desktop's region"))
        jurisdiction_label = QLabel(_("&Jurisdiction:"))
        jurisdiction_label.setBuddy(self.jurisdiction)
        general_form.addRow(jurisdiction_label, self.jurisdiction)
        self.autostart = named(QCheckBox(_("Start when I &log in")), _("Start at log-in"))
        self.autostart_where = plain_label()
        general_form.addRow(self.autostart)
        general_form.addRow(self.autostart_where)
        self.data_dir = named(QLineEdit(), _("Data folder"), _("Where the ledger and terms versions are kept"))
        self.data_dir.setPlaceholderText(_("{folder} (default)").format(folder=self.services.default_data_dir))
        self.choose_dir = named(QPushButton(_("Choos&e…")), _("Choose data folder"))
        self.default_dir = named(QPushButton(_("Use def&ault")), _("Use the default data folder"))
        row = QHBoxLayout()
        row.addWidget(self.data_dir, 1)
        row.addWidget(self.choose_dir)
        row.addWidget(self.default_dir)
        data_label = QLabel(_("Data f&older:"))
        data_label.setBuddy(self.data_dir)
        general_form.addRow(data_label, row)
        note = QLabel(_("A new data folder is used from the next start. Existing files are not moved: move "
                        "ledger.sqlite3 (and ledger.key, if there is one) and the terms folder yourself while the "
                        "app is closed."))
        note.setWordWrap(True)
        general_form.addRow(note)

        self.keys = KeyPanel(self.services, self.tasks)
        self.key_status = self.keys.status

        self.desktop_group = DesktopPanel(self.tasks)
        self.gnome_status, self.gnome_button = self.desktop_group.status, self.desktop_group.button
        self.file_notice = FileNotice(self.show_file_values, self.save_over_file)

        self.save_button = named(QPushButton(_("&Save")), _("Save preferences"))
        self.revert_button = named(QPushButton(_("&Revert")), _("Revert unsaved changes"))
        self.status = named(plain_label(_("Settings file: {path}").format(path=self.services.settings_file)),
                            _("Preferences status"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        content = QWidget()
        columns = QHBoxLayout(content)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(detection)
        left.addWidget(notifications)
        left.addStretch(1)
        right.addWidget(terms)
        right.addWidget(general)
        right.addWidget(self.keys)
        right.addWidget(self.desktop_group)
        self.browsers = BrowserPanel(self.services, self.tasks)
        right.addWidget(self.browsers)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.file_notice)
        layout.addLayout(buttons)

        self.detection_enabled.toggled.connect(self._detection_toggled)
        self.network.toggled.connect(self.check_hours.setEnabled)
        self.network.toggled.connect(self.archive.setEnabled)
        self.choose_dir.clicked.connect(self._choose_dir)
        self.default_dir.clicked.connect(self.data_dir.clear)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)

    def _detection_toggled(self, on: bool) -> None:
        self.interval.setEnabled(on)
        for box in self.probes.values():
            box.setEnabled(on)

    def _choose_dir(self) -> None:
        start = self.data_dir.text() or str(self.services.paths.data_dir)
        chosen = QFileDialog.getExistingDirectory(self, _("Choose the data folder"), start)
        if chosen:
            self.data_dir.setText(chosen)

    # -- values ------------------------------------------------------------------------------
    def load(self) -> None:
        """Show the settings in force (the file's as last read), then the real autostart entry
        (read on the job runner)."""
        settings = self.services.settings
        self.shown_version = self.services.settings_version
        problems = self.services.settings_problems()
        if problems:
            self.file_notice.say(problems_text(problems))
        else:
            self.file_notice.clear()
        self.detection_enabled.setChecked(settings.detection.enabled)
        self.interval.setValue(settings.detection.interval_seconds)
        for field, box in self.probes.items():
            box.setChecked(getattr(settings.detection, field))
        for field, box in self.notifications.items():
            box.setChecked(getattr(settings.notifications, field))
        self.network.setChecked(settings.terms.network_enabled)
        self.check_hours.setValue(settings.terms.check_interval_hours)
        self.check_hours.setEnabled(settings.terms.network_enabled)
        self.archive.setChecked(settings.terms.archive_enabled)
        self.archive.setEnabled(settings.terms.network_enabled)
        self._detection_toggled(settings.detection.enabled)
        self.data_dir.setText(settings.general.data_dir)
        self.jurisdiction.setText(settings.general.jurisdiction)
        language = self.language.findData(settings.general.language)
        if language < 0 and settings.general.language:  # a language code the box does not list: kept as set
            self.language.addItem(settings.general.language, settings.general.language)
            language = self.language.count() - 1
        self.language.setCurrentIndex(max(language, 0))
        self.autostart.setChecked(settings.general.autostart)
        self.autostart.setEnabled(False)  # until the real entry is read
        self._shown_values = self._widget_values()
        self.tasks.submit(self.services.autostart_state, self._show_autostart,
                          lambda error: self.status.setText(
                              _("The log-in entry cannot be read: {error}").format(error=error)),
                          key="prefs-autostart", owner=self)

    def _show_autostart(self, state: AutostartState) -> None:
        self.autostart_state = state
        self.autostart_where.setText(_("Log-in entry: {location}").format(location=state.location))
        if state.enabled is None:
            self.autostart.setEnabled(False)
            self.status.setText(state.problem or _("The log-in entry cannot be read."))
            return
        edited = self.edited()
        self.autostart.setEnabled(True)
        self.autostart.setChecked(state.enabled)
        if not edited:
            self._shown_values = self._widget_values()

    def _widget_values(self) -> tuple[object, ...]:
        boxes = (self.detection_enabled, self.network, self.archive, self.autostart, *self.probes.values(),
                 *self.notifications.values())
        return (*(box.isChecked() for box in boxes), round(self.interval.value(), 1), self.check_hours.value(),
                self.data_dir.text().strip(), self.language.currentData(), self.jurisdiction.text().strip().upper())

    def edited(self) -> bool:
        """Whether the widgets hold changes not saved yet."""
        return self._shown_values is not None and self._widget_values() != self._shown_values

    def settings(self) -> Settings:
        """The settings the widgets show (always valid: the widgets' ranges are the model's)."""
        current = self.services.settings
        detection = current.detection.model_copy(update={
            "enabled": self.detection_enabled.isChecked(), "interval_seconds": round(self.interval.value(), 1),
            **{field: box.isChecked() for field, box in self.probes.items()}})
        notifications = current.notifications.model_copy(update={
            field: box.isChecked() for field, box in self.notifications.items()})
        terms = current.terms.model_copy(update={"network_enabled": self.network.isChecked(),
                                                 "archive_enabled": self.archive.isChecked(),
                                                 "check_interval_hours": float(self.check_hours.value())})
        general = current.general.model_copy(update={"autostart": self.autostart.isChecked(),
                                                     "data_dir": self.data_dir.text().strip(),
                                                     "language": str(self.language.currentData() or ""),
                                                     "jurisdiction": self.jurisdiction.text().strip().upper()})
        return Settings.model_validate({"general": general.model_dump(), "detection": detection.model_dump(),
                                        "notifications": notifications.model_dump(), "terms": terms.model_dump()})

    def save(self, over: str | None = None) -> Settings | None:
        """Write settings.toml and switch autostart (on the job runner), then tell the app
        (``settings_saved``). Writes only over the version of the file the tab showed (or
        ``over``, the version the user chose to write over): an edit made elsewhere since is
        announced, never overwritten unseen. Returns the settings being saved."""
        try:
            new = self.settings()
        except ValueError as error:  # cannot happen through the widgets; said plainly if it does
            self.status.setText(_("Not saved: {error}").format(error=say_error(error)))
            return None
        folder = new.general.data_dir
        if folder and not Path(folder).expanduser().is_absolute():
            # "data" would be read from wherever the app happens to start: records in several places
            self.status.setText(_("Not saved: the data folder must be a full path, such as {example}; a relative "
                                  "one would depend on where the app is started.").format(
                example=Path.home() / "MeetingGuard"))
            self.data_dir.setFocus()
            return None
        old = self.services.settings
        services = self.services
        follow_autostart = self.autostart.isEnabled()
        expected = over or self.shown_version
        self._conflict = None
        self.save_button.setEnabled(False)
        self.status.setText(_("Saving…"))

        def work() -> tuple[Settings, AutostartState | None]:
            found = services.settings_file_version()
            if found != expected:  # before the log-in entry is touched: nothing changes
                raise SettingsChangedError(services.settings_file, found)
            if folder and Path(folder).expanduser().exists() and not Path(folder).expanduser().is_dir():
                raise NotAFolder(_("Not saved: {path} is a file, not a folder; choose a folder for the data.").format(
                    path=folder))
            saved = new
            state = None
            if follow_autostart:
                state = services.apply_autostart(new.general.autostart, changed=True)
                if state.enabled is not None and state.enabled != new.general.autostart:
                    saved = new.model_copy(update={"general": new.general.model_copy(
                        update={"autostart": state.enabled})})
            services.save_settings(saved, expected_version=expected)
            return saved, state

        self.tasks.submit(work, lambda result: self._saved(old, *result), self._save_failed, key="prefs-save",
                          owner=self)
        return new

    def _saved(self, old: Settings, new: Settings, state: AutostartState | None) -> None:
        self.save_button.setEnabled(True)
        said = _("Saved to {path}.").format(path=self.services.settings_file)
        if new.general.data_dir != old.general.data_dir:
            said += " " + _("The new data folder is used from the next start.")
        if new.general.language != old.general.language:
            said += " " + _("The language applies to the menu now and to windows when they are next opened.")
        problems = [state.problem] if state is not None and state.problem else []
        self.status.setText(" ".join([said, *problems]))
        log.info("Preferences saved to %s", self.services.settings_file)
        self.settings_saved.emit(new)
        self.load()
        self.save_finished.emit(True)

    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, SettingsChangedError):
            self._conflict = error.found
            self.status.setText(_("Not saved."))
            self.file_notice.say(_("Not saved: {path} was changed outside this window (by hand, by the command line "
                                   "or from the tray menu) after this tab showed it. Show the file's values, or save "
                                   "the values shown here over it.").format(path=error.path),
                                 reload=True, overwrite=True)
        elif isinstance(error, NotAFolder):
            self.status.setText(str(error))
            self.data_dir.setFocus()
        elif isinstance(error, OSError):
            self.status.setText(_("Not saved: cannot write {path} ({error}).").format(
                path=self.services.settings_file, error=error.strerror))
        else:
            self.status.setText(_("Not saved: {error}").format(error=say_error(error)))
        self.save_finished.emit(False)

    def refresh_key_status(self) -> None:
        """Read again where the signing key lives (the first record creates it)."""
        self.keys.refresh()

    def stop_reading_key(self) -> None:
        """Nobody will see the key's status: stop reading it."""
        self.keys.stop()
