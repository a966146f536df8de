#!/usr/bin/env bash
# Spool benchmark (a benchmark, not a test: it reports figures and asserts nothing; docs/delivery.md, "Spool").
#
# For each fsync policy (request: every answer waits for its records to be synced; interval: synced every 100 ms),
# starts a broker and the bridge with the spool on, stops the broker, and posts OTLP/protobuf trace export
# requests of 100 spans from 16 concurrent clients for RUN_SECONDS: every answer is 200 and every record goes to
# the spool, so the rate is the spool's append rate (records/s and requests/s acknowledged, p50/p99, CPU per
# record). Then starts the broker again and times the forwarder sending the spool to Kafka (replay records/s).
#
#   bench/spool.sh                     # 10 s per policy; RUN_SECONDS=30 bench/spool.sh for steadier figures
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS=${RUN_SECONDS:-10}
source bench/lib.sh
echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1), disk of $work: $(df -h "$work" | awk 'NR==2 {print $1}')"

for policy in request interval; do
  BRIDGE_JVM_OPTS="-Xms512m -Xmx1g -Dbridge.spool.enabled=true -Dbridge.spool.dir=$work/spool-$policy \
    -Dbridge.spool.fsync=$policy -Dbridge.spool.fsync-interval-ms=100 -Dbridge.spool.max-bytes=8589934592"
  start_broker_and_bridge
  kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true
  url="http://127.0.0.1:$http_port/v1/traces"
  # The first requests wait for Kafka (kafka-timeout-ms) before the spool takes over; not measured.
  java -cp "$jar" bench/OtlpLoad.java "$url" proto 4 3 - - "$bridge_pid" >/dev/null
  line=$(java -cp "$jar" bench/OtlpLoad.java "$url" proto 16 "$RUN_SECONDS" - - "$bridge_pid")
  echo "spool append, fsync=$policy: $line"
  held=$(curl -sf "http://127.0.0.1:$mgmt_port/observe/metrics" | awk '/^telemetry_bridge_spool_records / {print $2}')
  start_broker
  started=$(date +%s.%N)
  wait_for "! curl -sf http://127.0.0.1:$mgmt_port/observe/health/ready | grep -q 'spooling since'"
  took=$(echo "$(date +%s.%N) - $started" | bc)
  echo "spool replay, fsync=$policy: ${held%.*} records sent to Kafka in ${took} s = $(echo "${held%.*} / $took" | bc) records/s (from the broker's start)"
  kill "$bridge_pid" "$broker_pid"; wait "$bridge_pid" "$broker_pid" 2>/dev/null || true
done
