"""Summary of async-profiler's collapsed stacks (one line per stack: "[thread];frame;...;frame count"), as
bench/profile.sh writes them: share by thread, then the top methods by own samples and including callees, for
all threads and for the threads whose name contains a given text. For allocations (event alloc, counts in
bytes) it also prints bytes per record.

    python3 bench/stacks.py STACKS [THREAD] [EVENT] [RECORDS]
"""
import collections, re, sys

path = sys.argv[1]
only = sys.argv[2] if len(sys.argv) > 2 else ""
event = sys.argv[3] if len(sys.argv) > 3 else "cpu"
records = int(sys.argv[4]) if len(sys.argv) > 4 else 0

stacks = []
for line in open(path):
    text, _, count = line.rstrip("\n").rpartition(" ")
    frames = text.split(";")
    if not frames[0].startswith("["):
        frames.insert(0, "[?]")
    # Thread ids and numbers differ between threads of one pool: "vert.x-worker-thread-3 tid=123" -> "#".
    stacks.append((re.sub(r"\d+", "#", frames[0].strip("[]")), [f.replace("/", ".") for f in frames[1:]], int(count)))

total = sum(n for _, _, n in stacks)
unit = "bytes" if event == "alloc" else "samples"
print(f"== {event}: {total} {unit}" + (f", {total / records:.0f} bytes per record ({records} records)"
                                       if event == "alloc" and records else ""))
by_thread = collections.Counter()
for thread, _, n in stacks:
    by_thread[thread] += n
print("-- by thread")
for thread, n in by_thread.most_common(12):
    print(f"{100 * n / max(total, 1):5.1f}% {thread}")


def top(selected, title, own_n=25, incl_n=45):
    size = sum(n for _, _, n in selected)
    own, incl = collections.Counter(), collections.Counter()
    for _, frames, n in selected:
        if frames:
            own[frames[-1]] += n
        for f in set(frames):
            incl[f] += n
    print(f"== {title}: {100 * size / max(total, 1):.1f}% of all")
    print("-- own")
    for f, n in own.most_common(own_n):
        print(f"{100 * n / max(size, 1):5.1f}% {f}")
    print("-- including callees (frames of the thread's own loop left out)")
    shown = 0
    for f, n in incl.most_common():
        if n > 0.97 * size:
            continue
        print(f"{100 * n / max(size, 1):5.1f}% {f}")
        shown += 1
        if shown >= incl_n:
            break


top(stacks, "all threads")
if only:
    top([s for s in stacks if only in s[0]], f"threads named *{only}*")
