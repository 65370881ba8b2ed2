#!/usr/bin/env python3
"""Where the accept path waits, with and without the tenant's webhook (issue 23): sandbox accepts from wrk for 20 s
per case after a warm-up, on the bench's configuration and JVM flags, the client webhook on nginx. For each case it
reports accepts/s, the machine's idle share, the gateway's CPU, and a wall-clock profile (async-profiler,
event=wall) of the store's single writer, the thread `group-commit`: how busy it is and on what.

  python3 bench/writer_profile.py [--jar target/mehery-gateway-*.jar] [--warm 100] [--postgres]   (about 4 minutes)
Keeps the collapsed stacks under bench/out/<time>-writer/. With --postgres the store is the local PostgreSQL server
(a database of its own, dropped afterwards) instead of the embedded H2: the same writer, whose commits there do not
serialize the pages they touched.
"""
import argparse
import collections
import contextlib
import os
import subprocess
import time

from crash_drill import maven_artifact
from delivery import set_webhook
from run import BENCH, Gateway, Nginx, log, packaged_jar, postgres_gateway, wrk

AP_VERSION = "4.1"
CASES = (("without a webhook", "bench-sandbox", "bench-key"), ("with its webhook", "flow-sandbox", "flow-key"))
WRITER_PARTS = (("waiting for writes", "GroupCommit.nextBatch"), ("pwrite", "writeFully"),
                ("serializing pages", "FileStore.serializeAndStore"), ("statements", "DataChangeStatement"),
                ("queries", "Query.query"))


def profiler_library(work):
    jar = maven_artifact("tools.profiler", "async-profiler", AP_VERSION, "jar", "linux-x64")
    subprocess.run(["unzip", "-q", "-o", jar, "-d", os.path.join(work, "ap")], check=True)
    return os.path.join(work, "ap", "linux-x64", "libasyncProfiler.so")


def profiler(pid, library, options):
    subprocess.run(["java", os.path.join(BENCH, "profiler", "Attach.java"), str(pid), library, options], check=True)


def idle_and_total():
    ticks = list(map(int, open("/proc/stat").readline().split()[1:]))
    return ticks[3] + ticks[4], sum(ticks)


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def writer_shares(collapsed):
    parts, total = collections.Counter(), 0
    for line in open(collapsed):
        stack, _, count = line.rstrip().rpartition(" ")
        frames = stack.split(";")
        if not frames[0].startswith("[group-commit tid"):
            continue
        total += int(count)
        part = next((name for name, frame in WRITER_PARTS if any(frame in f for f in frames)), "other")
        parts[part] += int(count)
    return total, {name: parts[name] / total for name in [p for p, _ in WRITER_PARTS] + ["other"]} if total else {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar")
    ap.add_argument("--warm", type=int, default=100)
    ap.add_argument("--postgres", action="store_true", help="the local PostgreSQL server as the store, not H2")
    args = ap.parse_args()
    work = os.path.join(BENCH, "out", time.strftime("%Y%m%d-%H%M%S") + "-writer")
    os.makedirs(work)
    library = profiler_library(work)
    nginx = Nginx(work)
    nginx.start()
    jar, configs = args.jar or packaged_jar(), ("bench.yaml", "delivery.yaml")
    with contextlib.ExitStack() as stack:
        stack.callback(nginx.stop)
        if args.postgres:
            gw, _ = stack.enter_context(postgres_gateway(jar, work, nginx, "writer-pg", configs))
        else:
            gw = Gateway(jar, work, "gateway", nginx, configs=configs)
            stack.callback(gw.stop)
            gw.start()
        set_webhook(gw, "flow-key", f"http://127.0.0.1:{nginx.hook}/hooks")
        log(f"warm-up: {args.warm} s of accepts, half with a webhook")
        for _, channel, key in CASES:
            wrk(f"{gw.base}/webhooks/dummy/{channel}", "sandbox", args.warm // 2, key=key, tag="warm")
        gw.settle(120)
        for name, channel, key in CASES:
            collapsed = os.path.join(work, name.replace(" ", "-") + ".collapsed")
            idle0, total0 = idle_and_total()
            cpu0 = cpu_ticks(gw.proc.pid)
            profiler(gw.proc.pid, library, "start,event=wall,interval=5ms,threads")
            result = wrk(f"{gw.base}/webhooks/dummy/{channel}", "sandbox", 20, key=key, tag=name)
            profiler(gw.proc.pid, library, f"stop,collapsed,file={collapsed}")
            idle1, total1 = idle_and_total()
            cores = (cpu_ticks(gw.proc.pid) - cpu0) / os.sysconf("SC_CLK_TCK") / 20
            samples, shares = writer_shares(collapsed)
            busy = 1 - shares.get("waiting for writes", 0)
            log(f"{name}: {result['ok_per_s']:.0f} accepts/s, machine idle {(idle1 - idle0) / (total1 - total0):.0%},"
                f" gateway {cores:.2f} cores, group-commit busy {busy:.1%} of {samples} wall samples, writer time per"
                f" accept {busy * 20000 / result['requests']:.2f} ms")
            log("  " + ", ".join(f"{part} {share:.0%}" for part, share in shares.items()))
            gw.settle(120)


if __name__ == "__main__":
    main()
