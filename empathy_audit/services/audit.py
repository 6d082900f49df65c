"""The audit: each call's one score, the dashboard's analytics and the quarterly report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from empathy_audit.jobs import Report, no_report
from empathy_audit.store import Workspace
from empathy_audit.store.audit import call_details, call_scores, reviewed_count, reviewed_quarters
from empathy_audit.store.library import filter_choices
from empathy_audit.store.outcomes import call_comment

if TYPE_CHECKING:  # numpy and matplotlib load on first use, not with the window
    from empathy_audit.analytics.audit import AuditReport
    from empathy_audit.analytics.comments import CommentRow
    from empathy_audit.analytics.compare import CallSet, Comparison
    from empathy_audit.analytics.facts import AuditFilter, FactTable
    from empathy_audit.analytics.report import ReportResult


class AuditService:
    def __init__(self, store: Workspace) -> None:
        self._store = store

    def scores(self) -> dict[int, tuple[float, int]]:
        """call id -> (audit score, reviewers averaged): the one score every screen shows."""
        return call_scores(self._store.db)

    def reviewed_count(self, quarter: str, team: str | None = None, agent: str | None = None) -> int:
        return reviewed_count(self._store.db, quarter, team, agent)

    def reviewed_quarters(self) -> list[str]:
        """Quarters with reviewed calls, newest first: where a lead or trainer starts."""
        return reviewed_quarters(self._store.db)

    def filter_choices(self) -> dict[str, list[str]]:
        return filter_choices(self._store.db)

    def facts(self) -> FactTable:
        """Every reviewed call with its outcomes as columns, read once; the dashboard's charts and its
        comparisons all work on one such table."""
        from empathy_audit.analytics.facts import load_facts

        table = load_facts(self._store.db)
        table.details = self.call_details
        return table

    def report(
        self, flt: AuditFilter | None = None, facts: FactTable | None = None, top_share: float | None = 0.25
    ) -> AuditReport:
        """The dashboard's analytics over the reviewed calls a filter selects (of `facts` when given);
        high-value customers are the top `top_share` of known values."""
        from empathy_audit.analytics.audit import build_report

        result = build_report(self._store.db, flt, facts, top_share)
        self.attach(result)
        return result

    def attach(self, result: AuditReport) -> AuditReport:
        """Let a report built elsewhere (another connection, now closed) look names up through this one."""
        result.table.details = result.flagged_table.details = self.call_details
        return result

    def compare(self, a: CallSet, b: CallSet, facts: FactTable | None = None) -> Comparison:
        """A against B on audit score, CSAT, repeat contacts, churn and handle time (see analytics/compare.py)."""
        from empathy_audit.analytics.compare import compare

        return compare(facts if facts is not None else self.facts(), a, b)

    def comments(
        self,
        search: str = "",
        band: str | None = None,
        flt: AuditFilter | None = None,
        facts: FactTable | None = None,
    ) -> list[CommentRow]:
        """Survey comments by the audit band of their call (analytics/comments.py)."""
        from empathy_audit.analytics.comments import comments_by_band

        return comments_by_band(self._store.db, facts if facts is not None else self.facts(), search, band, flt)

    def call_comment(self, call_id: int) -> tuple[str, str] | None:
        """A call's survey comment and where it came from, or None."""
        return call_comment(self._store.db, call_id)

    def call_details(self, call_ids: list[int]) -> dict[int, tuple]:
        return call_details(self._store.db, call_ids)

    def write_quarterly_report(
        self,
        quarter: str,
        out_dir: Path,
        team: str | None = None,
        formats: tuple[str, ...] | None = None,
        report: Report = no_report,
        per_agent: int = 5,
        overwrite: bool = False,
        agent: str | None = None,
        paper: str | None = None,
        top_share: float | None = 0.25,
        compare: tuple[CallSet, CallSet] | None = None,
    ) -> ReportResult:
        """The quarter's report files in `out_dir` (OutputProblem: it is the workspace's, a file, read-only, or
        already holds a report of that quarter and `overwrite` was not given)."""
        from empathy_audit.analytics.report import FORMATS, write_report

        self._store.check_output_folder(out_dir, f"empathy-audit-{quarter}*", overwrite)
        return write_report(
            self._store.db,
            quarter,
            out_dir,
            team=team,
            formats=formats or FORMATS,
            report=report,
            per_agent=per_agent,
            agent=agent,
            paper=paper,
            top_share=top_share,
            compare=compare,
        )
