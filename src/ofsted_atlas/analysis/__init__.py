"""Stage 6: analyses over the store, used by the CLI, the briefings and the web app.

- `grade_statistics`: counts and shares of grades by framework, year, region, authority type.
- `theme_association`: which themes (and polarities) separate inadequate from good councils,
  with Fisher's exact test, Benjamini-Hochberg correction, effect sizes and evidence quotes.
- `trajectory`: one authority's inspections, grades, theme changes and recurring recommendations.
- `neighbours`: an authority's statistical neighbours and their latest grades.
"""

from .filters import Filters
from .grades import GradeTable, annex_rows, grade_statistics
from .neighbours import NeighbourRow, neighbours
from .themes import Evidence, ThemeAssociation, theme_association
from .trajectory import Inspection, RecurringRecommendation, Trajectory, trajectory

__all__ = [
    "Evidence",
    "Filters",
    "GradeTable",
    "Inspection",
    "NeighbourRow",
    "RecurringRecommendation",
    "ThemeAssociation",
    "Trajectory",
    "annex_rows",
    "grade_statistics",
    "neighbours",
    "theme_association",
    "trajectory",
]
