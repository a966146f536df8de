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
jar=$PWD/target/telemetry-bridge.jar
work=$(mktemp -d /tmp/telemetry-query-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

[ -f "$jar" ] || mvn -B -q package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 240); do if eval "$1" >/dev/null 2>&1; then return 0; fi; sleep 0.5; done; echo "timed out: $1" >&2; exit 1; }

kafka_port=$(free_port); controller_port=$(free_port); http_port=$(free_port); mgmt_port=$(free_port)
bootstrap=127.0.0.1:$kafka_port

java -jar "$jar" broker --port "$kafka_port" --controller-port "$controller_port" --data-dir "$work/kafka" \
  > "$work/broker.log" 2>&1 &
pids+=($!)
wait_for "grep -q 'Kafka broker listening' '$work/broker.log'"

mkdir -p "$work/bridge" && cp -r routes "$work/bridge/"
(cd "$work/bridge" && exec java -Xms512m -Xmx1g -Dbridge.kafka.bootstrap-servers="$bootstrap" \
  -Dcamel.server.port="$http_port" -Dcamel.management.port="$mgmt_port" -Dbridge.heartbeat.enabled=false \
  -jar "$jar" > "$work/bridge.log" 2>&1) &
bridge_pid=$!
pids+=($bridge_pid)
wait_for "curl -sf http://127.0.0.1:$mgmt_port/observe/health/ready"

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
