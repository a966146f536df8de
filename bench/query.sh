#!/usr/bin/env bash
# Query benchmark (a benchmark, not a test: it reports figures and asserts nothing).
#
# Starts a Kafka broker (the bridge jar's `broker` command, in its own process) and the bridge against it (its
# own process), loads 1,000,000 spans (100,000 traces of 10 spans) and 1,000,000 log records through the
# bridge's OTLP/HTTP endpoint, then reports:
#   - trace by id: p50/p99 latency of GET /api/v1/traces/{id} over 1,000 random trace ids (each answer is
#     checked to hold the trace's 10 spans; wrong answers are counted);
#   - log scan: records per second read by a time-range LogsQuery over all the logs with a filter matching 1%.
#
#   bench/query.sh                     # SPANS=... LOGS=... to change the volumes
set -euo pipefail
cd "$(dirname "$0")/.."

SPANS=${SPANS:-1000000}
LOGS=${LOGS:-1000000}
source bench/lib.sh
start_broker_and_bridge

q() { java -cp "$jar" bench/QueryLoad.java "$@"; }
base=http://127.0.0.1:$http_port
echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "== load: $SPANS spans and $LOGS log records through OTLP/HTTP (protobuf, 8 connections)"
from=$(date -u +%Y-%m-%dT%H:%M:%SZ)
q load-traces "$base" "$SPANS" 8
q load-logs "$base" "$LOGS" 8
to=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
sleep 2
echo "== trace by id (the trace-id index has had 2 s to catch up; lookups read what it has not)"
q trace-by-id "$base" $((SPANS / 10)) 1000
echo "== log scan: [$from, $to) with attributes.bench.hit = true (1%)"
q scan "$base" "$from" "$to"
echo "bridge peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$bridge_pid/status)"
