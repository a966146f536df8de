"""CPU time per thread of a process between two snapshots (Linux /proc), for the benchmark scripts.

  python3 bench/threads.py snapshot PID > before.json
  python3 bench/threads.py diff PID before.json     # top threads by CPU seconds since the snapshot, by name
"""
import json, os, sys, collections

def snapshot(pid):
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = [name, (int(fields[11]) + int(fields[12])) / tick]
    return out

if sys.argv[1] == "snapshot":
    json.dump(snapshot(sys.argv[2]), sys.stdout)
else:
    before = json.load(open(sys.argv[3]))
    now = snapshot(sys.argv[2])
    by = collections.Counter()
    for tid, (name, cpu) in now.items():
        by["".join("#" if c.isdigit() else c for c in name)] += cpu - before.get(tid, [name, 0])[1]
    total = sum(by.values())
    print(f"-- CPU by thread name (digits as #): {total:.1f} s")
    for name, cpu in by.most_common(15):
        print(f"{cpu:7.2f} s {cpu * 100 / max(total, 1e-9):5.1f}% {name}")
