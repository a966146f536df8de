#!/usr/bin/env bash
# File-drop benchmark (a benchmark, not a test: it reports figures and asserts nothing).
#
# Starts a Kafka broker (the bridge jar's `broker` command, its own process) and the bridge against it (its own
# process, -Xmx256m), writes a .jsonl file of seed log records (FILE_MB, default 1024 MB), moves it into the
# bridge's inbox and reports: records on Kafka, seconds until the file is in .done, records per second, and the
# bridge's peak RSS. Then Kafka's own ProducerPerformance on the same broker, as the yardstick.
#
#   bench/file.sh                 # 1 GB; FILE_MB=200 bench/file.sh for a shorter run
set -euo pipefail
cd "$(dirname "$0")/.."

FILE_MB=${FILE_MB:-1024}
BRIDGE_HEAP=${BRIDGE_HEAP:-256m}
source bench/lib.sh
mvn -B -q dependency:copy -Dartifact=org.apache.kafka:kafka-tools:3.9.1 -DoutputDirectory="$work/lib" >/dev/null
mvn -B -q dependency:copy -Dartifact=net.sourceforge.argparse4j:argparse4j:0.7.0 -DoutputDirectory="$work/lib" >/dev/null
BRIDGE_JVM_OPTS="-Xms64m -Xmx$BRIDGE_HEAP" start_broker_and_bridge

echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1); bridge heap $BRIDGE_HEAP"
big="$work/big.jsonl"
python3 - "$big" "$FILE_MB" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
pad = "x" * 200
with open(path, "w") as out:
    i = 0
    while out.tell() < mb * 1024 * 1024:
        out.write('{"timestamp":"2025-01-01T00:00:00Z","level":"Info","message":"line-%d-%s",'
                  '"attributes":{"service.name":"bench","n":"%d"}}\n' % (i, pad, i))
        i += 1
print("wrote %d lines" % i)
PY
lines=$(wc -l < "$big")
size_mb=$(( $(stat -c %s "$big") / 1048576 ))
before=$(java -cp "$jar" bench/OtlpLoad.java --end-offsets "$bootstrap" telemetry.logs)
start=$(date +%s.%N)
mv "$big" "$work/bridge/inbox/logs/big.jsonl"
while ! ls "$work/bridge/inbox/.done/logs/" 2>/dev/null | grep -q '^big\.'; do
  kill -0 "$bridge_pid" 2>/dev/null || { echo "the bridge died; its log:"; tail -20 "$work/bridge.log"; exit 1; }
  sleep 0.5
done
end=$(date +%s.%N)
after=$(java -cp "$jar" bench/OtlpLoad.java --end-offsets "$bootstrap" telemetry.logs)
secs=$(echo "$end - $start" | bc -l)
records=$((after - before))
rate=$(echo "$records / $secs" | bc -l)
printf "file: %d MB, %d lines; in .done after %.1f s; records on Kafka %d; %.0f records/s\n" \
  "$size_mb" "$lines" "$secs" "$records" "$rate"
echo "bridge peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$bridge_pid/status)"
echo "OutOfMemoryError lines in the bridge log: $(grep -c OutOfMemoryError "$work/bridge.log" || true)"

echo "== Kafka ProducerPerformance: 1500000 records of 300 bytes, bridge's producer settings"
java -cp "$jar:$work/lib/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create \
  --topic bench.producer-performance --partitions 3 --replication-factor 1 >/dev/null
pp=$(java -cp "$jar:$work/lib/*" org.apache.kafka.tools.ProducerPerformance --topic bench.producer-performance \
  --num-records 1500000 --record-size 300 --throughput -1 --producer-props bootstrap.servers="$bootstrap" \
  acks=all enable.idempotence=true compression.type=lz4 linger.ms=5 batch.size=131072 2>/dev/null | tail -1)
echo "$pp"
pp_rate=$(echo "$pp" | sed -E 's/.*records sent, ([0-9.]+) records\/sec.*/\1/')
printf "file ingestion = %.2f x ProducerPerformance\n" "$(echo "$rate / $pp_rate" | bc -l)"
