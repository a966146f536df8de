#!/usr/bin/env bash
# Large-request probe (reports figures, asserts nothing): does the bridge, with the JVM settings docs/running.md
# recommends, survive many clients posting large OTLP requests at once?
#
# Starts a Kafka broker and the bridge (bench/lib.sh), writes one OTLP/HTTP trace request of about BODY_MB
# (default 10) in the chosen KIND, then CLIENTS clients (default 16) each post it REQUESTS times (default 2),
# retrying after 1 s on any answer but 200. Reports the answers by status, the seconds taken, the bridge's peak
# RSS and its OutOfMemoryError lines.
#
#   bench/large.sh                      # KIND=json: 10 MB OTLP/JSON
#   KIND=proto bench/large.sh           # the same spans as protobuf (about 4.5 MB)
#   KIND=gzip BODY_MB=19 bench/large.sh # 19 MB of OTLP/JSON, gzip (about 1.8 MB sent)
#   HEAP=160m bench/large.sh            # another heap
set -euo pipefail
cd "$(dirname "$0")/.."

KIND=${KIND:-json}; BODY_MB=${BODY_MB:-10}; CLIENTS=${CLIENTS:-16}; REQUESTS=${REQUESTS:-2}; HEAP=${HEAP:-256m}
source bench/lib.sh
BRIDGE_JVM_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m \
  -Xss512k -XX:MaxDirectMemorySize=96m -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError \
  -Dio.netty.allocator.numDirectArenas=2 -Dio.grpc.netty.shaded.io.netty.allocator.numDirectArenas=2 ${EXTRA_OPTS:-}"

# One resource, one scope, spans of about 400 bytes of OTLP/JSON each, distinct trace and span ids.
python3 - "$((BODY_MB * 1000000))" "$work/body.json" <<'PY'
import json, random, sys
target, out = int(sys.argv[1]), sys.argv[2]
spans, size = [], 0
while size < target - 2000:
    i = len(spans)
    s = {"traceId": "%032x" % random.getrandbits(128), "spanId": "%016x" % random.getrandbits(64),
         "name": "op-%d" % i, "kind": 2, "startTimeUnixNano": "1700000000000000000",
         "endTimeUnixNano": "1700000000100000000",
         "attributes": [{"key": "http.method", "value": {"stringValue": "GET"}},
                        {"key": "http.url", "value": {"stringValue": "https://example.com/items/%d?q=%s" % (i, "x" * 40)}}]}
    size += len(json.dumps(s)) + 1
    spans.append(s)
json.dump({"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "large"}}]},
           "scopeSpans": [{"scope": {"name": "bench-large"}, "spans": spans}]}]}, open(out, "w"))
print(len(spans), "spans")
PY
body=$work/body.json; type=application/json; coding=identity
case "$KIND" in
  json) ;;
  gzip) gzip -k "$body"; body=$body.gz; coding=gzip ;;
  proto)
    cat > "$work/ToProto.java" <<'JAVA'
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.otlp.OtlpRequests;
import java.nio.file.Files;
import java.nio.file.Path;

public class ToProto {
    public static void main(String[] args) throws Exception {
        byte[] json = Files.readAllBytes(Path.of(args[0]));
        Files.write(Path.of(args[1]), new OtlpRequests(64, Long.MAX_VALUE)
                .decode(Signal.TRACES, "application/json", null, json).toByteArray());
    }
}
JAVA
    java -cp "$jar" "$work/ToProto.java" "$body" "$work/body.pb"
    body=$work/body.pb; type=application/x-protobuf ;;
  *) echo "KIND is json, proto or gzip" >&2; exit 2 ;;
esac
echo "body: $KIND, $(stat -c %s "$body") bytes as sent; $CLIENTS clients x $REQUESTS requests, heap $HEAP"

start_broker_and_bridge
client() {
  for _ in $(seq 1 "$REQUESTS"); do
    for _ in $(seq 1 200); do
      code=$(curl -s -o /dev/null -w '%{http_code}' -m 120 -H "Content-Type: $type" -H "Content-Encoding: $coding" \
        --data-binary @"$body" "http://127.0.0.1:$http_port/v1/traces" || true)
      echo "$code" >> "$work/codes"
      [ "$code" = 200 ] && break
      sleep 1
    done
  done
}
began=$(date +%s)
clients=()
for _ in $(seq 1 "$CLIENTS"); do client & clients+=($!); done
wait "${clients[@]}"
echo "seconds: $(( $(date +%s) - began ))"
echo "answers (000: no answer):"; sort "$work/codes" | uniq -c
grep VmHWM "/proc/$bridge_pid/status" 2>/dev/null || echo "the bridge is gone"
echo "OutOfMemoryError lines: $(grep -c OutOfMemoryError "$work/bridge.log" || true)"
