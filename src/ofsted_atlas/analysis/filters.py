"""Which reports an analysis covers: one filter object, turned into SQL in one place."""

from __future__ import annotations

from dataclasses import dataclass

from ofsted_atlas.store.search import like_escape

GRADE_ORDER = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")
NOT_YET_GOOD = frozenset({"requires_improvement", "adequate", "inadequate"})


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # ISO date: inspection ended on or after
    until: str | None = None  # ISO date: inspection ended on or before
    frameworks: tuple[str, ...] = ()  # ids or prefixes ("ilacs")
    regions: tuple[str, ...] = ()
    publication_type: str = "inspection"

    def sql(self, alias: str = "r") -> tuple[str, list[object]]:
        """A WHERE fragment (starting with the status test) and its parameters."""
        clauses = [f"{alias}.status = 'parsed'", f"{alias}.publication_type = ?"]
        params: list[object] = [self.publication_type]
        date = f"COALESCE({alias}.inspection_end, {alias}.published)"
        if self.since:
            clauses.append(f"{date} >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{date} <= ?")
            params.append(self.until)
        if self.frameworks:
            ors = []
            for framework in self.frameworks:
                ors.append(f"({alias}.framework = ? OR {alias}.framework LIKE ? ESCAPE '\\')")
                params += [framework, f"{like_escape(framework)}\\_%"]
            clauses.append("(" + " OR ".join(ors) + ")")
        if self.regions:
            clauses.append(f"{alias}.region IN ({', '.join('?' for _ in self.regions)})")
            params += list(self.regions)
        return " AND ".join(clauses), params

    def describe(self) -> str:
        parts = []
        if self.since or self.until:
            parts.append(f"inspections ending {self.since or 'any time'} to {self.until or 'now'}")
        if self.frameworks:
            parts.append("frameworks " + ", ".join(self.frameworks))
        if self.regions:
            parts.append("regions " + ", ".join(self.regions))
        return "; ".join(parts) or "all inspections"
