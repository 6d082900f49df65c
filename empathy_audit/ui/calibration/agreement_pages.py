"""Calibration's Agreement and "Where They Disagree" tabs: how far reviewers agree, and the calls where they
differ most with their scores and evidence side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QTableView, QVBoxLayout, QWidget

from empathy_audit.transcription.formats import format_duration
from empathy_audit.ui.rows_model import rows_model
from empathy_audit.wording import plural

if TYPE_CHECKING:  # numpy loads with the first report
    from empathy_audit.calibration.report import CalibrationReport


def number_text(value: float | None, pct: bool = False, signed: bool = False) -> str:
    if value is None:
        return "—"
    if pct:
        return f"{value * 100:.0f}%"
    return f"{value:+z.2f}" if signed else f"{value:.2f}"


def alpha_reading(alpha: float | None) -> str:
    """How far an alpha can be trusted (Krippendorff's own thresholds)."""
    if alpha is None:
        return "—"
    return "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "not yet"


ALPHA_GUIDE = (
    "How to read alpha: 0.80 or more, reviewers agree well enough to rely on their scores; 0.667 to 0.80, "
    "tentatively; below 0.667, not yet: talk through the calls where they disagree, then score again."
)


def table_view() -> QTableView:
    view = QTableView()
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view


class AgreementPage(QWidget):
    CAPTIONS = (
        "Agreement per criterion (Krippendorff's alpha, ordinal; exact and ±1 agreement over rater pairs)",
        "Pairs of reviewers (quadratic-weighted Cohen's kappa over every criterion)",
        "Leniency (+) or severity (−): mean difference from gold, or from the others where there is no gold",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agreement_table, self.pairs_table, self.bias_table = table_view(), table_view(), table_view()
        self.hidden_note = QLabel()
        self.hidden_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hidden_note)
        for caption, view in zip(self.CAPTIONS, (self.agreement_table, self.pairs_table, self.bias_table), strict=True):
            label = QLabel(caption)
            label.setWordWrap(True)
            layout.addWidget(label)
            layout.addWidget(view, 1)
            if view is self.agreement_table:
                guide = QLabel(ALPHA_GUIDE)
                guide.setWordWrap(True)
                guide.setStyleSheet("color: #444")
                layout.addWidget(guide)

    @staticmethod
    def _agreement_row(a: object) -> list:
        n = number_text
        alpha = a.alpha  # type: ignore[attr-defined]
        return [a.label, n(alpha), alpha_reading(alpha), a.n_units, n(a.exact, True), n(a.adjacent, True), a.n_pairs]  # type: ignore[attr-defined]

    def show_report(self, report: CalibrationReport) -> None:
        self.hidden_note.setText(
            f"{plural(report.hidden_calls, 'call')} {'is' if report.hidden_calls == 1 else 'are'} hidden from "
            f"{report.viewer} until you submit your own review of them."
            if report.hidden_calls
            else ""
        )
        n = number_text
        self.agreement_table.setModel(
            rows_model(
                ["Criterion", "Alpha", "Reading", "Units", "Exact", "Within ±1", "Pairs"],
                [self._agreement_row(a) for a in report.agreement],
            )
        )
        self.pairs_table.setModel(
            rows_model(["Reviewer", "Reviewer", "Kappa", "n"], [[p.a, p.b, n(p.kappa), p.n] for p in report.pairs])
        )
        self.bias_table.setModel(
            rows_model(
                ["Reviewer", "Mean difference", "Against", "n"],
                [[b.reviewer, n(b.mean_difference, signed=True), b.against, b.n] for b in report.bias],
            )
        )
        for view in (self.agreement_table, self.pairs_table, self.bias_table):
            view.resizeColumnsToContents()


class DisagreementPage(QSplitter):
    call_activated = Signal(object)  # call id (None: its audio is not here)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: CalibrationReport | None = None
        self.spread_list = QListWidget()
        self.spread_list.currentRowChanged.connect(self.show_spread)
        self.spread_list.itemDoubleClicked.connect(
            lambda item: self.call_activated.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.spread_scores, self.spread_evidence = table_view(), table_view()
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Scores side by side"))
        layout.addWidget(self.spread_scores, 1)
        layout.addWidget(QLabel("Their evidence moments"))
        layout.addWidget(self.spread_evidence, 1)
        self.addWidget(self.spread_list)
        self.addWidget(right)
        self.setStretchFactor(1, 2)

    def show_report(self, report: CalibrationReport) -> None:
        self.report = report
        self.spread_list.clear()
        for row in report.spread:
            label = (
                f"{plural(round(row.spread), 'point')} apart · {row.name}"
                if len(row.scores) >= 2
                else f"— · {row.name}"
            )
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, row.call_id)
            self.spread_list.addItem(item)
        self.spread_list.setCurrentRow(0 if report.spread else -1)

    def show_spread(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.report.spread):
            self.spread_scores.setModel(rows_model([], []))
            self.spread_evidence.setModel(rows_model([], []))
            return
        row = self.report.spread[index]
        reviewers = list(row.scores)
        rubric_rows = [a for a in self.report.agreement if a.key != "overall"]
        self.spread_scores.setModel(
            rows_model(
                ["Criterion", *(f"{r} (gold)" if r == self.report.lead else r for r in reviewers)],
                [
                    [a.label, *("N/A" if (v := row.scores[r].get(a.key, "—")) is None else v for r in reviewers)]
                    for a in rubric_rows
                ],
            )
        )
        labels = {a.key: a.label for a in rubric_rows}
        self.spread_evidence.setModel(
            rows_model(
                ["Reviewer", "Criterion", "Moment"],
                [
                    [
                        r,
                        labels.get(e["criterion"], e["criterion"]),
                        f"{format_duration(e['start_s'])}–{format_duration(e['end_s'])}",
                    ]
                    for r in reviewers
                    for e in row.evidence.get(r, [])
                ],
            )
        )
        for view in (self.spread_scores, self.spread_evidence):
            view.resizeColumnsToContents()
