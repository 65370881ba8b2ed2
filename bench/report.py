"""Renders one bench/run.py result as docs/benchmarks.md: every ratio next to its target."""

# the targets of issue 10, each a ratio or a bound measured in the same run: (key, label, target text, test)
TARGETS = [
    ("accept_whatsapp", "Durable accept, signed WhatsApp webhook ÷ bare Camel route", "≥ 0.5×", lambda v: v >= 0.5),
    ("accept_sandbox", "Durable accept, sandbox ÷ bare Camel route", "≥ 0.5×", lambda v: v >= 0.5),
    ("accept_send", "message/send accept ÷ bare Camel route", "≥ 0.5×", lambda v: v >= 0.5),
    ("accept_webhook_share", "Sandbox accept with the webhook set (callbacks flowing) ÷ without it", "≥ 0.85×",
     lambda v: v >= 0.85),
    ("pg_accept_whatsapp", "PostgreSQL: durable accept, WhatsApp ÷ bare Camel route", "≥ 0.3×", lambda v: v >= 0.3),
    ("pg_accept_sandbox", "PostgreSQL: durable accept, sandbox ÷ bare Camel route", "≥ 0.3×", lambda v: v >= 0.3),
    ("pg_accept_send", "PostgreSQL: message/send accept ÷ bare Camel route", "≥ 0.3×", lambda v: v >= 0.3),
    ("delivery", "Sustained delivery to a fast webhook ÷ accept rate", "≥ 0.9×", lambda v: v >= 0.9),
    ("provider_calls", "Provider calls ÷ send accept rate (sustained)", "≥ 0.9×", lambda v: v >= 0.9),
    ("lag_p99_ms_at_50", "p99 lag accept → callback at 50 % of peak", "< 100 ms", lambda v: v < 100),
    ("lag_p99_ms_at_90", "p99 lag accept → callback at 90 % of peak", "< 500 ms", lambda v: v < 500),
    ("quiet_p50_ms", "p50 accept latency at 5 % of peak", "≤ 5 ms", lambda v: v <= 5),
    ("time_to_healthy_s", "Time to healthy", "< 6 s", lambda v: v < 6),
    ("rss_mb_load", "RSS under load", "< 512 MB", lambda v: v < 512),
    ("history_flat_h2", "History p99, largest ÷ smallest store (H2)", "≤ 1.5× (flat)", lambda v: v <= 1.5),
    ("history_flat_postgres", "History p99, largest ÷ smallest store (PostgreSQL)", "≤ 1.5× (flat)",
     lambda v: v <= 1.5),
]
UNITS = {"lag_p99_ms_at_50": " ms", "lag_p99_ms_at_90": " ms", "quiet_p50_ms": " ms", "time_to_healthy_s": " s",
         "rss_mb_load": " MB"}


def bar(ratio, width=30):
    return "█" * max(0, min(width, round(ratio * width)))


def figures(r):
    """Every target's figure of one run (None where the run did not measure it)."""
    acc = r["accept"]
    bare = acc["bare_camel"]["ok_per_s"]
    f = {key: acc[key]["ok_per_s"] / bare for key in ("accept_whatsapp", "accept_sandbox", "accept_send")
         if key in acc}
    if "accept_sandbox_webhook" in acc:
        f["accept_webhook_share"] = acc["accept_sandbox_webhook"]["ok_per_s"] / acc["accept_sandbox"]["ok_per_s"]
    pg = r.get("accept_postgres")
    if pg:
        for key in ("accept_whatsapp", "accept_sandbox", "accept_send"):
            f["pg_" + key] = pg[key]["ok_per_s"] / pg["bare_camel"]["ok_per_s"]
    d = r["deliver"]
    f["delivery"] = d["delivered_per_s"] / d["accept_per_s"] if d["accept_per_s"] else 0
    s = r["send"]
    f["provider_calls"] = s["provider_calls_per_s"] / s["accepted_per_s"] if s["accepted_per_s"] else 0
    for lag in r["lag"]:
        f[f"lag_p99_ms_at_{int(lag['share'] * 100)}"] = lag["p99_ms"]
    if r.get("quiet"):
        f["quiet_p50_ms"] = r["quiet"]["p50_ms"]
    f["time_to_healthy_s"] = r["time_to_healthy_s"]
    f["rss_mb_load"] = r["rss_load_peak_mb"]
    for store in ("h2", "postgres"):
        h = r.get("history_" + store)
        if h and h[0]["p99_ms"]:
            f["history_flat_" + store] = h[-1]["p99_ms"] / h[0]["p99_ms"]
    return f


def shown(key, value):
    if value is None:
        return "–"
    unit = UNITS.get(key)
    return f"{value:.0f}{unit}" if unit and value >= 10 else f"{value:.1f}{unit}" if unit else f"{value:.3f}×"


def render(r):
    acc = r["accept"]
    nginx, bare = acc["nginx"]["ok_per_s"], acc["bare_camel"]["ok_per_s"]
    before = r.get("before")
    out = ["# Benchmarks", "",
           f"One run of `{r['command']}` ({r['elapsed_s'] / 60:.1f} min)"
           + (f", measuring {r['label']}" if r.get("label") else "")
           + (f"; beside it, one run of the same suite on {before.get('label') or 'the version before'}"
              f" ({before['elapsed_s'] / 60:.1f} min), just before on the same machine" if before else "")
           + f". Machine: {r['machine']['cpu']}, "
           f"{r['machine']['cores']} cores, {r['machine']['memory_gb']} GB, Linux {r['machine']['kernel']}, "
           f"{r['machine']['java']}. The load generator (wrk, or a paced Python client for the lag) runs on the "
           "same cores as the gateway, so the figures are read as ratios to ceilings measured in the same run, "
           f"in alternation (A B A B, {r['rounds']} rounds of {r['seconds']} s, medians), after a {r['warmup_s']} s JIT "
           "warm-up. "
           "Embedded defaults: H2 and Artemis on the local disk, every accept durable (database commit) before "
           "the 200; the PostgreSQL rows are the same rounds on the `postgres` profile against the local server. "
           "Where a target is missed, [profiling.md](profiling.md) says what the profiles showed, what was fixed, "
           "and what would close the gap.", "",
           "## Targets", ""]
    now = figures(r)
    then = figures(before) if before else {}
    if before:
        out += ["| What | Before | After | Target | |", "|---|---|---|---|---|"]
    else:
        out += ["| What | Measured | Target | |", "|---|---|---|---|"]
    for key, label, target, ok in TARGETS:
        value = now.get(key)
        verdict = "–" if value is None else "✅ met" if ok(value) else "❌ missed"
        cells = ([shown(key, then.get(key))] if before else []) + [shown(key, value), target, verdict]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    d = r["deliver"]
    out += ["", "## Accept: requests/s and latency (median of the rounds)", "",
            "| Endpoint | req/s | ÷ nginx | ÷ bare Camel | p50 | p99 | p99.9 | failed | per round |",
            "|---|---|---|---|---|---|---|---|---|"]
    for key, label in (("nginx", "nginx, fixed 200 (machine ceiling)"),
                       ("bare_camel", "bare Camel platform-http route, JSON parsed (stack ceiling)"),
                       ("accept_whatsapp", "POST /webhooks/whatsapp: signed 1 KB, verified, stored, queued"),
                       ("accept_sandbox", "POST /webhooks/dummy: stored, queued"),
                       ("accept_sandbox_webhook", "POST /webhooks/dummy, tenant with its webhook set: callbacks flow"
                                                  " meanwhile"),
                       ("accept_send", "POST /api/v1/message/send: validated, stored, dispatch queued")):
        a = acc.get(key)
        if a is None:
            continue
        out.append(f"| {label} | {a['ok_per_s']:.0f} | {a['ok_per_s'] / nginx:.3f} | {a['ok_per_s'] / bare:.3f} | "
                   f"{a['p50_ms']:.1f} ms | {a['p99_ms']:.1f} ms | {a['p999_ms']:.1f} ms | {a['failed']} | "
                   f"{', '.join(map(str, a['rounds']))} |")
    out += ["", "```"]
    for key in ("nginx", "bare_camel", "accept_whatsapp", "accept_sandbox", "accept_sandbox_webhook", "accept_send"):
        if key in acc:
            ratio = acc[key]["ok_per_s"] / nginx
            out.append(f"{key:<22} {bar(ratio)} {acc[key]['ok_per_s']:>7.0f}/s")
    out += ["```", ""]
    pg = r.get("accept_postgres")
    if pg:
        pg_bare = pg["bare_camel"]["ok_per_s"]
        out += ["The same rounds on the `postgres` profile (its own gateway and database, 60 s warm-up):", "",
                "| Endpoint | req/s | ÷ bare Camel | p50 | p99 | failed | per round |", "|---|---|---|---|---|---|---|"]
        for key in ("bare_camel", "accept_whatsapp", "accept_sandbox", "accept_send"):
            a = pg[key]
            out.append(f"| {key} | {a['ok_per_s']:.0f} | {a['ok_per_s'] / pg_bare:.3f} | {a['p50_ms']:.1f} ms | "
                       f"{a['p99_ms']:.1f} ms | {a['failed']} | {', '.join(map(str, a['rounds']))} |")
        out.append("")
    if r.get("quiet"):
        q = r["quiet"]
        out += [f"A quiet gateway: sandbox accepts paced at 5 % of the peak ({q['rate']:.0f}/s) answered in "
                f"**{q['p50_ms']:.1f} ms** p50, {q['p99_ms']:.1f} ms p99 ({q['accepted']} accepted, {q['failed']} "
                "failed).", ""]
    out += [
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
