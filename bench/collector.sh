#!/usr/bin/env bash
# The bridge and the OpenTelemetry Collector side by side (a benchmark, not a test: it reports figures and asserts
# nothing). One broker; the same load, OTLP/protobuf trace export requests of 100 spans over HTTP from 1, 4 and 16
# concurrent clients and over OTLP/gRPC from 1 and 16 (bench/OtlpLoad.java), against
#   (a) the bridge, bridge.otlp.traces.encoding=otlp_proto (the kafkaexporter's own record format), and
#   (b) the Collector of interop/collector (built by its build.sh if needed): otlpreceiver -> kafkaexporter,
#       sending queue off (so it answers after Kafka, as the bridge does), acks=all (idempotent), lz4, linger 5 ms,
#       partition_traces_by_id, otlp_proto,
# then Kafka's ProducerPerformance as the yardstick. Both write one record per resource and trace, so the rates are
# spans acknowledged per second (2xx answers x 100), with p50/p99 request latency, CPU microseconds per span and
# peak RSS of each process.
#
#   bench/collector.sh               # RUN_SECONDS=30 bench/collector.sh for steadier figures
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS=${RUN_SECONDS:-10}
PP_RECORDS=${PP_RECORDS:-1500000}
COLLECTOR=interop/collector/bin/otelcol-bridge-interop
[ -x "$COLLECTOR" ] || interop/collector/build.sh
BRIDGE_JVM_OPTS=${BRIDGE_JVM_OPTS:-"-Xms256m -Xmx256m -XX:+UseSerialGC -Dbridge.otlp.traces.encoding=otlp_proto"}
source bench/lib.sh
mvn -B -q dependency:copy -Dartifact=org.apache.kafka:kafka-tools:3.9.1 -DoutputDirectory="$work/lib" >/dev/null
mvn -B -q dependency:copy -Dartifact=net.sourceforge.argparse4j:argparse4j:0.7.0 -DoutputDirectory="$work/lib" >/dev/null
start_broker_and_bridge
# The bridge creates its topics; the Collector's topic is created here the same way (3 partitions).
java -cp "$jar:$work/lib/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create \
  --topic bench.collector.traces --partitions 3 --replication-factor 1 >/dev/null

col_http=$(free_port); col_grpc=$(free_port)
cat > "$work/collector.yaml" <<YAML
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:$col_http"}
      grpc: {endpoint: "127.0.0.1:$col_grpc"}
exporters:
  kafka:
    brokers: ["$bootstrap"]
    traces: {topic: bench.collector.traces, encoding: otlp_proto}
    partition_traces_by_id: true
    producer: {required_acks: all, compression: lz4, linger: 5ms}
    sending_queue: {enabled: false}
service:
  telemetry: {metrics: {level: none}}
  pipelines:
    traces: {receivers: [otlp], exporters: [kafka]}
YAML
"$COLLECTOR" --config "$work/collector.yaml" > "$work/collector.log" 2>&1 &
collector_pid=$!
pids+=($collector_pid)
wait_for "curl -s -o /dev/null -X POST -H 'Content-Type: application/x-protobuf' http://127.0.0.1:$col_http/v1/traces"

load() { # name url conns seconds pid [proto|grpc]
  java -cp "$jar" bench/OtlpLoad.java "$2" "${6:-proto}" "$3" "$4" - - "$5" | sed -E "s/^(proto|grpc) /$1-\1 /"
}
echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1), run length ${RUN_SECONDS} s; rates are spans/s"
load bridge "http://127.0.0.1:$http_port/v1/traces" 4 5 "$bridge_pid" >/dev/null
load collector "http://127.0.0.1:$col_http/v1/traces" 4 5 "$collector_pid" >/dev/null
for conns in 1 4 16; do
  load bridge "http://127.0.0.1:$http_port/v1/traces" "$conns" "$RUN_SECONDS" "$bridge_pid"
  load collector "http://127.0.0.1:$col_http/v1/traces" "$conns" "$RUN_SECONDS" "$collector_pid"
done
for conns in 1 16; do
  load bridge "grpc://127.0.0.1:$grpc_port" "$conns" "$RUN_SECONDS" "$bridge_pid" grpc
  load collector "grpc://127.0.0.1:$col_grpc" "$conns" "$RUN_SECONDS" "$collector_pid" grpc
done
echo "peak RSS: bridge $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$bridge_pid/status) (JVM: $BRIDGE_JVM_OPTS)," \
  "collector $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$collector_pid/status)"
echo "records on Kafka: bridge $(java -cp "$jar" bench/OtlpLoad.java --end-offsets "$bootstrap" telemetry.traces)," \
  "collector $(java -cp "$jar" bench/OtlpLoad.java --end-offsets "$bootstrap" bench.collector.traces)"
echo "collector log lines with 'error': $(grep -ci error "$work/collector.log" || true)"
grep -i error "$work/collector.log" | head -3 || true

echo "== Kafka ProducerPerformance: $PP_RECORDS records of 300 bytes, the bridge's producer settings"
java -cp "$jar:$work/lib/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create \
  --topic bench.producer-performance --partitions 3 --replication-factor 1 >/dev/null
java -cp "$jar:$work/lib/*" org.apache.kafka.tools.ProducerPerformance --topic bench.producer-performance \
  --num-records "$PP_RECORDS" --record-size 300 --throughput -1 --producer-props bootstrap.servers="$bootstrap" \
  acks=all enable.idempotence=true compression.type=lz4 linger.ms=5 batch.size=131072 2>/dev/null | tail -1
