"""Summary of a JDK Flight Recorder recording printed as JSON (jfr print --json): CPU samples by thread,
package and method; allocation samples by class and site. Used by bench/profile.sh."""
import json, sys, collections
events = json.load(open(sys.argv[1]))["recording"]["events"]
records = int(sys.argv[2]) if len(sys.argv) > 2 else 0
# Bytes allocated: per thread, its last figure of the recording less its figure at the start (a thread started
# during the recording: all of it).
stats = [e for e in events if e["type"] == "jdk.ThreadAllocationStatistics"]
start = min((e["values"]["startTime"] for e in stats), default=None)
first, last = {}, {}
for e in stats:
    t = (e["values"].get("thread") or {}).get("javaThreadId")
    if e["values"]["startTime"] == start:
        first[t] = e["values"]["allocated"]
    last[t] = e["values"]["allocated"]
allocated = sum(v - first.get(t, 0) for t, v in last.items())
if records:
    print(f"== allocated: {allocated / 2**20:.0f} MiB, {allocated / records:.0f} bytes per record ({records} records)")
def frames(e):
    st = e["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f["method"]
        out.append(m["type"]["name"].replace("/", ".") + "." + m["name"])
    return out
samples = [e for e in events if e["type"] == "jdk.ExecutionSample"]
cpu = [frames(e) for e in samples]
threads = collections.Counter()
for e in samples:
    t = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
    threads["".join(c if not c.isdigit() else "#" for c in t)] += 1
own, incl, pkg = collections.Counter(), collections.Counter(), collections.Counter()
for fs in cpu:
    if not fs:
        continue
    own[fs[0]] += 1
    for m in set(fs):
        incl[m] += 1
    pkg[".".join(fs[0].split(".")[:3])] += 1
n = max(1, len(cpu))
print(f"== CPU: {len(cpu)} samples")
print("-- by thread (digits as #)"); [print(f"{c*100/n:5.1f}% {t}") for t, c in threads.most_common(12)]
print("-- own time, by package"); [print(f"{c*100/n:5.1f}% {p}") for p, c in pkg.most_common(15)]
print("-- own time, by method"); [print(f"{c*100/n:5.1f}% {m}") for m, c in own.most_common(25)]
print("-- including callees, methods of the bridge and its libraries")
for m, c in incl.most_common(400):
    if m.startswith(("io.telemetrybridge", "org.apache.camel", "org.apache.kafka", "com.fasterxml", "com.google.protobuf", "io.vertx", "io.grpc")):
        print(f"{c*100/n:5.1f}% {m}")
alloc = collections.Counter(); site = collections.Counter(); total = 0
for e in events:
    if e["type"] != "jdk.ObjectAllocationSample":
        continue
    w = e["values"]["weight"]; total += w
    cls = e["values"]["objectClass"]["name"]
    alloc[cls] += w
    fs = frames(e)
    ours = next((f for f in fs if f.startswith("io.telemetrybridge")), "-")
    site[(fs[0] if fs else "?") + "  <- " + ours] += w
print(f"== allocation: {total/2**20:.0f} MiB sampled")
print("-- by class"); [print(f"{w*100/max(1,total):5.1f}% {c}") for c, w in alloc.most_common(15)]
print("-- by site (allocating frame <- nearest bridge frame)"); [print(f"{w*100/max(1,total):5.1f}% {s}") for s, w in site.most_common(25)]
