#!/bin/sh
# The CLI's whole output on the project's own reports, one file per run, for comparing a
# refactor's before and after (with findings_snapshot.py, which covers the API):
#
#     sh scripts/cli_snapshot.sh /tmp/before   # ... the refactor ...
#     sh scripts/cli_snapshot.sh /tmp/after && diff -r /tmp/before /tmp/after
#
# Offline (no --check-links). Each file ends with the run's exit code; stderr is kept.
set -u
out=$1
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$out"
seed=seeds/hf-daily-papers-2026-02-20.md
run() {
    name=$1
    shift
    digestlint "$@" >"$out/$name" 2>"$out/$name.stderr"
    echo "exit $?" >>"$out/$name"
}
python scripts/findings_snapshot.py >"$out/findings.json"
for format in json github gitlab junit sarif text html; do
    run "seed.$format" check --format "$format" "$seed"
    run "seed.unsafe.$format" check --format "$format" --unsafe-fixes "$seed"
done
for format in json text; do
    run "seed.statistics.$format" check --format "$format" --statistics "$seed"
done
run seed.diff check --diff "$seed"
run seed.diff.unsafe check --diff --unsafe-fixes "$seed"
digestlint check --fix --stdin-filename "$seed" - <"$seed" >"$out/seed.fix" 2>"$out/seed.fix.stderr"
echo "exit $?" >>"$out/seed.fix"
run all.json check --format json examples tests seeds
run all.diff check --diff examples tests seeds
run all.diff.unsafe check --diff --unsafe-fixes examples tests seeds
run all.sarif check --format sarif examples tests seeds
run rules.md rule --all
run rules.json rule --all --format json
