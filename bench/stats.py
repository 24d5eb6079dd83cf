#!/usr/bin/env python3
"""Statistics for bench/run.sh (standard library only).

    stats.py record TIME_FILE SIZE TOOL RUN WALL_NS   prints one TSV line
    stats.py table RESULTS.tsv SIZE PAGES             prints the table of one size
    stats.py toolkit RESULTS.tsv                      prints the real toolkit's line

TIME_FILE is the output of `/usr/bin/time -v -o TIME_FILE`; WALL_NS the wall
time measured around it with `date +%s%N` (finer than time's 10 ms).
"""

import statistics
import sys

COLUMNS = ["size", "tool", "run", "wall_s", "rss_kib", "user_s", "sys_s"]


def record(time_file, size, tool, run, wall_ns):
    fields = {}
    with open(time_file, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
    rss = int(fields.get("Maximum resident set size (kbytes)", "0"))
    user = float(fields.get("User time (seconds)", "0"))
    sys_ = float(fields.get("System time (seconds)", "0"))
    wall = int(wall_ns) / 1e9
    print(f"{size}\t{tool}\t{run}\t{wall:.4f}\t{rss}\t{user:.2f}\t{sys_:.2f}")


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(COLUMNS) or parts[0] == "size":
                continue
            row = dict(zip(COLUMNS, parts))
            for k in ("wall_s", "user_s", "sys_s"):
                row[k] = float(row[k])
            row["rss_kib"] = int(row["rss_kib"])
            rows.append(row)
    return rows


def summary(rows):
    walls = [r["wall_s"] for r in rows]
    return {
        "n": len(rows),
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "rss_mib": statistics.median(r["rss_kib"] for r in rows) / 1024,
        "cpu": statistics.median(r["user_s"] + r["sys_s"] for r in rows),
    }


def table(path, size, pages):
    rows = [r for r in load(path) if r["size"] == size]
    pages = int(pages)
    tools = []
    for r in rows:
        if r["tool"] not in tools:
            tools.append(r["tool"])
    stats = {t: summary([r for r in rows if r["tool"] == t]) for t in tools}
    header = (
        f"{'build':<24}{'runs':>5}{'median s':>10}{'min s':>8}{'max s':>8}"
        f"{'pages/s':>10}{'peak MiB':>10}{'CPU s':>8}"
    )
    print(header)
    print("-" * len(header))
    for t in tools:
        s = stats[t]
        print(
            f"{t:<24}{s['n']:>5}{s['median']:>10.3f}{s['min']:>8.3f}{s['max']:>8.3f}"
            f"{pages / s['median']:>10.0f}{s['rss_mib']:>10.1f}{s['cpu']:>8.2f}"
        )
    # Each of our builds against the peer that does the same work.
    for ours, peer, label in [
        ("passerelle", "hugo", "passerelle/hugo"),
        ("passerelle (default)", "hugo then pagefind", "passerelle (default, search on)/(hugo then pagefind)"),
    ]:
        p, h = stats.get(ours), stats.get(peer)
        if p and h:
            print(
                f"ratio {label}: time {p['median'] / h['median']:.2f}, "
                f"peak memory {p['rss_mib'] / h['rss_mib']:.2f} "
                f"(below 1: faster / smaller; {h['median'] / p['median']:.2f}x the peer's speed)"
            )


def toolkit(path):
    rows = [r for r in load(path) if r["size"] == "toolkit"]
    for tool in sorted({r["tool"] for r in rows}):
        s = summary([r for r in rows if r["tool"] == tool])
        label = "real toolkit" + ("" if tool == "passerelle" else f" {tool.replace('passerelle ', '')}")
        print(
            f"{label}: median {s['median'] * 1000:.0f} ms over {s['n']} full builds "
            f"(min {s['min'] * 1000:.0f} ms, max {s['max'] * 1000:.0f} ms), "
            f"peak {s['rss_mib']:.1f} MiB"
        )


def main(argv):
    if len(argv) >= 2 and argv[1] == "record" and len(argv) == 7:
        record(*argv[2:])
    elif len(argv) == 5 and argv[1] == "table":
        table(argv[2], argv[3], argv[4])
    elif len(argv) == 3 and argv[1] == "toolkit":
        toolkit(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
