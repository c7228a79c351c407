#!/usr/bin/env bash
# Fuzzes one target, or every target one after another, for longer than mvn verify does.
#
#   core/fuzz.sh TARGET [SECONDS]    fuzz TARGET for SECONDS (600 unless given)
#   core/fuzz.sh all [SECONDS]       every target in turn, SECONDS each
#
# Targets: configuration expressions client-ip feeds access-rules challenge admin (the fuzz-TARGET
# executions of surefire in core/pom.xml and servlet-filter/pom.xml). Each run goes on from the corpus the
# last one left in MODULE/target/fuzz/TARGET/.cifuzz-corpus, logs to MODULE/target/fuzz/TARGET/fuzz.log,
# and stops at the first finding, written beside the log as crash-*, timeout-* or oom-*. To keep one as a
# regression input, copy it into MODULE/src/test/resources/<package>/<Class>Inputs/<method>/.
#
# FUZZ_KEEP_GOING=N goes on past the first N findings with distinct stack traces (a hang still ends the
# run), so that one long run shows them all. FUZZ_MAVEN_ARGS is passed to every mvn call (for example -o).
# The runs are niced: each takes one core.
set -euo pipefail
cd "$(dirname "$0")/.."

all="configuration expressions client-ip feeds access-rules challenge admin"
target=${1:-}
seconds=${2:-600}
if [ -z "$target" ] || ! [[ " $all all " == *" $target "* ]] || ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: core/fuzz.sh TARGET|all [SECONDS]; targets: $all" >&2
  exit 2
fi
[ "$target" = all ] && targets=$all || targets=$target
read -r -a mvn_args <<< "${FUZZ_MAVEN_ARGS:-}"
[ -n "${FUZZ_KEEP_GOING:-}" ] && mvn_args+=("-Djazzer.keep_going=$FUZZ_KEEP_GOING")

echo "building (mvn install -DskipTests) ..."
mvn -B -q "${mvn_args[@]}" install -DskipTests

failed=0
for t in $targets; do
  module=core
  [ "$t" = admin ] && module=servlet-filter
  dir=$module/target/fuzz/$t
  mkdir -p "$dir"
  echo "fuzzing $t for ${seconds}s; log: $dir/fuzz.log"
  before=$(ls "$dir")
  if nice -n 10 mvn -B "${mvn_args[@]}" -pl "$module" "surefire:test@fuzz-$t" -Dfuzz.seconds="$seconds" \
      -Dfuzz.fork-timeout-seconds=$((seconds + 600)) -Dfuzz.verbosity=1 > "$dir/fuzz.log" 2>&1; then
    status=passed
  else
    status=FAILED
    failed=1
  fi
  found=$(comm -13 <(echo "$before") <(ls "$dir") | grep -E '^(crash|timeout|oom|slow-unit)-' | tr '\n' ' ' || true)
  [ -n "$found" ] && failed=1
  runs=$(grep -ho 'number_of_executed_units: *[0-9]*' "$dir/fuzz.log" | grep -o '[0-9]*$' | tail -1)
  echo "$t: $status, ${runs:-?} executions, findings: ${found:-none} (in $dir)"
done
exit $failed
