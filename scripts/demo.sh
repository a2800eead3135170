#!/usr/bin/env bash
# `make demo`: the main job end to end on the embedded SQLite default, then the web app.
# Reports come from ../shared/corpus/reports when present, else from the Ofsted website (sync).
set -uo pipefail
atlas="$VENV/bin/ofsted-atlas"
if [ -d "$REPORTS" ]; then
    "$atlas" ingest "$REPORTS" --db "$DB" --reference "$SHARED/reference" || exit 1
else
    echo "No reports at $REPORTS: fetching them from the Ofsted website (ofsted-atlas sync)."
    if ! "$atlas" sync --db "$DB" --retries 1 --reference "$SHARED/reference"; then
        echo
        echo "The Ofsted website could not be reached and there are no local reports at $REPORTS."
        echo "Point the demo at a folder of report PDFs:  make demo REPORTS=/path/to/reports"
        echo "or ingest directly:  $atlas ingest /path/to/reports"
        exit 0
    fi
fi
"$atlas" code --db "$DB" || exit 1
echo
echo "Example search (management oversight, reports judged inadequate):"
"$atlas" search "management oversight" --grade inadequate --limit 3 --db "$DB"
"$atlas" export reports --format csv --output data/reports.csv --db "$DB"
"$atlas" export judgements --format xlsx --output data/judgements.xlsx --db "$DB"
"$atlas" brief weaknesses --format html --output data/briefings/weaknesses.html --db "$DB"
# Readiness: an example self-evaluation (invented, examples/self-evaluations) read against
# Barking and Dagenham's last inspection; when that council is not in the database, say so.
"$atlas" readiness 301 examples/self-evaluations/thorough.md --db "$DB" \
    --reference "$SHARED/reference" --format html --output data/briefings/readiness.html \
    || echo "(no readiness briefing: Barking and Dagenham's inspection is not in the database)"
echo
echo "Database: $DB  (CLI: $atlas --help)"
exec "$atlas" serve --db "$DB" --reference "$SHARED/reference" --host "$HOST" --port "$PORT"
