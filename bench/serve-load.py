#!/usr/bin/env python3
"""The live preview under load, and its memory over many rebuilds.

1. Starts `passerelle serve` on a copy of the toolkit, runs wrk (50 connections,
   30 s) against a session page while 30 edits of that page land, one a second,
   each waited for until its reload event. wrk's script counts non-2xx answers
   and torn pages (any answer that is not one whole version of the page).
2. Then edits the page until 1,000 rebuilds have run, and compares the server's
   resident memory after 10 rebuilds and after 1,000.

    python3 bench/serve-load.py [ROOT] [--bin target/release/passerelle] [--rebuilds 1000]
"""
import argparse
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time

from preview import Preview

HERE = pathlib.Path(__file__).resolve().parent


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", default=str(HERE.parent))
    ap.add_argument("--bin", default=str(HERE.parent / "target/release/passerelle"))
    ap.add_argument("--page", default="content/en/curriculum/session-03.md")
    ap.add_argument("--rebuilds", type=int, default=1000)
    a = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="passerelle-load-"))
    root = tmp / "kit"
    for part in ["content", "data", "themes", "toolkit.yaml", "static", "templates", "i18n", "assets"]:
        src = pathlib.Path(a.root) / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        elif src.is_file():
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, root / part)
    page = root / a.page
    original = page.read_text(encoding="utf-8")
    version = [0]

    def edit():
        version[0] += 1
        page.write_text(original + f"\n\nThis page was served under load ({version[0]}).\n", encoding="utf-8")

    edit()
    preview = Preview(a.bin, root)
    server, base, port = preview.server, preview.base, preview.port
    try:
        rebuilds = [0]
        rss_at_10 = [0]

        def wait_reload():
            while preview.next_event() != "reload":
                pass
            rebuilds[0] += 1
            if rebuilds[0] == 10:
                rss_at_10[0] = rss_kib(server.pid)

        url = f"http://127.0.0.1:{port}{base}en/curriculum/session-03/"
        edits_done = []

        def edits():
            time.sleep(0.5)
            for _ in range(30):
                t0 = time.perf_counter()
                edit()
                wait_reload()
                edits_done.append(time.perf_counter() - t0)
                time.sleep(max(0.0, 1.0 - (time.perf_counter() - t0)))

        editor = threading.Thread(target=edits)
        editor.start()
        wrk = subprocess.run(["wrk", "-t2", "-c50", "-d30s", "--latency", "-s", str(HERE / "serve-load.lua"), url],
                             capture_output=True, text=True)
        editor.join()
        print("\n".join(l for l in wrk.stdout.splitlines() if l.startswith("load:")))
        print(f"load: {len(edits_done)} edits landed during the run, write → reload median "
              f"{sorted(edits_done)[len(edits_done) // 2] * 1000:.0f} ms")

        while rebuilds[0] < 10:
            edit()
            wait_reload()
        after_10 = rss_at_10[0]
        t0 = time.perf_counter()
        while rebuilds[0] < a.rebuilds:
            edit()
            wait_reload()
        after_n = rss_kib(server.pid)
        print(f"memory: {after_10 / 1024:.1f} MiB after 10 rebuilds, {after_n / 1024:.1f} MiB after "
              f"{rebuilds[0]} ({(after_n / after_10 - 1) * 100:+.1f}%)")
    finally:
        preview.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
