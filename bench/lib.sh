# Shared by the benchmark scripts (sourced, from the project folder): starts a Kafka broker (the bridge jar's
# `broker` command) and the bridge against it, each in its own process, on free ports, under $work.
# Sets: jar, work, pids, bootstrap, kafka_port, controller_port, http_port, grpc_port, mgmt_port, broker_pid, bridge_pid. Everything started is stopped on exit.
jar=${JAR:-$PWD/target/telemetry-bridge.jar}
# The JVM settings docs/running.md#jvm-settings recommends (docker-compose.yml uses them too); BRIDGE_JVM_OPTS
# replaces them, e.g. BRIDGE_JVM_OPTS="-Xms512m -Xmx1g" for the figures of a bridge run without settings.
recommended_jvm_opts="-Xms256m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m \
-Xss512k -XX:MaxDirectMemorySize=96m -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError \
-Dio.netty.allocator.numDirectArenas=2 -Dio.grpc.netty.shaded.io.netty.allocator.numDirectArenas=2"
work=$(mktemp -d /tmp/telemetry-bench.XXXXXX)
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

# Starts (or starts again, on the same ports and data) the broker; sets broker_pid.
start_broker() {
  : > "$work/broker.log"
  java -jar "$jar" broker --port "$kafka_port" --controller-port "$controller_port" --data-dir "$work/kafka" \
    > "$work/broker.log" 2>&1 &
  broker_pid=$!
  pids+=($broker_pid)
  wait_for "grep -q 'Kafka broker listening' '$work/broker.log'"
}

start_broker_and_bridge() {
  kafka_port=$(free_port); controller_port=$(free_port); http_port=$(free_port); mgmt_port=$(free_port); grpc_port=$(free_port)
  bootstrap=127.0.0.1:$kafka_port
  start_broker
  mkdir -p "$work/bridge" && cp -r routes "$work/bridge/"
  (cd "$work/bridge" && exec java ${BRIDGE_JVM_OPTS:-$recommended_jvm_opts} -Dbridge.kafka.bootstrap-servers="$bootstrap" \
    -Dcamel.server.port="$http_port" -Dcamel.management.port="$mgmt_port" -Dbridge.grpc.port="$grpc_port" -Dbridge.heartbeat.enabled=false -Dbridge.file.quiet-period-ms=500 \
    -jar "$jar" > "$work/bridge.log" 2>&1) &
  bridge_pid=$!
  pids+=($bridge_pid)
  wait_for "curl -sf http://127.0.0.1:$mgmt_port/observe/health/ready"
}
