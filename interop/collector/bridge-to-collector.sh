#!/usr/bin/env bash
# The bridge's otlp_proto and otlp_json records, read by a real OpenTelemetry Collector's kafkareceiver (this
# folder's build, contrib v0.165.1) with the encoding of the same name: what the Collector delivers (through its
# otlp_http exporter, to a capture server that keeps each request) must be the OTLP data that was sent to the
# bridge, compared item by item with resources and scopes, attribute order and resources' order aside.
#
#   interop/collector/bridge-to-collector.sh
#
# Per encoding it starts the bridge jar (embedded Kafka, free ports, bridge.otlp.<signal>.encoding set, topics of
# its own), posts examples/otlp/{traces,metrics,logs}.json over OTLP/HTTP, starts the Collector (kafka receiver
# -> otlp_http exporter -> otlp_compare.py capture) and compares with otlp_compare.py. Prints PASS/FAIL per
# encoding and signal; exits 1 on any FAIL. Needs java, python3, curl; builds the Collector with build.sh if
# bin/ has none. Settings: BRIDGE_JAR, WAIT_SECONDS (default 60), WORK_DIR (default work/bridge-to-collector).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BRIDGE_JAR=${BRIDGE_JAR:-$repo/target/telemetry-bridge.jar}
WAIT_SECONDS=${WAIT_SECONDS:-60}
WORK_DIR=${WORK_DIR:-$here/work/bridge-to-collector}
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { say "ERROR: $*"; exit 2; }

[[ -f "$BRIDGE_JAR" ]] || die "no bridge jar at $BRIDGE_JAR"
[[ -x "$here/bin/otelcol-bridge-interop" ]] || "$here/build.sh" || die "build.sh failed"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR"
python3 -m venv "$WORK_DIR/venv" && "$WORK_DIR/venv/bin/pip" install -q -r "$repo/interop/python/requirements.txt" \
  || die "pip failed"
PY=$WORK_DIR/venv/bin/python

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done; }
trap cleanup EXIT
free_ports() { python3 -c '
import socket, sys
s = [socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(("127.0.0.1", 0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))' "$1"; }

failures=0
for encoding in otlp_proto otlp_json; do
  run=$WORK_DIR/$encoding
  mkdir -p "$run/bridge" "$run/sent" "$run/got"
  cp -r "$repo/routes" "$run/bridge/routes"
  read -r P_HTTP P_MGMT P_GRPC P_KAFKA P_CTRL P_CAP < <(free_ports 6)
  topic=interop-$encoding
  (cd "$run/bridge" && exec java -Xmx512m -Dcamel.server.port="$P_HTTP" -Dcamel.management.port="$P_MGMT" \
    -Dbridge.grpc.port="$P_GRPC" -Dbridge.kafka.embedded.port="$P_KAFKA" \
    -Dbridge.kafka.embedded.controller-port="$P_CTRL" -Dbridge.heartbeat.enabled=false \
    -Dbridge.otlp.traces.encoding=$encoding -Dbridge.otlp.metrics.encoding=$encoding \
    -Dbridge.otlp.logs.encoding=$encoding -Dbridge.topics.traces=$topic.traces \
    -Dbridge.topics.metrics=$topic.metrics -Dbridge.topics.logs=$topic.logs -jar "$BRIDGE_JAR" > "$run/bridge.log" 2>&1) &
  bridge_pid=$!
  pids+=($bridge_pid)
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$P_MGMT/observe/health/ready" >/dev/null && break; sleep 0.5; done
  for signal in traces metrics logs; do
    cp "$repo/examples/otlp/$signal.json" "$run/sent/$signal.json"
    code=$(curl -s -o "$run/answer-$signal" -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary @"$run/sent/$signal.json" "http://127.0.0.1:$P_HTTP/v1/$signal")
    [[ $code == 200 ]] || die "the bridge answered $code to /v1/$signal: $(cat "$run/answer-$signal")"
  done
  "$PY" "$here/otlp_compare.py" capture "$P_CAP" "$run/got" &
  pids+=($!)
  cat > "$run/collector.yaml" <<YAML
# Written by bridge-to-collector.sh: the kafka receiver reading the bridge's topics as $encoding.
receivers:
  kafka:
    brokers: ["127.0.0.1:$P_KAFKA"]
    group_id: interop-$encoding-$RANDOM
    initial_offset: earliest
    traces: {topics: ["$topic.traces"], encoding: $encoding}
    metrics: {topics: ["$topic.metrics"], encoding: $encoding}
    logs: {topics: ["$topic.logs"], encoding: $encoding}
exporters:
  otlp_http:
    endpoint: http://127.0.0.1:$P_CAP
    compression: none
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    traces: {receivers: [kafka], exporters: [otlp_http]}
    metrics: {receivers: [kafka], exporters: [otlp_http]}
    logs: {receivers: [kafka], exporters: [otlp_http]}
YAML
  "$here/bin/otelcol-bridge-interop" --config "$run/collector.yaml" > "$run/collector.log" 2>&1 &
  collector_pid=$!
  pids+=($collector_pid)
  deadline=$((SECONDS + WAIT_SECONDS))
  until "$PY" "$here/otlp_compare.py" compare "$run/sent" "$run/got" > "$run/compare.txt" 2>&1 || ((SECONDS >= deadline)); do
    kill -0 "$collector_pid" 2>/dev/null || { tail -20 "$run/collector.log"; die "the Collector exited"; }
    sleep 2
  done
  kill "$collector_pid" 2>/dev/null; wait "$collector_pid" 2>/dev/null
  # Once more after the Collector stopped: a redelivery would show as an extra item.
  "$PY" "$here/otlp_compare.py" compare "$run/sent" "$run/got" > "$run/compare.txt" 2>&1 || failures=$((failures + 1))
  sed "s/^/encoding=$encoding /" "$run/compare.txt"
  kill "$bridge_pid" 2>/dev/null; wait "$bridge_pid" 2>/dev/null
done
say "logs, configs and captured requests: $WORK_DIR"
exit $((failures > 0))
