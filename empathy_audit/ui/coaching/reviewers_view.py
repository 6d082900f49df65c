"""Grading the graders: per reviewer, the quarter's reviews per week, median minutes per review, dispute and
overturn rates (in all and per criterion) and leniency (coaching/graders.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from empathy_audit.services import WorkspaceServices
from empathy_audit.ui.rows_model import rows_model
from empathy_audit.wording import CRITERION_LABELS as LABELS


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


class ReviewersView(QWidget):
    def __init__(self, services: WorkspaceServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.quarter: str | None = None
        self.table = QTableView()
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Reviewers")
        self.criteria = QTableView()
        self.criteria.verticalHeader().hide()
        self.criteria.setAccessibleName("Disputes per reviewer and criterion")
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel("<b>Disputes per criterion</b>"))
        layout.addWidget(self.criteria, 1)
        layout.addWidget(self.note)

    def show_quarter(self, quarter: str | None) -> None:
        self.quarter = quarter
        stats = self.services.coaching.reviewers(quarter) if quarter else []
        self.table.setModel(
            rows_model(
                ["Reviewer", "Reviews", "Per week (weeks with reviews)", "Median minutes", "Timed", "Disputed",
                 "Decided", "Overturned", "Leniency"],
                [[s.reviewer, s.reviews, f"{s.weekly:.1f} ({len(s.per_week)} of {s.weeks})",
                  "" if s.median_minutes is None else f"{s.median_minutes:.1f}", s.timed, _pct(s.dispute_rate),
                  s.decided, _pct(s.overturn_rate), "" if s.leniency is None else f"{s.leniency:+z.2f}"]
                 for s in stats],
            )
        )  # fmt: skip
        self.criteria.setModel(
            rows_model(
                ["Reviewer", "Criterion", "Disputed", "Decided", "Overturned", "Overturn rate"],
                [[s.reviewer, LABELS.get(c.criterion, c.criterion), c.disputed, c.decided, c.overturned,
                  _pct(c.overturn_rate)] for s in stats for c in s.criteria],
            )
        )  # fmt: skip
        for view in (self.table, self.criteria):
            view.resizeColumnsToContents()
            view.horizontalHeader().setStretchLastSection(True)
        self.note.setText(
            f"{quarter or 'No quarter'}: audit reviews submitted in the quarter. Minutes are active time in Review "
            "(the call shown and the reviewer active; idle over a minute not counted), from reviews timed by this "
            "version. Overturned: accepted or partly accepted disputes of those decided. Leniency: mean difference "
            "from gold or consensus in the latest calibration session (+ lenient, − severe)."
            if stats
            else f"No audit reviews were submitted in {quarter}."
            if quarter
            else "No reviews yet."
        )
