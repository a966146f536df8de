#!/usr/bin/env bash
# A real OpenTelemetry Collector (this folder's build, core v0.165.0) exporting to the
# Telemetry Bridge, once with its `otlp` exporter (OTLP/gRPC) and once with its `otlphttp`
# exporter (OTLP/HTTP), gzip on, every other exporter setting at the Collector's defaults.
#
#   interop/collector/collector-to-bridge.sh
#
# It starts the bridge jar on its embedded Kafka (free ports, its own working folder with a
# copy of routes/), then for each exporter starts the Collector (otlp receiver on free ports,
# pipelines traces/metrics/logs: otlp receiver -> batch -> that exporter + debug), sends a
# known number of spans, metric data points and log records into the Collector's receiver
# (bin/sendotlp: the OpenTelemetry Go SDK's OTLP exporters), and counts, with the bridge's
# own `tail` command, the Kafka records whose header telemetry.source is otlp-grpc (otlp run)
# or otlp-http (otlphttp run) and whose service_name is the one that run sent. With the
# bridge's default `json` encodings each span, data point and log record is one record.
#
# Prints PASS/FAIL per exporter and signal with the counts expected and found, and exits 1
# on any FAIL. Every process it starts is stopped on exit.
#
# Settings (environment):
#   BRIDGE_JAR     the bridge jar (default: <repo>/target/telemetry-bridge.jar)
#   BRIDGE_ROUTES  the routes/ folder to copy (default: routes/ beside the jar's target/,
#                  else <repo>/routes)
#   SPANS POINTS LOGS   items per signal and run (default 250, 90, 200)
#   SEND_PROTOCOL  how sendotlp reaches the Collector's receiver: grpc (default) or http
#   EXPORTERS      which runs, in order (default "otlp otlphttp"); otlp_grpc and otlp_http,
#                  the names these exporters have had since v0.165.0 (the old ones are
#                  deprecated aliases there), work too
#   BRIDGE_JAVA_OPTS  extra JVM options for the bridge (say -Dbridge.otlp.traces.encoding=...)
#   WAIT_SECONDS   how long to wait for the records to reach Kafka (default 90)
#   WORK_DIR       where configs, logs and Kafka data go (default interop/collector/work/last,
#                  emptied first; kept afterwards for reading)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

BRIDGE_JAR=${BRIDGE_JAR:-$repo/target/telemetry-bridge.jar}
if [[ -z "${BRIDGE_ROUTES:-}" ]]; then
  BRIDGE_ROUTES=$(cd "$(dirname "$BRIDGE_JAR")/.." && pwd)/routes
  [[ -d "$BRIDGE_ROUTES" ]] || BRIDGE_ROUTES=$repo/routes
fi
SPANS=${SPANS:-250}
POINTS=${POINTS:-90}
LOGS=${LOGS:-200}
SEND_PROTOCOL=${SEND_PROTOCOL:-grpc}
EXPORTERS=${EXPORTERS:-otlp otlphttp}
WAIT_SECONDS=${WAIT_SECONDS:-90}
WORK_DIR=${WORK_DIR:-$here/work/last}

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { say "ERROR: $*"; exit 2; }

for tool in java jq python3 curl; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
[[ -f "$BRIDGE_JAR" ]] || die "no bridge jar at $BRIDGE_JAR (set BRIDGE_JAR)"
[[ -d "$BRIDGE_ROUTES" ]] || die "no routes folder at $BRIDGE_ROUTES (set BRIDGE_ROUTES)"
if [[ ! -x "$here/bin/otelcol-bridge-interop" || ! -x "$here/bin/sendotlp" ]]; then
  say "building the Collector and sendotlp (build.sh)"
  "$here/build.sh" || die "build.sh failed"
fi
COLLECTOR=$here/bin/otelcol-bridge-interop
SENDER=$here/bin/sendotlp

rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR/bridge"
cp -r "$BRIDGE_ROUTES" "$WORK_DIR/bridge/routes"

# --- processes we start, stopped on exit -----------------------------------------------
bridge_pid=""
collector_pid=""

stop_pid() { # pid name seconds: SIGTERM, then SIGKILL after the grace period
  local pid=$1 name=$2 grace=${3:-30}
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  say "$name (pid $pid) did not stop within ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

cleanup() {
  local rc=$?
  stop_pid "$collector_pid" collector 20
  stop_pid "$bridge_pid" bridge 40
  say "logs and configs: $WORK_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- free ports ---------------------------------------------------------------------------
read -r P_HTTP P_MGMT P_GRPC P_KAFKA P_CTRL P_RCV_GRPC P_RCV_HTTP P_COL_METRICS < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(8):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
)
say "ports: bridge http $P_HTTP, management $P_MGMT, grpc $P_GRPC, kafka $P_KAFKA (controller $P_CTRL);" \
    "collector receiver grpc $P_RCV_GRPC, http $P_RCV_HTTP, own metrics $P_COL_METRICS"

# --- the bridge ---------------------------------------------------------------------------
say "starting the bridge: $BRIDGE_JAR (routes from $BRIDGE_ROUTES)"
(
  cd "$WORK_DIR/bridge" &&
    exec java -Xmx1g \
      -Dcamel.server.port="$P_HTTP" \
      -Dcamel.management.port="$P_MGMT" \
      -Dbridge.grpc.port="$P_GRPC" \
      -Dbridge.kafka.embedded.port="$P_KAFKA" \
      -Dbridge.kafka.embedded.controller-port="$P_CTRL" \
      ${BRIDGE_JAVA_OPTS:-} \
      -jar "$BRIDGE_JAR"
) >"$WORK_DIR/bridge.log" 2>&1 &
bridge_pid=$!

ready=""
for ((i = 0; i < 240; i++)); do
  kill -0 "$bridge_pid" 2>/dev/null || { tail -30 "$WORK_DIR/bridge.log"; die "the bridge exited during start-up"; }
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P_MGMT/observe/health/ready" || true)
  if [[ "$code" == 200 ]]; then ready=yes; break; fi
  sleep 0.5
done
[[ -n "$ready" ]] || { tail -30 "$WORK_DIR/bridge.log"; die "the bridge was not ready within 120 s (last answer $code)"; }
say "bridge ready (pid $bridge_pid) after ~$((i / 2)) s"

# --- helpers -------------------------------------------------------------------------------
tail_topic() { # topic -> JSON lines on stdout
  (cd "$WORK_DIR/bridge" && java -jar "$BRIDGE_JAR" tail "$1" --bootstrap-servers "127.0.0.1:$P_KAFKA") \
    2>>"$WORK_DIR/tail.stderr"
}

count_records() { # topic source service -> "matching other_source" counts
  tail_topic "$1" | jq -R -r --arg src "$2" --arg svc "$3" '
    fromjson? | select(.value.service_name == $svc) |
    if .headers["telemetry.source"] == $src then "match" else "other" end' |
    awk '{ n[$1]++ } END { printf "%d %d\n", n["match"] + 0, n["other"] + 0 }'
}

collector_metric() { # prometheus-name-regex: sum of the Collector's own meters matching it
  curl -s "http://127.0.0.1:$P_COL_METRICS/metrics" | awk -v re="$1" '
    $0 !~ /^#/ && $1 ~ re { s += $2 } END { printf "%d", s }'
}

write_config() { # exporter -> path of a Collector config
  local exporter=$1 cfg=$WORK_DIR/collector-$1.yaml exporter_block
  case "$exporter" in
    otlp | otlp_grpc) exporter_block="  $exporter:
    endpoint: 127.0.0.1:$P_GRPC
    tls:
      insecure: true
    compression: gzip" ;;
    otlphttp | otlp_http) exporter_block="  $exporter:
    endpoint: http://127.0.0.1:$P_HTTP
    compression: gzip" ;;
    *) die "unknown exporter $exporter" ;;
  esac
  cat >"$cfg" <<EOF
# Written by collector-to-bridge.sh. Exporter, batch processor and receiver at their
# defaults (sending queue, retries, timeouts) apart from endpoint, tls and compression.
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$P_RCV_GRPC
      http:
        endpoint: 127.0.0.1:$P_RCV_HTTP
processors:
  batch: {}
exporters:
$exporter_block
  debug:
    verbosity: basic
service:
  telemetry:
    logs:
      level: info
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: $P_COL_METRICS
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [$exporter, debug]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [$exporter, debug]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [$exporter, debug]
EOF
  echo "$cfg"
}

# --- one run per exporter -----------------------------------------------------------------
declare -a results=()
failures=0
run_id=$(date +%s)-$$

for exporter in $EXPORTERS; do
  case "$exporter" in
    otlp | otlp_grpc) source_header=otlp-grpc ;;
    otlphttp | otlp_http) source_header=otlp-http ;;
    *) die "unknown exporter $exporter (otlp, otlphttp, otlp_grpc or otlp_http)" ;;
  esac
  service="collector-interop-${exporter//_/-}-$run_id"
  cfg=$(write_config "$exporter")
  log=$WORK_DIR/collector-$exporter.log

  say "[$exporter] validating $cfg"
  "$COLLECTOR" validate --config "$cfg" >"$WORK_DIR/validate-$exporter.log" 2>&1 ||
    { cat "$WORK_DIR/validate-$exporter.log"; die "the Collector refused its configuration"; }

  say "[$exporter] starting the Collector"
  "$COLLECTOR" --config "$cfg" >"$log" 2>&1 &
  collector_pid=$!
  started=""
  for ((i = 0; i < 100; i++)); do
    kill -0 "$collector_pid" 2>/dev/null || { tail -30 "$log"; die "the Collector exited during start-up"; }
    if grep -q 'Everything is ready' "$log"; then started=yes; break; fi
    sleep 0.2
  done
  [[ -n "$started" ]] || { tail -30 "$log"; die "the Collector did not get ready within 20 s"; }

  if [[ "$SEND_PROTOCOL" == http ]]; then send_endpoint=127.0.0.1:$P_RCV_HTTP; else send_endpoint=127.0.0.1:$P_RCV_GRPC; fi
  say "[$exporter] sending $SPANS spans, $POINTS metric data points, $LOGS log records as $service ($SEND_PROTOCOL to $send_endpoint)"
  if ! "$SENDER" -endpoint "$send_endpoint" -protocol "$SEND_PROTOCOL" -service "$service" \
    -spans "$SPANS" -points "$POINTS" -logs "$LOGS" >"$WORK_DIR/send-$exporter.log" 2>&1; then
    cat "$WORK_DIR/send-$exporter.log"
    die "sendotlp failed"
  fi
  cat "$WORK_DIR/send-$exporter.log"

  # Wait until the Collector has handed everything to its exporter and the bridge's records
  # are on Kafka (or the wait runs out).
  deadline=$((SECONDS + WAIT_SECONDS))
  while :; do
    read -r t_match t_other < <(count_records telemetry.traces "$source_header" "$service")
    read -r m_match m_other < <(count_records telemetry.metrics "$source_header" "$service")
    read -r l_match l_other < <(count_records telemetry.logs "$source_header" "$service")
    say "[$exporter] on Kafka so far: traces $t_match/$SPANS, metrics $m_match/$POINTS, logs $l_match/$LOGS"
    if ((t_match >= SPANS && m_match >= POINTS && l_match >= LOGS)) || ((SECONDS >= deadline)); then break; fi
    sleep 2
  done

  # What the Collector itself counted, before it stops.
  sent_spans=$(collector_metric "^otelcol_exporter_sent_spans(_total)?\\{.*exporter=\"$exporter\"")
  sent_points=$(collector_metric "^otelcol_exporter_sent_metric_points(_total)?\\{.*exporter=\"$exporter\"")
  sent_logs=$(collector_metric "^otelcol_exporter_sent_log_records(_total)?\\{.*exporter=\"$exporter\"")
  failed=$(collector_metric "^otelcol_exporter_send_failed_[a-z_]+(_total)?\\{.*exporter=\"$exporter\"")
  recv=$(collector_metric '^otelcol_receiver_accepted_(spans|metric_points|log_records)(_total)?\{')
  refused=$(collector_metric '^otelcol_receiver_refused_(spans|metric_points|log_records)(_total)?\{')
  curl -s "http://127.0.0.1:$P_COL_METRICS/metrics" >"$WORK_DIR/collector-$exporter.metrics" || true
  say "[$exporter] Collector's own meters: receiver accepted $recv items (refused $refused);" \
      "exporter $exporter sent $sent_spans spans, $sent_points metric points, $sent_logs log records; send_failed $failed"

  say "[$exporter] stopping the Collector"
  stop_pid "$collector_pid" collector 20
  collector_pid=""

  # Count once more after the Collector stopped: a retried request would show as a duplicate.
  read -r t_match t_other < <(count_records telemetry.traces "$source_header" "$service")
  read -r m_match m_other < <(count_records telemetry.metrics "$source_header" "$service")
  read -r l_match l_other < <(count_records telemetry.logs "$source_header" "$service")

  for row in "traces $SPANS $t_match $t_other spans" "metrics $POINTS $m_match $m_other metric-data-points" \
    "logs $LOGS $l_match $l_other log-records"; do
    read -r signal expected found other what <<<"$row"
    verdict=PASS
    if ((found != expected || other != 0)); then verdict=FAIL; failures=$((failures + 1)); fi
    line=$(printf '%-4s exporter=%-9s signal=%-7s expected=%-5d found=%-5d (%s, telemetry.source=%s, service %s)' \
      "$verdict" "$exporter" "$signal" "$expected" "$found" "$what" "$source_header" "$service")
    ((other != 0)) && line+=" plus $other record(s) of that service with another telemetry.source"
    results+=("$line")
  done

  warn_lines=$(grep -Eci '"level":"(warn|error)"|\b(warn|error)\b' "$log" || true)
  retry_lines=$(grep -Eci 'retry|Exporting failed' "$log" || true)
  say "[$exporter] Collector log: $warn_lines warn/error line(s), $retry_lines retry/failure line(s) ($log)"
  grep -Ei '\b(warn|error)\b|retry|Exporting failed' "$log" | head -20
done

# --- the bridge's view ------------------------------------------------------------------------
curl -s "http://127.0.0.1:$P_MGMT/observe/metrics" >"$WORK_DIR/bridge.metrics" || true
say "bridge meters (records accepted/rejected, gRPC calls):"
grep -E '^telemetry_bridge_(records_accepted_total|records_rejected_total|records_dead_lettered_total|grpc_requests_total)\{' \
  "$WORK_DIR/bridge.metrics" | grep -v ' 0\.0$' | sed 's/^/    /'
bridge_warns=$(grep -Ec '\b(WARN|ERROR)\b' "$WORK_DIR/bridge.log" || true)
say "bridge log: $bridge_warns WARN/ERROR line(s) ($WORK_DIR/bridge.log)"
grep -E '\b(WARN|ERROR)\b' "$WORK_DIR/bridge.log" | head -20

echo
echo "=== Collector -> bridge results ==="
for line in "${results[@]}"; do echo "$line"; done
if ((failures > 0)); then
  echo "FAIL: $failures check(s) failed"
  exit 1
fi
echo "PASS: every span, metric data point and log record reached Kafka, over each exporter"
exit 0
