#!/usr/bin/env bash
# `make mutation`: mutmut on the parse, store and coding packages (pyproject.toml [tool.mutmut])
# against the unit tests. A deterministic sample, bounded in time: every function's mutants
# numbered MUTATION_SAMPLE (default "2 6": about one mutant in five), for at most
# MUTATION_MINUTES (default 25). Prints the kill rate of the mutants tested.
set -u
VENV=${VENV:-.venv}
patterns=()
for n in ${MUTATION_SAMPLE:-2 6}; do patterns+=("ofsted_atlas.*__mutmut_${n}"); done
timeout "${MUTATION_MINUTES:-25}m" "$VENV/bin/mutmut" run --max-children 2 "${patterns[@]}" \
    > mutants-run.log 2>&1
status=$?
[ "$status" = 124 ] && echo "mutation: stopped at the time limit; the score covers the mutants tested"
"$VENV/bin/mutmut" results --all true > mutants-results.txt 2>/dev/null
"$VENV/bin/python" - <<'PY'
import collections, pathlib
counts = collections.Counter()
for line in pathlib.Path("mutants-results.txt").read_text().splitlines():
    name, _, status = line.strip().rpartition(": ")
    if name:
        counts[status.strip()] += 1
caught = counts["killed"] + counts["timeout"]
tested = caught + counts["survived"] + counts["suspicious"]
print("mutation:", dict(counts))
if tested:
    print(f"mutation: {caught} of {tested} mutants tested were caught ({100 * caught / tested:.0f}%)"
          " (goal >= 80%); survivors: grep survived mutants-results.txt, then mutmut show NAME")
PY
