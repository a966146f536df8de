#!/usr/bin/env bash
# OTLP ingestion benchmark (a benchmark, not a test: it reports figures and asserts nothing).
#
# Starts a Kafka broker (the bridge jar's `broker` command, in its own process), the bridge against it (its own
# process, heartbeat off), then posts OTLP trace export requests of 100 spans (~300 bytes each) as
# OTLP/protobuf and OTLP/JSON over HTTP, and as OTLP/gRPC (one channel, so one HTTP/2 connection, per client),
# from 1, 4 and 16 concurrent clients, and reports per run: records per
# second acknowledged by Kafka (from topic end offsets, next to 2xx answers x 100), p50/p99 request latency,
# the bridge's CPU microseconds per record and, at the end, its peak RSS. In the same run it measures Kafka's
# own ProducerPerformance (kafka-tools 3.9.1) with 300-byte records and the bridge's producer settings on the
# same broker, and prints each rate as a ratio of it.
#
#   bench/run.sh                      # 10 s per run; RUN_SECONDS=30 bench/run.sh for steadier figures
#                                     # warm-up: WARM_SECONDS, WARM_ROUNDS, WARM_JIT_PCT (below); each load
#                                     # generator also warms itself for CLIENT_WARM_SECONDS=5 (bench/OtlpLoad.java)
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS=${RUN_SECONDS:-10}
PP_RECORDS=${PP_RECORDS:-1500000}
source bench/lib.sh
mvn -B -q dependency:copy -Dartifact=org.apache.kafka:kafka-tools:3.9.1 -DoutputDirectory="$work/lib" >/dev/null
mvn -B -q dependency:copy -Dartifact=net.sourceforge.argparse4j:argparse4j:0.7.0 -DoutputDirectory="$work/lib" >/dev/null
start_broker_and_bridge

load() {
  local url="http://127.0.0.1:$http_port/v1/traces"
  [ "$1" = grpc ] && url="grpc://127.0.0.1:$grpc_port"
  java -cp "$jar" bench/OtlpLoad.java "$url" "$1" "$2" "$3" "$bootstrap" "${4:-telemetry.traces}" "$bridge_pid"
}

echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1), run length ${RUN_SECONDS} s"
java -cp "$jar" bench/OtlpLoad.java --sizes
# The JIT compiles for one to two minutes under this load: with 5 s per encoding, the compiler threads still took
# 11-14% of the bridge's CPU during the first runs reported (bench/threads.py), which are meant to be steady. On a
# slower machine (2026-12-02, -XX:+PrintCompilation) 4 connections of protobuf took 100 s to a steady rate
# (10.7k, 17.1k, 25.1k, 31.7k, 33.5k, then 35-37k records/s per 20 s), with 20 s per encoding not yet reached.
# A fixed warm-up was not enough either: at 16 connections of protobuf alone the JIT compilers still took a
# share of the bridge's CPU for 100 to 120 s (2026-12-02: 46 us per record with the compilers busy, 12 to 14 once
# they were idle). So after WARM_SECONDS at 4 connections, each encoding is run at 16 connections in 20 s rounds
# until the compiler threads took under WARM_JIT_PCT percent of the bridge's CPU in one (jit_cpu in each result
# line says how warm a run was), at most WARM_ROUNDS rounds.
WARM_SECONDS=${WARM_SECONDS:-40}
echo "== warm-up (not reported): ${WARM_SECONDS} s per encoding, then until jit_cpu < ${WARM_JIT_PCT:-3}%"
for enc in proto json grpc; do
  load "$enc" 4 "$WARM_SECONDS" >/dev/null
  for round in $(seq 1 "${WARM_ROUNDS:-6}"); do
    jit=$(load "$enc" 16 20 | sed -E 's/.*jit_cpu=([0-9]+)%.*/\1/')
    echo "   warm-up $enc round $round: jit_cpu=${jit}%"
    [ "$jit" -lt "${WARM_JIT_PCT:-3}" ] && break
  done
done
echo "== bridge: OTLP/HTTP /v1/traces (proto, json) and OTLP/gRPC TraceService/Export (grpc) -> telemetry.traces (json records)"
results=()
for enc in proto json grpc; do
  for conns in 1 4 16; do
    line=$(load "$enc" "$conns" "$RUN_SECONDS")
    echo "$line"
    results+=("$line")
  done
done
echo "bridge peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$bridge_pid/status)"

echo "== rules: ingest-otlp-traces with a topic template, a key template and two drop rules (bench/rules.yaml), live reload"
python3 - "$work/bridge/routes/ingest-otlp.camel.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
at = text.index("    id: ingest-otlp-traces\n")
steps = text.index("      steps:\n", at) + len("      steps:\n")
use = "".join("        - process:\n            ref: %s\n" % r
              for r in ("benchDropHealthName", "benchDropHealthRoute", "benchRouting"))
open(path, "w").write(text[:steps] + use + text[steps:] + "\n" + open("bench/rules.yaml").read())
PY
# The reload takes a few seconds; the first request to the template's topic creates it.
for _ in $(seq 1 60); do
  load proto 1 1 bench.traces.orders >/dev/null 2>&1 || true
  n=$(java -cp "$jar" bench/OtlpLoad.java --end-offsets "$bootstrap" bench.traces.orders 2>/dev/null || echo 0)
  [ "${n:-0}" -gt 0 ] && break
  sleep 1
done
for conns in 1 16; do
  for enc in proto json; do
    line=$(load "$enc" "$conns" "$RUN_SECONDS" bench.traces.orders)
    line="$enc+rules ${line#* }"
    echo "$line"
    results+=("$line")
  done
done

echo "== Kafka ProducerPerformance: $PP_RECORDS records of 300 bytes, bridge's producer settings"
java -cp "$jar:$work/lib/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create \
  --topic bench.producer-performance --partitions 3 --replication-factor 1 >/dev/null
pp=$(java -cp "$jar:$work/lib/*" org.apache.kafka.tools.ProducerPerformance --topic bench.producer-performance \
  --num-records "$PP_RECORDS" --record-size 300 --throughput -1 --producer-props bootstrap.servers="$bootstrap" \
  acks=all enable.idempotence=true compression.type=lz4 linger.ms=5 batch.size=131072 2>/dev/null | tail -1)
echo "$pp"
pp_rate=$(echo "$pp" | sed -E 's/.*records sent, ([0-9.]+) records\/sec.*/\1/')

echo "== ratio to ProducerPerformance ($pp_rate records/s)"
for line in "${results[@]}"; do
  rate=$(echo "$line" | sed -E 's/.*records_per_s=([0-9.]+).*/\1/')
  echo "$line" | awk -v r="$rate" -v pp="$pp_rate" '{printf "%-5s %-9s %8.0f records/s = %.2f x ProducerPerformance\n", $1, $2, r, r/pp}'
done
