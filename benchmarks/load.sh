#!/usr/bin/env bash
# What the Gatehouse filter costs an application under load: the same tiny servlet on embedded Jetty
# without the filter (A) and with it on the full policy (B), driven alternately A B A B by wrk on
# 127.0.0.1. Prints requests/s, p50 and p99 latency of each side (median over the rounds) and the
# throughput ratio. The target is a ratio of at least 95%.
#
# It also prints the server's CPU time per request (user and system, from /proc), which a busy or
# shared machine disturbs far less than throughput: the difference between the sides is what the
# filter costs per request.
#
#   benchmarks/load.sh                       # 5 rounds of 10 s per side, wrk -t1 -c16
#   LOAD_ROUNDS=6 LOAD_SECONDS=20 benchmarks/load.sh
#   LOAD_RULES=1000 benchmarks/load.sh      # the full policy with 1,000 custom rules
#
# Settings (environment):
#   LOAD_ROUNDS          rounds, each one run of A and one of B             (5)
#   LOAD_SECONDS         length of each run, in seconds                     (10)
#   LOAD_WARMUP_SECONDS  discarded run on each side before the rounds       (15)
#   LOAD_THREADS         wrk threads                                        (1)
#   LOAD_CONNECTIONS     wrk connections                                    (16)
#   LOAD_POLICY          the filtered side: full or small (the filter on that policy), empty (the
#                        filter with nothing to check), pass (a filter that only passes requests
#                        on: the container's cost of any filter), or cluster: both sides run the
#                        filter on the full policy, B in a cluster on Redis (LOAD_REDIS, or a
#                        redis-server of the script's own), A alone; the target is then 99%  (full)
#   LOAD_REDIS           with LOAD_POLICY=cluster, the Redis to use (redis://host:port/0)
#   LOAD_RULES           custom rules of the full or small policy           (100)
#                        (LoadServer --rules), 1 to 100000; with LOAD_POLICY=cluster on both
#                        sides, with empty or pass an error
#   LOAD_HEAP            heap of each server JVM, -Xms and -Xmx             (2g)
#   LOAD_JFR             a file: record the filtered server with Java Flight Recorder into it; read
#                        it with JDK Mission Control or `jfr print --events jdk.ExecutionSample FILE`
#
# Each side runs in its own JVM with the same flags, so neither shares JIT profiles, heap or GC with
# the other: B is what a deployment with the filter runs, A what one without it runs. Only one side is
# driven at a time. wrk and the server share the machine's cores, so wrk is kept small; pinning is left
# alone so that the script runs anywhere.
set -euo pipefail

rounds=${LOAD_ROUNDS:-5}
seconds=${LOAD_SECONDS:-10}
warmup=${LOAD_WARMUP_SECONDS:-15}
threads=${LOAD_THREADS:-1}
connections=${LOAD_CONNECTIONS:-16}
policy=${LOAD_POLICY:-full}
heap=${LOAD_HEAP:-2g}
rules=${LOAD_RULES:-100}
jfr=${LOAD_JFR:-}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
jar="$here/target/benchmarks.jar"
lua="$here/load.lua"

die() {
  echo "load.sh: $*" >&2
  exit 1
}

for n in rounds seconds warmup threads connections; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "LOAD_${n^^} must be a whole number, not '${!n}'"
done
((rounds > 0 && seconds > 0 && threads > 0 && connections >= threads)) \
  || die "need LOAD_ROUNDS > 0, LOAD_SECONDS > 0 and LOAD_CONNECTIONS >= LOAD_THREADS > 0"
[[ $policy =~ ^(full|small|empty|pass|cluster)$ ]] \
  || die "LOAD_POLICY must be full, small, empty, pass or cluster, not '$policy'"
# At most six digits before any arithmetic: bash would wrap a longer number, and read 0100 as octal.
[[ $rules =~ ^[0-9]{1,6}$ ]] && ((10#$rules >= 1 && 10#$rules <= 100000)) \
  || die "LOAD_RULES must be a whole number from 1 to 100000, not '$rules'"
rules=$((10#$rules))
if [[ -n ${LOAD_RULES:-} && ($policy == empty || $policy == pass) ]]; then
  die "LOAD_RULES needs a policy with custom rules (LOAD_POLICY full, small or cluster), not '$policy'"
fi

if ! command -v wrk >/dev/null; then
  echo "# installing wrk"
  sudo=""
  if ((EUID != 0)); then
    sudo=sudo
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq wrk >/dev/null
fi
command -v java >/dev/null || die "java is not on the PATH"

if [[ ! -f $jar ]] || ! jar tf "$jar" | grep 'io/gatehouse/benchmarks/LoadServer.class' >/dev/null; then
  echo "# building $jar"
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-load.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME POLICY [JVM OPTIONS...] [--cluster URI]: starts a server, the full and small policies with
# $rules custom rules; sets pid_NAME, and port_NAME once it listens.
start() {
  local name=$1 server_policy=$2
  shift 2
  local jvm=() server=()
  if [[ $server_policy == full || $server_policy == small ]]; then
    server+=(--rules "$rules")
  fi
  while (($#)); do
    if [[ $1 == --cluster ]]; then
      server+=(--cluster "$2")
      shift 2
    else
      jvm+=("$1")
      shift
    fi
  done
  java -Xms"$heap" -Xmx"$heap" "${jvm[@]}" -cp "$jar" io.gatehouse.benchmarks.LoadServer --policy "$server_policy" \
    "${server[@]}" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  printf -v "pid_$name" '%s' "$pid"
  local line=""
  for _ in $(seq 1200); do
    line=$(grep -m1 -o 'listening on http://127.0.0.1:[0-9]*' "$work/$name.log" || true)
    [[ -n $line ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; die "the $name server exited while starting"; }
    sleep 0.1
  done
  [[ -n $line ]] || { cat "$work/$name.log" >&2; die "the $name server did not start within 120 s"; }
  printf -v "port_$name" '%s' "${line##*:}"
}

# check NAME CLIENT STATUS: one browser-like request from CLIENT (via X-Forwarded-For) must get STATUS.
check() {
  local name=$1 client=$2 want=$3 port_var="port_$1"
  local got
  got=$(curl -s -o "$work/body" -w '%{http_code}' --max-time 10 \
    -H 'Host: shop.example' -H "X-Forwarded-For: $client" \
    -A 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' \
    -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' \
    -H 'Accept-Language: en-GB,en;q=0.9' \
    "http://127.0.0.1:${!port_var}/products/123?ref=home") || got="no answer"
  [[ $got == "$want" ]] || die "$name server: a request from $client got $got, expected $want"
  if [[ $want == 200 ]]; then
    grep -q 'Blue enamel mug' "$work/body" || die "$name server: a request from $client got 200 but not the page"
  fi
}

# cpu_ticks PID: the clock ticks of user and system time the process has used.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# drive NAME OUT SECONDS: one wrk run against a server, its output in OUT and the server's CPU ticks
# during the run in OUT.cpu; fails on any error or non-2xx answer.
drive() {
  local name=$1 out=$2 duration=$3 port_var="port_$1" pid_var="pid_$1"
  local before
  before=$(cpu_ticks "${!pid_var}")
  wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s --latency -s "$lua" \
    "http://127.0.0.1:${!port_var}/" >"$out"
  echo $(($(cpu_ticks "${!pid_var}") - before)) >"$out.cpu"
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    cat "$out" >&2
    die "$name server: some answers were not 2xx (the clients must all be allowed)"
  fi
  if grep -q 'Socket errors' "$out"; then
    cat "$out" >&2
    die "$name server: wrk saw socket errors"
  fi
}

# figures OUT: prints "requests/s p50_ms p99_ms cpu_us_per_request" from a run's output.
figures() {
  awk -v ticks="$(cat "$1.cpu")" -v hz="$hz" '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000
      if (v ~ /s$/) return v * 1000
      return v + 0
    }
    $2 == "requests" && $3 == "in" { requests = $1 }
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END {
      if (requests == "" || rps == "" || p50 == "" || p99 == "") exit 1
      printf "%s %s %s %s\n", rps, p50, p99, 1e6 * ticks / hz / requests
    }' "$1" || die "could not read wrk output $1"
}

# median: the median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

hz=$(getconf CLK_TCK)
jfr_opts=()
if [[ -n $jfr ]]; then
  jfr_opts=("-XX:StartFlightRecording=filename=$jfr,settings=profile,dumponexit=true")
fi

# Side A is "without", side B "with": the filter, or with LOAD_POLICY=cluster, the cluster.
label_without="without filter"
label_with="with filter"
target=95
if [[ $policy == cluster ]]; then
  label_without="full policy, alone"
  label_with="full policy, cluster"
  target=99
  redis=${LOAD_REDIS:-}
  if [[ -z $redis ]]; then
    command -v redis-server >/dev/null || die "LOAD_POLICY=cluster needs redis-server (apt-get install redis-server) or LOAD_REDIS"
    redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
      >"$work/redis.log" 2>&1 &
    pids+=("$!")
    redis="redis://127.0.0.1:$redis_port/0"
    sleep 0.5
  fi
  echo "# starting both servers on the full policy with $rules custom rules, the second in a cluster on $redis"
  start without full
  start with full "${jfr_opts[@]}" --cluster "$redis"
else
  if [[ $policy == full || $policy == small ]]; then
    echo "# starting both servers (the filtered one loads the $policy policy with $rules custom rules)"
  else
    echo "# starting both servers (the filtered one loads the $policy policy)"
  fi
  start without none
  start with "$policy" "${jfr_opts[@]}"
fi

# Every client the wrk script rotates over must be allowed, and the filter must really be there.
for client in $(grep -o '"192\.0\.2\.[0-9]*"' "$lua" | tr -d '"'); do
  check without "$client" 200
  check with "$client" 200
done
# FullPolicy.RULE_BLOCKED_IP: refused by an access rule, where the filtered side has the rules.
if [[ $policy == cluster ]]; then
  check without 203.0.113.66 403
else
  check without 203.0.113.66 200
fi
if [[ $policy == full || $policy == small || $policy == cluster ]]; then
  check with 203.0.113.66 403
else
  check with 203.0.113.66 200
fi

echo "# wrk -t$threads -c$connections --latency, $rounds rounds of ${seconds}s per side after ${warmup}s of warm-up each"
if ((warmup > 0)); then
  drive without "$work/warmup-without.txt" "$warmup"
  drive with "$work/warmup-with.txt" "$warmup"
fi

# header FIRST: the table's heading; row LABEL RPS P50 P99 CPU: one line of it.
header() {
  printf '%-25s %12s %10s %10s %16s\n' "$1" "requests/s" "p50 ms" "p99 ms" "server CPU us/req"
}
row() {
  printf '%-25s %12.0f %10.3f %10.3f %16.1f\n' "$@"
}

header round
for ((r = 1; r <= rounds; r++)); do
  for side in without with; do
    out="$work/round-$r-$side.txt"
    drive "$side" "$out" "$seconds"
    f=$(figures "$out")
    echo "$f" >>"$work/$side.txt"
    read -r rps p50 p99 cpu <<<"$f"
    label_var="label_$side"
    row "$r ${!label_var}" "$rps" "$p50" "$p99" "$cpu"
  done
done

echo
# column N SIDE: the median of column N over the side's rounds.
column() {
  cut -d' ' -f"$1" "$work/$2.txt" | median
}

header "median of $rounds rounds"
for side in without with; do
  label_var="label_$side"
  row "${!label_var}" "$(column 1 "$side")" "$(column 2 "$side")" "$(column 3 "$side")" "$(column 4 "$side")"
done
ratio=$(awk -v a="$(column 1 with)" -v b="$(column 1 without)" 'BEGIN { print 100 * a / b }')
# Each round's own ratio too: neighbouring runs share the machine's mood, so theirs drifts less.
round_ratio=$(paste -d' ' "$work/with.txt" "$work/without.txt" | awk '{ print 100 * $1 / $5 }' | median)
cpu_without=$(column 4 without)
cpu_with=$(column 4 with)
echo
printf 'throughput with/without   %6.1f%%   (median of the rounds'"'"' own ratios: %.1f%%; target: at least %s%%)\n' \
  "$ratio" "$round_ratio" "$target"
printf 'server CPU per request    %+6.1f us %s (%.1f -> %.1f us)\n' \
  "$(awk -v a="$cpu_with" -v b="$cpu_without" 'BEGIN { print a - b }')" \
  "$([[ $policy == cluster ]] && echo "with the cluster" || echo "with the filter")" "$cpu_without" "$cpu_with"
if [[ $policy == empty || $policy == pass ]]; then
  echo "wrk -t$threads -c$connections, ${seconds}s per run, policy $policy, heap $heap"
else
  echo "wrk -t$threads -c$connections, ${seconds}s per run, policy $policy with $rules custom rules, heap $heap"
fi
if [[ -n $jfr ]]; then
  echo "# the filtered server's flight recording goes to $jfr when it stops (it also slowed that side)"
fi
