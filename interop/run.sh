#!/usr/bin/env bash
# Every interop check, one after the other (each starts what it needs and stops it again):
#   1. collector/collector-to-bridge.sh  a real OpenTelemetry Collector exporting to the bridge (otlp gRPC, otlphttp)
#   2. collector/bridge-to-collector.sh  the Collector's kafkareceiver reading the bridge's otlp_proto/otlp_json records
#   3. python/sdk-to-bridge.sh           the OpenTelemetry Python SDK, gRPC (its default) and http/protobuf
# Needs the bridge jar (mvn -B -q package -DskipTests), Go (the Collector is built by collector/build.sh the first
# time), Python 3 with venv, java, curl, jq. Exits 1 when any check fails.
#
#   interop/run.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
failed=()
for check in collector/collector-to-bridge.sh collector/bridge-to-collector.sh python/sdk-to-bridge.sh; do
  printf '\n== %s\n' "$check"
  "$here/$check" || failed+=("$check")
done
printf '\n== interop: %s\n' "$([[ ${#failed[@]} -eq 0 ]] && echo "all checks passed" || echo "FAILED: ${failed[*]}")"
[[ ${#failed[@]} -eq 0 ]]
