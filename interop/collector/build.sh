#!/usr/bin/env bash
# Builds the interop Collector (bin/otelcol-bridge-interop) and the OTLP sender
# (bin/sendotlp) from this module, with the versions pinned in go.mod and go.sum.
#
#   interop/collector/build.sh            # both binaries
#   GOCACHE=$(mktemp -d) interop/collector/build.sh   # from an empty build cache
#
# Needs Go >= 1.26.0 (go.mod's go line; some dependencies require it) and the Go module
# proxy, unless the modules are in the module cache already. go.mod and go.sum are never
# changed (-mod=readonly): a build that would need to change them fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

export GOFLAGS="-mod=readonly -buildvcs=false"
export CGO_ENABLED=${CGO_ENABLED:-0}

# All core modules at one release: v0.x at betaRelease, v1.x at stableRelease (main.go);
# all contrib modules at contribRelease (components.go).
beta=$(sed -n 's/^\tbetaRelease *= *"\(v[^"]*\)"/\1/p' main.go)
stable=$(sed -n 's/^\tstableRelease *= *"\(v[^"]*\)"/\1/p' main.go)
contrib=$(sed -n 's/^const contribRelease *= *"\(v[^"]*\)"/\1/p' components.go)
bad=$(go list -m -f '{{.Path}} {{.Version}}' all | awk -v b="$beta" -v s="$stable" -v c="$contrib" '
  $1 ~ /^go\.opentelemetry\.io\/collector(\/|$)/ && $2 != b && $2 != s { print }
  $1 ~ /^github\.com\/open-telemetry\/opentelemetry-collector-contrib\// && $2 != c { print }')
if [[ -n "$bad" ]]; then
  echo "build.sh: Collector modules off the pinned releases ($beta / $stable / contrib $contrib):" >&2
  echo "$bad" >&2
  exit 1
fi

mkdir -p bin
start=$(date +%s.%N)
go build -trimpath -o bin/otelcol-bridge-interop .
go build -trimpath -o bin/sendotlp ./cmd/sendotlp
end=$(date +%s.%N)
printf 'build.sh: built bin/otelcol-bridge-interop and bin/sendotlp in %.1f s (%s, GOCACHE=%s)\n' \
  "$(echo "$end - $start" | bc)" "$(go version | cut -d' ' -f3)" "$(go env GOCACHE)"
