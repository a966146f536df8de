#!/usr/bin/env bash
# Codec benchmark (a benchmark, not a test: it reports figures and asserts nothing). Runs the bridge's decode,
# validation and record encoding of the benchmark's OTLP trace requests (bench/OtlpLoad.java, 100 spans each) in
# one thread, without HTTP or Kafka, and prints nanoseconds per span for each pipeline. On a shared 2-core machine
# the end-to-end runs of bench/run.sh drift by 10 to 20% between runs; this one isolates the steps we own, so a
# change of a few percent there shows. Compare two builds by running each a few times, alternately.
#
#   bench/codec.sh                    # ROUNDS=10 rounds of ROUND_SECONDS=2 per pipeline; JAR=... another build
#   ONLY=json bench/codec.sh          # only the pipelines whose name contains "json"; JAVA_OPTS=... added
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${JAR:-$PWD/target/telemetry-bridge.jar}
[ -f "$jar" ] || mvn -B -q package -DskipTests
# The heap of the JVM settings docs/running.md recommends.
exec java -Xms256m -Xmx256m -XX:+UseSerialGC ${JAVA_OPTS:-} -cp "$jar" bench/OtlpLoad.java --codec "${ROUNDS:-10}" \
  "${ROUND_SECONDS:-2}" "${ONLY:-}"
