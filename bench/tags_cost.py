#!/usr/bin/env python3
"""What message tags cost (issue 27), measured in one gateway: tenant "flow" is tagged, tenant "plain" is the same
with `tags: false`, both with their webhook on nginx. Their rounds alternate (A B B A ...) after one warm-up, so
the two cases share the JVM, its JIT and the machine's state; only the tagging differs. Texts are the project's
labelled chat messages (src/test/resources/tags/evaluation.tsv: 8 languages, 50 characters on average).

  python3 bench/tags_cost.py [--jar target/mehery-gateway-*.jar] [--pairs 6] [--seconds 10] [--profile] [--swap]
                                                                                             (about 7 minutes)

Reports per case: sandbox accepts/s with callbacks flowing (each round), the gateway's CPU per message (accept and
callback: CPU from the round's start until the queues are drained, over the messages accepted), and the
accept-to-callback lag (p50, p99) paced at half the accept peak of the tenant "bench", which has no webhook (as
bench/run.py measures it). Writes bench/out/<time>-tags/results.json. With --profile, async-profiler samples the
gateway's CPU in every accept round (from the load's start until the queues are drained): the share of the CPU
samples spent in tagging per case, and the collapsed stacks beside the results. With --swap the tenants' roles are
swapped ("plain" tagged, "flow" not): a difference between the tenants themselves would show as one.
"""
import argparse
import asyncio
import collections
import json
import os
import statistics
import time

from run import (BENCH, ROOT, Gateway, Nginx, RssSampler, arrivals, http, log, packaged_jar, paced,
                 percentile, wrk)
from writer_profile import cpu_ticks, profiler, profiler_library

CASES = {"tags on": ("flow-sandbox", "flow-key"), "tags off": ("plain-sandbox", "plain-key")}
SWAPPED = {"tags on": ("plain-sandbox", "plain-key"), "tags off": ("flow-sandbox", "flow-key")}
TICKS_PER_S = os.sysconf("SC_CLK_TCK")
# where a CPU sample is counted as tagging, and the parts shown
TAGGING = (("language", "tags/Languages"), ("language (Lingua's detector)", "pemistahl/lingua"),
           ("sentiment", "tags/Sentiments"), ("places", "tags/Places"), ("names", "tags/Entities"),
           ("categories and the rest", "tags/MessageTags"))


def chat_texts(work):
    """The labelled set's texts, one per line, escaped for a JSON string (wrk's BENCH_TEXTS)."""
    texts = [line.rstrip("\n").split("\t")[4]
             for line in open(os.path.join(ROOT, "src", "test", "resources", "tags", "evaluation.tsv"),
                              encoding="utf-8")
             if line.strip() and not line.startswith("#")]
    path = os.path.join(work, "texts.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(t, ensure_ascii=False)[1:-1] + "\n" for t in texts)
    return texts, path


def tagging_shares(collapsed):
    """The samples of a collapsed profile, and the share of them in each part of the tagging."""
    parts, total = collections.Counter(), 0
    for line in open(collapsed):
        stack, _, count = line.rstrip().rpartition(" ")
        total += int(count)
        part = next((name for name, frame in TAGGING if frame in stack), None)
        if part:
            parts[part] += int(count)
    return total, {name: parts[name] / total if total else 0.0 for name, _ in TAGGING}


def accept_round(gw, case, seconds, tag, texts_path, library=None, work=None):
    channel, key = CASES[case]
    before = cpu_ticks(gw.proc.pid)
    if library:
        profiler(gw.proc.pid, library, "start,event=cpu,interval=1ms")
    r = wrk(f"{gw.base}/webhooks/dummy/{channel}", "sandbox", seconds, key=key, tag=tag, texts=texts_path)
    gw.settle()
    profile = {}
    if library:
        collapsed = os.path.join(work, f"{tag}-{case.replace(' ', '-')}.collapsed")
        profiler(gw.proc.pid, library, f"stop,collapsed,file={collapsed}")
        samples, shares = tagging_shares(collapsed)
        profile = {"samples": samples, "tagging": shares}
        log(f"  tagging {sum(shares.values()):.1%} of {samples} CPU samples: "
            + ", ".join(f"{name} {share:.1%}" for name, share in shares.items()))
    accepted = r["requests"] - r["failed"]
    cpu_ms = (cpu_ticks(gw.proc.pid) - before) * 1000 / TICKS_PER_S / max(1, accepted)
    log(f"{case:<8} {tag:<8} {r['ok_per_s']:6.0f} accepts/s  {cpu_ms:5.2f} ms CPU a message  failed {r['failed']}")
    return {"accepts_per_s": r["ok_per_s"], "cpu_ms_per_message": cpu_ms, "failed": r["failed"], **profile}


def lag_round(gw, nginx, case, rate, seconds, tag, texts):
    channel, key = CASES[case]
    acc, failed, late, _ = asyncio.run(paced(gw.base, key, rate, seconds, tag, channel=channel, texts=texts))
    deadline = time.time() + 60
    while len(arrivals(nginx, tag)) < len(acc) and time.time() < deadline:
        time.sleep(0.5)
    got = arrivals(nginx, tag)
    lag_ms = [(got[s] - acc[s]) * 1000 for s in acc if s in got]
    gw.settle()
    log(f"{case:<8} {tag:<8} lag p50 {percentile(lag_ms, 50):5.1f} ms  p99 {percentile(lag_ms, 99):6.1f} ms  "
        f"{len(lag_ms)}/{len(acc)} delivered, {late} late")
    return {"lag_ms": lag_ms, "accepted": len(acc), "delivered": len(lag_ms), "failed": failed, "late": late}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", help="the gateway jar to measure (default: the packaged one, built if missing)")
    ap.add_argument("--pairs", type=int, default=6, help="rounds of each case, in A B B A order")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--warm", type=int, default=120, help="seconds of warm-up load, shared by both cases")
    ap.add_argument("--profile", action="store_true", help="sample the gateway's CPU in each accept round")
    ap.add_argument("--swap", action="store_true", help="tag the tenant \"plain\" and not \"flow\"")
    args = ap.parse_args()
    jar = args.jar or packaged_jar()
    work = os.path.join(BENCH, "out", time.strftime("%Y%m%d-%H%M%S") + "-tags")
    os.makedirs(work)
    texts, texts_path = chat_texts(work)
    library = profiler_library(work) if args.profile else None
    nginx = Nginx(work)
    nginx.start()
    if args.swap:
        CASES.update(SWAPPED)
    gw = Gateway(jar, work, "gateway", nginx, configs=("bench.yaml", "tags_cost.yaml")
                 + (("tags_cost_swapped.yaml",) if args.swap else ()))
    results = {"jar": jar, "pairs": args.pairs, "seconds": args.seconds, "texts": len(texts), "swapped": args.swap,
               "tagged tenant": CASES["tags on"][1].split("-")[0]}
    try:
        gw.start()
        for key in ("flow-key", "plain-key"):
            http(gw.base + "/api/v1/config/webhook", {"url": f"http://127.0.0.1:{nginx.hook}/hooks"}, key=key)
        log(f"warm-up: {args.warm} s, both cases and the tenant without a webhook")
        for i, (channel, key) in enumerate([CASES["tags on"], CASES["tags off"]] * 2):
            wrk(f"{gw.base}/webhooks/dummy/{channel}", "sandbox", args.warm // 5, key=key, tag=f"warm{i}",
                texts=texts_path)
        wrk(f"{gw.base}/webhooks/dummy/bench-sandbox", "sandbox", args.warm // 5, key="bench-key", tag="warm",
            texts=texts_path)
        gw.settle(180)

        order = [case for i in range(args.pairs) for case in (("tags on", "tags off") if i % 2 == 0
                                                               else ("tags off", "tags on"))]
        with RssSampler(gw.proc.pid) as rss:
            rounds = {case: [] for case in CASES}
            for i, case in enumerate(order):
                rounds[case].append(accept_round(gw, case, args.seconds, f"acc{i}", texts_path, library, work))
            peak = wrk(f"{gw.base}/webhooks/dummy/bench-sandbox", "sandbox", args.seconds, key="bench-key",
                       tag="peak", texts=texts_path)["ok_per_s"]
            gw.settle()
            rate = peak / 2
            log(f"peak without a webhook {peak:.0f}/s: lag paced at {rate:.0f}/s")
            lags = {case: [] for case in CASES}
            for i, case in enumerate(order[:4]):
                lags[case] += lag_round(gw, nginx, case, rate, args.seconds * 2, f"lag{i}", texts)["lag_ms"]
        results["rss_peak_mb"] = rss.peak
        results["peak_without_webhook"] = peak
        results["lag_rate"] = rate
        results["cases"] = {}
        for case in CASES:
            rates = [r["accepts_per_s"] for r in rounds[case]]
            cpu = [r["cpu_ms_per_message"] for r in rounds[case]]
            results["cases"][case] = {
                "accepts_per_s": rates, "median_accepts_per_s": statistics.median(rates),
                "cpu_ms_per_message": cpu, "median_cpu_ms": statistics.median(cpu),
                "lag_p50_ms": percentile(lags[case], 50), "lag_p99_ms": percentile(lags[case], 99),
                "lag_messages": len(lags[case]), "failed": sum(r["failed"] for r in rounds[case])}
        on, off = results["cases"]["tags on"], results["cases"]["tags off"]
        # rounds i of each case ran next to each other: their ratio leaves out the drift of the run
        paired = [a / b for a, b in zip(on["accepts_per_s"], off["accepts_per_s"])]
        results["paired_on_over_off"] = paired
        results["summary"] = {
            "accepts on/off (median of paired ratios)": statistics.median(paired),
            "paired ratios min..max": [min(paired), max(paired)],
            "CPU a message off -> on (ms)": [off["median_cpu_ms"], on["median_cpu_ms"]],
            "lag p50 off -> on (ms)": [off["lag_p50_ms"], on["lag_p50_ms"]],
            "lag p99 off -> on (ms)": [off["lag_p99_ms"], on["lag_p99_ms"]],
            "RSS peak (MB)": rss.peak}
    finally:
        gw.stop()
        nginx.stop()
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    for name, value in results["summary"].items():
        log(f"{name}: {value}")
    log(f"results in {work}")


if __name__ == "__main__":
    main()
