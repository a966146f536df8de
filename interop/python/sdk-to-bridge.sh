#!/usr/bin/env bash
# The OpenTelemetry Python SDK (interop/python/requirements.txt, from PyPI) exporting to the Telemetry Bridge with
# its default protocol (OTLP/gRPC) and with http/protobuf: every span, metric data point and log record sent is one
# record on the bridge's Kafka topics (default json encodings), counted with the bridge's `tail` command by
# service_name and telemetry.source. Prints PASS/FAIL per protocol and signal; exits 1 on any FAIL.
#
#   interop/python/sdk-to-bridge.sh            # BRIDGE_JAR=... SPANS=.. POINTS=.. LOGS=.. to change
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BRIDGE_JAR=${BRIDGE_JAR:-$repo/target/telemetry-bridge.jar}
SPANS=${SPANS:-120}
POINTS=${POINTS:-40}
LOGS=${LOGS:-150}
work=$(mktemp -d /tmp/interop-python.XXXXXX)
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

[[ -f "$BRIDGE_JAR" ]] || { say "no bridge jar at $BRIDGE_JAR: mvn -B -q package -DskipTests"; exit 2; }
say "installing the Python SDK into $work/venv"
python3 -m venv "$work/venv" && "$work/venv/bin/pip" install -q -r "$here/requirements.txt" || { say "pip failed"; exit 2; }

read -r P_HTTP P_MGMT P_GRPC P_KAFKA P_CTRL < <(python3 -c '
import socket
s = [socket.socket() for _ in range(5)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
mkdir -p "$work/bridge" && cp -r "$repo/routes" "$work/bridge/routes"
(cd "$work/bridge" && exec java -Xmx512m -Dcamel.server.port="$P_HTTP" -Dcamel.management.port="$P_MGMT" \
  -Dbridge.grpc.port="$P_GRPC" -Dbridge.kafka.embedded.port="$P_KAFKA" -Dbridge.kafka.embedded.controller-port="$P_CTRL" \
  -Dbridge.heartbeat.enabled=false -jar "$BRIDGE_JAR" > "$work/bridge.log" 2>&1) &
bridge_pid=$!
trap 'kill "$bridge_pid" 2>/dev/null; wait "$bridge_pid" 2>/dev/null; say "logs: $work"' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$P_MGMT/observe/health/ready" >/dev/null && break; sleep 0.5; done

count() { # topic source service -> records of that service and source
  (cd "$work/bridge" && java -jar "$BRIDGE_JAR" tail "$1" --bootstrap-servers "127.0.0.1:$P_KAFKA" 2>/dev/null) |
    jq -R -r --arg src "$2" --arg svc "$3" \
      'fromjson? | select(.headers["telemetry.source"] == $src and .value.service_name == $svc) | 1' | wc -l
}

failures=0
for protocol in grpc http/protobuf; do
  service="python-${protocol%%/*}-$RANDOM"
  if [[ $protocol == grpc ]]; then endpoint=http://127.0.0.1:$P_GRPC source=otlp-grpc
  else endpoint=http://127.0.0.1:$P_HTTP source=otlp-http; fi
  "$work/venv/bin/python" "$here/send.py" "$protocol" "$endpoint" "$service" "$SPANS" "$POINTS" "$LOGS" \
    || { say "send.py failed ($protocol)"; failures=$((failures + 1)); continue; }
  for row in "telemetry.traces $SPANS spans" "telemetry.metrics $POINTS data-points" "telemetry.logs $LOGS log-records"; do
    read -r topic expected what <<<"$row"
    found=$(count "$topic" "$source" "$service")
    verdict=PASS
    ((found == expected)) || { verdict=FAIL; failures=$((failures + 1)); }
    printf '%s protocol=%-13s %-17s expected=%-4d found=%-4d (%s, service %s)\n' \
      "$verdict" "$protocol" "$topic" "$expected" "$found" "$what" "$service"
  done
done
exit $((failures > 0))
