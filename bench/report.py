"""Renders one bench/run.py result as docs/benchmarks.md: every ratio next to its target."""

# the targets, each a ratio or a bound measured in the same run
TARGETS = {
    "accept_whatsapp": 0.5, "accept_sandbox": 0.5, "delivery": 0.9, "lag_p99_ms_at_50": 100.0,
    "history_flat": 1.5, "rss_mb_load": 512.0,
}


def bar(ratio, width=30):
    return "█" * max(0, min(width, round(ratio * width)))


def render(r, targets=TARGETS):
    acc = r["accept"]
    nginx, bare = acc["nginx"]["ok_per_s"], acc["bare_camel"]["ok_per_s"]
    out = ["# Benchmarks", "",
           f"One run of `{r['command']}` ({r['elapsed_s'] / 60:.1f} min). Machine: {r['machine']['cpu']}, "
           f"{r['machine']['cores']} cores, {r['machine']['memory_gb']} GB, Linux {r['machine']['kernel']}, "
           f"{r['machine']['java']}. The load generator (wrk, or a paced Python client for the lag) runs on the "
           "same cores as the gateway, so the figures are read as ratios to ceilings measured in the same run, "
           f"in alternation (A B A B, {r['rounds']} rounds of {r['seconds']} s, medians), after a {r['warmup_s']} s JIT "
           "warm-up. "
           "Embedded defaults: H2 and Artemis on the local disk, every accept durable (database commit and "
           "broker journal) before the 200. Where a target is missed, [profiling.md](profiling.md) says what the "
           "profiles showed, what was fixed, and the figures before and after.", "",
           "## Targets", "",
           "| What | Measured | Target | |", "|---|---|---|---|"]

    def row(what, value, target, ok):
        out.append(f"| {what} | {value} | {target} | {'✅ met' if ok else '❌ missed'} |")

    for key, label in (("accept_whatsapp", "Durable accept, signed WhatsApp webhook"),
                       ("accept_sandbox", "Durable accept, sandbox injection")):
        ratio = acc[key]["ok_per_s"] / bare
        row(f"{label} ÷ bare Camel route", f"{ratio:.2f}×", f"≥ {targets[key]}×", ratio >= targets[key])
    d = r["deliver"]
    ratio = d["delivered_per_s"] / d["accept_per_s"] if d["accept_per_s"] else 0
    row("Sustained delivery ÷ accept rate", f"{ratio:.2f}×", f"≥ {targets['delivery']}×", ratio >= targets["delivery"])
    half = next(l for l in r["lag"] if l["share"] == 0.5)
    row("p99 lag accept → callback at 50 % of peak", f"{half['p99_ms']:.0f} ms", f"< {targets['lag_p99_ms_at_50']:.0f} ms",
        half["p99_ms"] < targets["lag_p99_ms_at_50"])
    for store in ("h2", "postgres"):
        h = r.get("history_" + store)
        if h:
            flat = h[-1]["p99_ms"] / h[0]["p99_ms"] if h[0]["p99_ms"] else 0
            row(f"History p99 at {h[-1]['stored']:,} ÷ at {h[0]['stored']:,} stored ({'H2' if store == 'h2' else 'PostgreSQL'})",
                f"{flat:.2f}×", f"≤ {targets['history_flat']}× (flat)", flat <= targets["history_flat"])
    row("RSS under load", f"{r['rss_load_peak_mb']:.0f} MB", f"< {targets['rss_mb_load']:.0f} MB",
        r["rss_load_peak_mb"] < targets["rss_mb_load"])

    out += ["", "## Accept: requests/s and latency (median of the rounds)", "",
            "| Endpoint | req/s | ÷ nginx | ÷ bare Camel | p50 | p99 | p99.9 | failed | per round |",
            "|---|---|---|---|---|---|---|---|---|"]
    for key, label in (("nginx", "nginx, fixed 200 (machine ceiling)"),
                       ("bare_camel", "bare Camel platform-http route, JSON parsed (stack ceiling)"),
                       ("accept_whatsapp", "POST /webhooks/whatsapp: signed 1 KB, verified, stored, queued"),
                       ("accept_sandbox", "POST /webhooks/dummy: stored, queued")):
        a = acc[key]
        out.append(f"| {label} | {a['ok_per_s']:.0f} | {a['ok_per_s'] / nginx:.3f} | {a['ok_per_s'] / bare:.3f} | "
                   f"{a['p50_ms']:.1f} ms | {a['p99_ms']:.1f} ms | {a['p999_ms']:.1f} ms | {a['failed']} | "
                   f"{', '.join(map(str, a['rounds']))} |")
    out += ["", "```"]
    for key in ("nginx", "bare_camel", "accept_whatsapp", "accept_sandbox"):
        ratio = acc[key]["ok_per_s"] / nginx
        out.append(f"{key:<16} {bar(ratio)} {acc[key]['ok_per_s']:>7.0f}/s")
    out += ["```", "",
            "## Deliver: accept → client webhook (nginx)", "",
            f"Sustained: {d['accepted']:,} sandbox messages accepted at {d['accept_per_s']:.0f}/s for "
            f"{2 * r['seconds']} s; all {d['delivered']:,} `message/receive` callbacks were at the client "
            f"{d['drain_s']:.1f} s after the first request: **{d['delivered_per_s']:.0f} callbacks/s**.", "",
            "| Paced load (share of the sandbox accept peak) | rate | delivered | lag p50 | lag p99 |",
            "|---|---|---|---|---|"]
    for lag in r["lag"]:
        out.append(f"| {lag['share']:.0%} | {lag['rate']:.0f}/s | {lag['delivered']}/{lag['accepted']} | "
                   f"{lag['p50_ms']:.1f} ms | {lag['p99_ms']:.1f} ms |")
    s = r["send"]
    out += ["", "## Send: message/send → WhatsApp provider stub (nginx)", "",
            f"{s['accepted']:,} sends accepted at **{s['accepted_per_s']:.0f}/s** (p99 {s['p99_ms']:.1f} ms); "
            f"{s['provider_calls']:,} provider calls at **{s['provider_calls_per_s']:.0f}/s** (first request to "
            "last call).", "",
            "## History: session/messages of a 50-message session as the store grows", "",
            "| Store | messages stored | req/s | p50 | p99 |", "|---|---|---|---|---|"]
    for store, label in (("history_h2", "H2 (embedded)"), ("history_postgres", "PostgreSQL 15")):
        for h in r.get(store) or []:
            out.append(f"| {label} | {h['stored']:,} | {h['rps']:.0f} | {h['p50_ms']:.2f} ms | {h['p99_ms']:.2f} ms |")
    out += ["", "## Footprint", "",
            f"Time to healthy {r['time_to_healthy_s']:.1f} s (process start to `/actuator/health` 200); "
            f"RSS {r['rss_idle_mb']:.0f} MB idle, {r['rss_load_peak_mb']:.0f} MB peak under load, with "
            f"`{' '.join(r['jvm_options'])}` and `MALLOC_ARENA_MAX=2`.", ""]
    if r.get("jmh"):
        out += ["## JMH: the hot transformations (one thread, average time)", "",
                "| Benchmark | µs/op | ± |", "|---|---|---|"]
        for j in r["jmh"]:
            out.append(f"| {j['benchmark']} | {j['us_per_op']:.2f} | {j['error']:.2f} |")
        out.append("")
    return "\n".join(out) + "\n"
