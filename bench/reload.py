#!/usr/bin/env python3
"""Live-preview latency: time from a file write to the reload event.

Starts `passerelle serve` on a free port, listens to its server-sent events, and
edits one page N times (alternating two versions of a word, so every write is a
real change). Prints the median, minimum and maximum time from the write to the
`reload` event, which is sent after the rebuilt site is in place.

    python3 bench/reload.py ROOT [--page content/en/...md] [--runs 21] [--bin target/release/passerelle]
"""
import argparse
import pathlib
import statistics
import sys
import time

from preview import Preview


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--page", help="file to edit, relative to ROOT (default: the first English page found)")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--bin", default=str(pathlib.Path(__file__).resolve().parent.parent / "target/release/passerelle"))
    a = ap.parse_args()
    root = pathlib.Path(a.root).resolve()
    page = root / a.page if a.page else sorted((root / "content/en").rglob("*.md"))[-1]
    original = page.read_text(encoding="utf-8")
    preview = Preview(a.bin, root)
    try:
        times = []
        for i in range(a.runs + 1):
            word = "edited" if i % 2 == 0 else "changed"
            text = original + f"\n\nThis page was {word} for the benchmark ({i}).\n"
            time.sleep(0.3)
            t0 = time.perf_counter()
            page.write_text(text, encoding="utf-8")
            event = preview.next_event()
            elapsed = (time.perf_counter() - t0) * 1000
            if event != "reload":
                sys.exit(f"expected a reload, got {event}")
            if i > 0:  # the first is a warm-up
                times.append(elapsed)
        print(f"{root.name}: {len(times)} edits of {page.relative_to(root)}; write → reload "
              f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms")
    finally:
        page.write_text(original, encoding="utf-8")
        preview.close()


if __name__ == "__main__":
    main()
