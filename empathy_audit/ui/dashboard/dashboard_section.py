"""The Dashboard: audit scores against CSAT and churn, with the table behind every chart.

Analytics and figures are built in the background (they read every review); the canvases
are swapped in when ready. Hover a point in the scatter to see the call; double-click it to
open the call in Review.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from empathy_audit.analytics.audit import AuditFilter, AuditReport
from empathy_audit.changes import Area, Changes
from empathy_audit.services import WorkspaceServices
from empathy_audit.ui import heap
from empathy_audit.ui.dashboard.chart_image import Rendered, render_figure
from empathy_audit.ui.dashboard.chart_panel import ChartPanel
from empathy_audit.ui.dashboard.comments_view import CommentsView
from empathy_audit.ui.dashboard.compare_view import CompareView
from empathy_audit.ui.dashboard.report_dialog import ReportDialog
from empathy_audit.ui.dialogs import confirm_replace
from empathy_audit.ui.empty_state import EmptyState
from empathy_audit.ui.when_shown import WhenShown
from empathy_audit.ui.workspace_runner import JobControl, WorkspaceRunner
from empathy_audit.wording import plural

if TYPE_CHECKING:
    from empathy_audit.analytics.chart_kit import Chart
    from empathy_audit.analytics.facts import FactTable

# matplotlib loads on first use, not at start-up: the window must be up before it.
ALL = "All"


CHART_COUNT = 7  # charts.all_charts: four audit charts, repeat contacts, speed vs empathy, high-value churn


def render_charts(charts: list[Chart], sizes: list[tuple[int, int, float]], report: AuditReport) -> list[Rendered]:
    """Every chart drawn at its panel's size, in the background; the scatter with its calls' positions."""
    from empathy_audit.analytics.chart_kit import DRAW_LOCK
    from empathy_audit.analytics.charts import scatter_points

    points = scatter_points(report)
    with DRAW_LOCK:
        return [
            render_figure(c.figure, *size, points=points if c.key == "scatter" and c.message is None else None)
            for c, size in zip(charts, sizes, strict=True)
        ]


def build_dashboard(
    services: WorkspaceServices,
    flt: AuditFilter,
    top_share: float = 0.25,
    facts: FactTable | None = None,
    sizes: list[tuple[int, int, float]] | None = None,
) -> tuple[AuditReport, list[Chart], FactTable, list[Rendered]]:
    """The dashboard's analytics, every chart, and the calls they read, loaded once for Compare and Comments
    too (in the background: it reads every reviewed call). `facts`: calls read before and unchanged since
    (a filter changed): not read again."""
    from dataclasses import replace

    from empathy_audit.analytics.charts import all_charts

    # Names are looked up through this job's connection (the caller's belongs to another thread).
    facts = services.audit.facts() if facts is None else replace(facts, details=services.audit.call_details)
    audit = services.audit.report(flt, facts, top_share)
    from empathy_audit.analytics.chart_kit import DRAW_LOCK

    with DRAW_LOCK:
        charts = all_charts(audit)
    return audit, charts, facts, render_charts(charts, sizes or [(540, 330, 1.0)] * len(charts), audit)


class DashboardSection(QWidget):
    call_activated = Signal(int)
    import_outcomes_requested = Signal()
    status_message = Signal(str)

    def __init__(self, services: WorkspaceServices, work: WorkspaceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.work = work
        self.when_shown = WhenShown(self, self._read_again)  # the workspace changed while not shown
        self.report: AuditReport | None = None
        self.charts: list[Chart] = []
        self._to_show: list[tuple[ChartPanel, Chart, Rendered]] = []  # charts still to be put on screen
        self._rendering = False
        self.facts: FactTable | None = None  # the calls last read; None: read them again (the workspace changed)
        self._generation = 0  # counts workspace changes, so calls read before one are not kept
        self._pending = False
        self._replaced = False  # a build replaced earlier charts, whose figures are garbage now
        self._busy = False
        self._export_folder = Path()
        self.show_dialogs = True
        self.run_dialog = lambda dialog: dialog.exec()  # tests fill dialogs in
        self.last_export: list[Path] = []

        self.from_box, self.to_box = QComboBox(), QComboBox()
        self.team_box, self.agent_box = QComboBox(), QComboBox()
        for box, name in (
            (self.from_box, "From quarter"),
            (self.to_box, "To quarter"),
            (self.team_box, "Team"),
            (self.agent_box, "Agent"),
        ):
            box.setToolTip(name)
            box.setAccessibleName(name)
            box.currentIndexChanged.connect(self.refresh)
        self.value_box = QComboBox()  # who counts as a high-value customer in the high-value churn chart
        for share in (0.10, 0.25, 0.50):
            self.value_box.addItem(f"Top {share:.0%}", share)
        self.value_box.setCurrentIndex(1)
        self.value_box.setToolTip("High-value customers: the top share of the imported customer values or tiers")
        self.value_box.setAccessibleName("High-value customers")
        self.value_box.currentIndexChanged.connect(self.refresh)
        import_button = QPushButton("Import Outcomes…")
        import_button.clicked.connect(self.import_outcomes_requested)
        export_button = QPushButton("Export Quarterly Report…")
        export_button.clicked.connect(self.export_report)
        bar = QHBoxLayout()
        for label, box in (
            ("From", self.from_box),
            ("to", self.to_box),
            ("Team", self.team_box),
            ("Agent", self.agent_box),
            ("High value", self.value_box),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(box)
        bar.addStretch(1)
        bar.addWidget(import_button)
        bar.addWidget(export_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.hover = QLabel(" ")

        self.panels = [ChartPanel() for _ in range(CHART_COUNT)]
        for panel in self.panels:
            panel.canvas.resized.connect(self.rerender)
        self.panels[1].canvas.hovered.connect(self._on_scatter_hover)  # the scatter: hover names a call
        self.panels[1].canvas.activated.connect(self.call_activated)
        grid_page = QWidget()
        grid = QGridLayout(grid_page)
        for i, panel in enumerate(self.panels):
            grid.addWidget(panel, i // 2, i % 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_page)
        self.empty = EmptyState(
            "No reviewed calls yet",
            "The dashboard compares audit scores with CSAT and churn. Submit reviews in the Review section, "
            "then import outcomes (CSAT, churn) from your CRM or survey export.",
            [("Import Outcomes…", self.import_outcomes_requested.emit)],
        )
        self.compare_view = CompareView(work)
        self.compare_view.status_message.connect(self.status_message)
        self.comments_view = CommentsView(work)
        self.comments_view.call_activated.connect(self.call_activated)
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(scroll, "Charts")
        self.views.addTab(self.compare_view, "Compare")
        self.views.addTab(self.comments_view, "Comments")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.views)
        self.pages.addWidget(EmptyState("Reading the reviewed calls…", "The figures appear as soon as they are ready."))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.hover)
        layout.addWidget(self.pages, 1)
        self.fill_filters()

    # -- filters ----------------------------------------------------------------
    def fill_filters(self) -> None:
        choices = self.services.audit.filter_choices()
        quarters = sorted(choices["quarter"])
        for box, values in (
            (self.from_box, quarters),
            (self.to_box, quarters),
            (self.team_box, choices["team"]),
            (self.agent_box, choices["agent"]),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(ALL, None)
            for value in values:
                box.addItem(value, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            quarter_from=self.from_box.currentData(),
            quarter_to=self.to_box.currentData(),
            team=self.team_box.currentData(),
            agent=self.agent_box.currentData(),
        )

    # -- building -----------------------------------------------------------------
    def on_workspace_changed(self, changes: Changes) -> None:
        if not changes.touches(Area.AUDIT, Area.OUTCOMES, Area.CALLS):
            return
        self.facts, self._generation = None, self._generation + 1
        self.compare_view.when_shown.pending = self.comments_view.when_shown.pending = False  # new calls coming
        self.when_shown.request()

    def build_first_time(self) -> None:
        """The first build, once the window is up (it loads matplotlib and reads every reviewed call), unless
        one is under way (shown after a change, the section started it)."""
        if self.report is None and not self._busy:
            self.fill_filters()
            QTimer.singleShot(0, lambda: self.report is None and not self._busy and self.refresh())

    def _read_again(self) -> None:
        self.fill_filters()
        self.refresh()

    def refresh(self) -> None:
        if self._busy:
            self._pending = True
            return
        self._busy = True
        flt, share, facts = self.current_filter(), self.value_box.currentData(), self.facts
        sizes = [panel.wanted_size() for panel in self.panels]
        self._built_from = self._generation
        self.summary.setText("Updating…")
        if self.report is None:  # the first build: say it is loading, not that there is nothing
            self.pages.setCurrentIndex(2)
        self.work.run(
            "Dashboard",
            lambda services, _job: build_dashboard(services, flt, share, facts, sizes),
            self._on_build_finished,
            on_failed=self._on_build_failed,
            visible=False,
        )

    def _on_build_finished(self, result: tuple[AuditReport, list[Chart], FactTable, list[Rendered]]) -> None:
        self._replaced = bool(self.charts)
        self.report, self.charts, facts, rendered = result
        self.facts = facts if self._built_from == self._generation else None
        report = self.report
        self.services.audit.attach(report)  # the job's connection is closed; names are read through ours
        facts.details = self.services.audit.call_details
        self.compare_view.set_facts(facts)
        self.comments_view.set_facts(facts, self.current_filter())
        if not report.n and not len(report.flagged_table):
            self.pages.setCurrentIndex(0)
            self.summary.setText("")
        else:
            self.pages.setCurrentIndex(1)
            self._to_show = list(zip(self.panels, self.charts, rendered, strict=True))
            text = (  # counted on the columns: no per-call objects for 50,000 calls on the GUI thread
                f"{report.n} reviewed calls · {report.n_csat} with CSAT · {report.n_churn} with churn known · "
                f"{len(report.quiet_rows)} quiet churners (CSAT 4–5 but churned)"
            )
            if len(report.flagged_table):
                text += f" · {len(report.flagged_table)} calls where empathy-first did not apply, kept apart"
            self.summary.setText(text + (f" · reviewers: {', '.join(report.reviewers)}" if report.reviewers else ""))
        self._show_next_chart()

    def _show_next_chart(self) -> None:
        """One chart per turn of the event loop (each costs tens of milliseconds): the window never stalls."""
        if self._to_show:
            panel, chart, picture = self._to_show.pop(0)
            panel.show_chart(chart, picture)
            QTimer.singleShot(0, self._show_next_chart)
            return
        if self._replaced:  # the last build's figures, freed now: one build's worth, not several at once
            self._replaced = False
            heap.collect()
        self._busy = False
        if self._pending:
            self._pending = False
            self.refresh()

    def _on_build_failed(self, message: str) -> None:
        self._busy = False
        self.summary.setText(f"The dashboard could not be built: {message}")

    # -- scatter interaction and resizing ------------------------------------------------------
    def _on_scatter_hover(self, call_id: int | None) -> None:
        if call_id is None or self.report is None:
            self.hover.setText(" ")
            return
        (fact,) = self.report.table.facts(np.flatnonzero(self.report.table.call_id == call_id))
        churn = "" if fact.churned is None else (", churned" if fact.churned else ", stayed")
        self.hover.setText(
            f"{fact.name} · {fact.agent or 'no agent'} · audit {fact.score:.2f} · CSAT "
            f"{fact.csat_shown}{churn} (double-click to open)"
        )

    def rerender(self) -> None:
        """A panel changed size: draw the charts again at the new sizes, in the background."""
        if self._busy or self._rendering or self.report is None or not self.charts:
            return
        self._rendering = True
        charts, report, sizes = self.charts, self.report, [panel.wanted_size() for panel in self.panels]

        def done(pictures: list[Rendered]) -> None:
            self._rendering = False
            if charts is self.charts:  # not replaced by a newer build meanwhile
                for panel, picture in zip(self.panels, pictures, strict=True):
                    panel.canvas.show_rendered(picture)

        def failed(_message: str) -> None:
            self._rendering = False

        self.work.run("Charts", lambda _s, _j: render_charts(charts, sizes, report), done, on_failed=failed,
                      visible=False)  # fmt: skip

    # -- export ---------------------------------------------------------------------
    def export_report(self) -> None:
        """Ask what the report covers (the dashboard's filters unless changed) and where it goes, then write it."""
        choices = self.services.audit.filter_choices()
        quarter = self.to_box.currentData() or next(iter(sorted(choices["quarter"], reverse=True)), None)
        dialog = ReportDialog(
            choices,
            quarter,
            self.team_box.currentData(),
            self.agent_box.currentData(),
            self._export_folder if str(self._export_folder) != "." else Path.home(),
            self.services.audit.reviewed_count,
            self,
        )
        if not self.run_dialog(dialog):
            return
        quarter, team, agent, paper, folder = dialog.selection()
        if self.show_dialogs and not confirm_replace(self, folder, f"empathy-audit-{quarter}*"):
            return
        self.start_export(quarter, folder, team=team, agent=agent, paper=paper, overwrite=True)

    def start_export(
        self,
        quarter: str,
        folder: Path,
        team: str | None = None,
        agent: str | None = None,
        paper: str | None = None,
        overwrite: bool = False,
    ) -> None:
        def op(services: WorkspaceServices, job: JobControl) -> object:
            return services.audit.write_quarterly_report(
                quarter, folder, team=team, agent=agent, paper=paper, report=job.report, overwrite=overwrite
            )

        self._export_folder = folder
        self.work.run("Report", op, self._on_export_finished, on_failed=self._on_export_failed)

    def _on_export_failed(self, message: str) -> None:
        self.status_message.emit(f"Report failed: {message}")

    def _on_export_finished(self, result: object) -> None:
        files: list[Path] = getattr(result, "files", [])
        self.last_export = files
        self.status_message.emit(f"Wrote {plural(len(files), 'report file')} to {self._export_folder}")
        if not self.show_dialogs:
            return
        pdf = next((f for f in files if f.suffix == ".pdf"), None)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Report Written",
            f"Wrote {plural(len(files), 'file')} to {self._export_folder}.",
            parent=self,
        )
        open_pdf = box.addButton("Open PDF", QMessageBox.ButtonRole.AcceptRole) if pdf else None
        open_folder = box.addButton("Open Folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        target = (
            pdf
            if box.clickedButton() is open_pdf
            else self._export_folder
            if box.clickedButton() is open_folder
            else None
        )
        if target is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
