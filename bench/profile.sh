#!/usr/bin/env bash
# Profiles the bridge under the benchmark's load (a benchmark aid: it reports, asserts nothing). Starts the broker
# and the bridge as bench/run.sh does, warms up, loads async-profiler (tools.profiler:async-profiler from Maven
# Central) into the bridge, runs one load (ENCODING and CONNECTIONS as for bench/OtlpLoad.java) for RUN_SECONDS and
# prints the load's result line and, from the profile of that run only (bench/stacks.py): the share of each
# thread, and the top methods by own samples and including callees, for all threads and for the thread named
# THREAD (vert.x-worker by default: decoding, records, Kafka's append).
# EVENT=cpu (default) samples CPU time; EVENT=alloc samples allocations, weighed in bytes (per record at the top).
# JDK Flight Recorder's `profile` settings are not used: they slowed this load 3x (protobuf) to 10x (OTLP/JSON)
# and pointed at the wrong code; async-profiler left the figures of the run within their usual drift.
#
#   bench/profile.sh proto 16          # RUN_SECONDS=20, WARM_SECONDS=45; KEEP=/tmp/x.collapsed keeps the stacks
set -euo pipefail
cd "$(dirname "$0")/.."
enc=${1:-proto}; conns=${2:-16}
RUN_SECONDS=${RUN_SECONDS:-20}
EVENT=${EVENT:-cpu}
source bench/lib.sh
case "$(uname -m)" in
  x86_64) arch=linux-x64 ;;
  aarch64) arch=linux-arm64 ;;
  *) echo "async-profiler has no library for $(uname -m)" >&2; exit 1 ;;
esac
mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 -DoutputDirectory="$work/lib" >/dev/null
(cd "$work/lib" && unzip -q -o async-profiler-4.1.jar "$arch/libasyncProfiler.so")
profiler=$work/lib/$arch/libasyncProfiler.so
start_broker_and_bridge
# jcmd passes the options as one argument only when quoted inside the argument.
agent() { jcmd "$bridge_pid" JVMTI.agent_load "$profiler" "\"$1\"" >/dev/null; }
load() {
  local url="http://127.0.0.1:$http_port/v1/traces"
  [ "$1" = grpc ] && url="grpc://127.0.0.1:$grpc_port"
  java -cp "$jar" bench/OtlpLoad.java "$url" "$1" "$2" "$3" "$bootstrap" telemetry.traces "$bridge_pid"
}
# Shorter, and the JIT compilers take a third of the profile (20 s: 33% at 16 connections).
load "$enc" "$conns" "${WARM_SECONDS:-45}" >/dev/null
if [ "$EVENT" = alloc ]; then agent "start,event=alloc,threads"; else agent "start,event=$EVENT,interval=1ms,threads"; fi
# The profile covers the load's whole life: no client warm-up of its own, so that per-record figures hold.
line=$(CLIENT_WARM_SECONDS=0 load "$enc" "$conns" "$RUN_SECONDS")
echo "$line"
stacks=${KEEP:-$work/profile.collapsed}
if [ "$EVENT" = alloc ]; then agent "stop,file=$stacks,collapsed,total"; else agent "stop,file=$stacks,collapsed"; fi
echo "bridge peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$bridge_pid/status)"
records=$(echo "$line" | sed -E 's/.*records_on_kafka=([0-9]+).*/\1/')
python3 bench/stacks.py "$stacks" "${THREAD:-vert.x-worker}" "$EVENT" "$records"
