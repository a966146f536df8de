"""Helpers of bridge-to-collector.sh (run with the Python of interop/python's requirements):

    python otlp_compare.py capture PORT DIR      # an OTLP/HTTP receiver that keeps every request body in DIR
    python otlp_compare.py compare SENT_DIR GOT_DIR
                                                 # the same OTLP data in both? (resources' order aside)

The capture server answers every POST /v1/{traces,metrics,logs} (application/x-protobuf, gzip or not) with an
empty Export*ServiceResponse and writes the body to DIR/<signal>-<n>.pb. compare reads SENT_DIR/<signal>*.json
(OTLP/JSON, as sent to the bridge) and GOT_DIR/<signal>*.pb, flattens both into (resource, scope, item) triples
with attribute lists sorted by key, and compares them as multisets per signal. Exits 1 on any difference.
"""
import base64
import collections
import glob
import gzip
import http.server
import json
import os
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

REQUESTS = {"traces": ExportTraceServiceRequest, "metrics": ExportMetricsServiceRequest,
            "logs": ExportLogsServiceRequest}
# resource list field, scope list field, item list field
FIELDS = {"traces": ("resource_spans", "scope_spans", "spans"),
          "metrics": ("resource_metrics", "scope_metrics", "metrics"),
          "logs": ("resource_logs", "scope_logs", "log_records")}


def capture(port, out):
    os.makedirs(out, exist_ok=True)
    counter = collections.Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            signal = self.path.rstrip("/").rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if signal not in REQUESTS:
                self.send_response(404)
                self.end_headers()
                return
            counter[signal] += 1
            with open(os.path.join(out, f"{signal}-{counter[signal]:06d}.pb"), "wb") as f:
                f.write(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def canonical(message):
    """A message as sorted JSON: attribute lists sorted by key (their order carries no meaning in OTLP), and
    empty messages left out (an empty status is no status)."""
    d = json_format.MessageToDict(message, preserving_proto_field_name=True)

    def sort(x):
        if isinstance(x, dict):
            return {k: (sorted((sort(i) for i in v), key=lambda a: a.get("key", ""))
                        if k == "attributes" and isinstance(v, list) else sort(v))
                    for k, v in x.items() if v != {}}
        if isinstance(x, list):
            return [sort(i) for i in x]
        return x

    return json.dumps(sort(d), sort_keys=True)


def triples(signal, request):
    rl, sl, il = FIELDS[signal]
    out = collections.Counter()
    for r in getattr(request, rl):
        resource = canonical(r.resource)
        for s in getattr(r, sl):
            scope = canonical(s.scope)
            for item in getattr(s, il):
                if signal == "metrics":
                    # A metric's data points may be cut into several records: compare point by point.
                    kind = item.WhichOneof("data")
                    points = getattr(item, kind).data_points if kind else []
                    shell = type(item)()
                    shell.CopyFrom(item)
                    if kind:
                        shell_data = getattr(shell, kind)
                        del shell_data.data_points[:]
                    for p in points or [None]:
                        out[(resource, r.schema_url, scope, s.schema_url, canonical(shell),
                             canonical(p) if p is not None else "")] += 1
                else:
                    out[(resource, r.schema_url, scope, s.schema_url, canonical(item))] += 1
    return out


ID_FIELDS = {"traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"}


def otlp_json(text, cls):
    """OTLP/JSON into a message: ids are hex there (OTLP spec, "JSON Protobuf Encoding"), base64 for protobuf's
    own JSON mapping."""
    def ids(x):
        if isinstance(x, dict):
            return {k: (base64.b64encode(bytes.fromhex(v)).decode() if k in ID_FIELDS and isinstance(v, str)
                        else ids(v)) for k, v in x.items()}
        if isinstance(x, list):
            return [ids(i) for i in x]
        return x

    return json_format.ParseDict(ids(json.loads(text)), cls(), ignore_unknown_fields=False)


def compare(sent_dir, got_dir):
    failures = 0
    for signal, cls in REQUESTS.items():
        sent, got = collections.Counter(), collections.Counter()
        for path in sorted(glob.glob(os.path.join(sent_dir, f"{signal}*.json"))):
            sent += triples(signal, otlp_json(open(path).read(), cls))
        for path in sorted(glob.glob(os.path.join(got_dir, f"{signal}-*.pb"))):
            r = cls()
            r.ParseFromString(open(path, "rb").read())
            got += triples(signal, r)
        missing, extra = sent - got, got - sent
        verdict = "PASS" if not missing and not extra and sent else "FAIL"
        failures += verdict == "FAIL"
        print(f"{verdict} {signal}: sent {sum(sent.values())} item(s), the Collector delivered "
              f"{sum(got.values())}; missing {sum(missing.values())}, extra {sum(extra.values())}")
        for t in list(missing)[:3]:
            print("  missing:", t[-1][:300])
        for t in list(extra)[:3]:
            print("  extra:  ", t[-1][:300])
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    if sys.argv[1] == "capture":
        capture(int(sys.argv[2]), sys.argv[3])
    else:
        compare(sys.argv[2], sys.argv[3])
