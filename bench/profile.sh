#!/usr/bin/env bash
# Profiles the bridge under the benchmark's load (a benchmark aid: it reports, asserts nothing). Starts the broker
# and the bridge as bench/run.sh does, with a JDK Flight Recorder recording (settings=profile) on the bridge,
# warms up, then runs one load (ENCODING and CONNECTIONS as for bench/OtlpLoad.java) for RUN_SECONDS and prints
# the load's result line and, from the recording of that run only: bytes allocated per record (all threads), the
# top methods by CPU samples (by thread, own time, including callees) and the top allocation sites (sampled
# bytes by class and allocating frame). JAR=path profiles another build.
#
#   bench/profile.sh proto 16          # RUN_SECONDS=20, WARM_SECONDS=30 by default; KEEP_JFR=/tmp/x.jfr keeps the recording
set -euo pipefail
cd "$(dirname "$0")/.."
enc=${1:-proto}; conns=${2:-16}
RUN_SECONDS=${RUN_SECONDS:-20}
source bench/lib.sh
jar=${JAR:-$jar}
start_broker_and_bridge
jcmd_() { jcmd "$bridge_pid" "$@" >/dev/null; }
load() {
  local url="http://127.0.0.1:$http_port/v1/traces"
  [ "$1" = grpc ] && url="grpc://127.0.0.1:$grpc_port"
  java -cp "$jar" bench/OtlpLoad.java "$url" "$1" "$2" "$3" "$bootstrap" telemetry.traces "$bridge_pid"
}
load "$enc" "$conns" "${WARM_SECONDS:-30}" >/dev/null
jcmd_ JFR.start name=bench settings=profile
line=$(load "$enc" "$conns" "$RUN_SECONDS")
echo "$line"
jfr_file=${KEEP_JFR:-$work/bench.jfr}
jcmd_ JFR.stop name=bench filename="$jfr_file"
echo "bridge peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$bridge_pid/status)"
jfr print --json --events jdk.ExecutionSample,jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics \
  "$jfr_file" > "$work/events.json"
records=$(echo "$line" | sed -E 's/.*records_on_kafka=([0-9]+).*/\1/')
python3 bench/jfr_summary.py "$work/events.json" "$records"
