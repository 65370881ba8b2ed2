#!/usr/bin/env python3
"""Recovery of a time range at scale (issue 25): a tenant's --size dead letters over 1,000 contacts, filled straight
into the embedded H2 store (as bench/search.py fills it), then one POST /api/v1/admin/deliveries/recover sends them
all to the client's webhook (nginx, answering at once) while live sandbox messages of the same tenant arrive at
--live per second. Reports the recovery's rate, and the live callbacks' accept -> callback lag during it beside the
same load's lag without a recovery.

  python3 bench/recovery.py [--jar target/mehery-gateway-*.jar] [--size 100000] [--live 50]   (about 5 minutes)
Keeps the work under bench/out/<time>-recovery/.
"""
import argparse
import asyncio
import glob
import json
import os
import subprocess
import time
import urllib.request

from crash_drill import free_port, launched, packaged_jar, wait_healthy
from run import BENCH, Nginx, arrivals, log, paced, percentile

TENANT, KEY, CHANNEL = "demo", "demo-key", "sandbox"
# each dead letter's payload names it (rec-<n> order), so that its arrival at nginx is known
FILL = """
INSERT INTO delivery (id, tenant_id, kind, event_id, message_id, contact_id, session_id, payload, status, attempts,
    round_start, occurred_at, created_at, updated_at, last_error)
SELECT 'msg_rec_' || x, '{tenant}', 'message.receive', 'ev-rec-' || x, 'm-rec-' || x, 'c-' || MOD(x, 1000),
    's-' || MOD(x, 1000), '{{"messages":[{{"text":{{"body":"rec-' || x || ' order"}}}}]}}', 'DEAD', 1, 0,
    {t0} + x, {t0} + x, {t0} + x, 'HTTP 503'
FROM SYSTEM_RANGE(1, {n});
INSERT INTO delivery_attempt (delivery_seq, delivery_id, attempt, attempted_at, url, status_code, latency_ms, error,
    instance_id)
SELECT d.seq, d.id, 1, d.created_at + 10, 'https://client.example/hooks', 503, 12, 'HTTP 503', 'bench'
FROM delivery d WHERE d.id LIKE 'msg_rec_%';
"""


def start(jar, data, log_path):
    port = free_port()
    proc = subprocess.Popen(["java", "-XX:+UseSerialGC", "-Xmx512m", *launched(jar), f"--server.port={port}",
                             f"--mehery.data-dir={data}", "--spring.profiles.active=demo",
                             "--mehery.routes=classpath:routes/*.yaml", "--mehery.webhooks.allow-private-targets=true"],
                            stdout=open(log_path, "a"), stderr=subprocess.STDOUT, cwd=data)
    wait_healthy(port, proc)
    return port, proc


def call(port, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST" if body is not None else "GET",
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"x-api-key": KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as answer:
        return json.loads(answer.read())["data"]


def live_lag(port, nginx, rate, seconds, tag):
    """Live sandbox messages at `rate`/s for `seconds`: p50 and p99 of accept -> message/receive callback (ms)."""
    accepted, failed, _, _ = asyncio.run(paced(f"http://127.0.0.1:{port}", KEY, rate, seconds, tag,
                                               channel=CHANNEL, contacts=200))
    deadline = time.time() + 120
    while time.time() < deadline and len(arrivals(nginx, tag)) < len(accepted):
        time.sleep(1)
    got = arrivals(nginx, tag)
    lag = [(got[s] - accepted[s]) * 1000 for s in accepted if s in got]
    return {"accepted": len(accepted), "failed": failed, "delivered": len(lag), "p50_ms": percentile(lag, 50),
            "p99_ms": percentile(lag, 99)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar")
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--live", type=float, default=50.0, help="live sandbox messages per second meanwhile")
    args = ap.parse_args()
    jar = args.jar or packaged_jar()
    h2 = glob.glob(os.path.join(os.path.dirname(os.path.abspath(jar)), "app", "lib", "h2-*.jar"))[0]
    work = os.path.join(BENCH, "out", time.strftime("%Y%m%d-%H%M%S") + "-recovery")
    data = os.path.join(work, "gateway")
    os.makedirs(data)
    gateway_log = os.path.join(work, "gateway.log")
    t0 = int(time.time() * 1000) - 3_600_000
    port, proc = start(jar, data, gateway_log)
    proc.terminate()
    proc.wait()
    log(f"filling {args.size:,} dead letters over 1,000 contacts")
    script = os.path.join(work, "fill.sql")
    open(script, "w").write(FILL.format(tenant=TENANT, t0=t0, n=args.size))
    subprocess.run(["java", "-cp", h2, "org.h2.tools.RunScript", "-url", f"jdbc:h2:file:{data}/db/mehery", "-user",
                    "sa", "-script", script], check=True)
    nginx = Nginx(work)
    nginx.start()
    port, proc = start(jar, data, gateway_log)
    results = {"size": args.size, "live_per_s": args.live}
    try:
        call(port, "/api/v1/config/webhook", {"url": f"http://127.0.0.1:{nginx.hook}/hooks"})
        log("warm-up and the live lag without a recovery")
        live_lag(port, nginx, args.live, 30, "warm")
        results["live_alone"] = live_lag(port, nginx, args.live, 20, "alone")
        log(f"  live alone: {results['live_alone']}")

        window = {"from": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t0 / 1000)),
                  "to": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 / 1000 + args.size / 1000 + 2))}
        dry = call(port, "/api/v1/admin/deliveries/recover", {**window, "dryRun": True})
        log(f"dry run: {dry['count']:,} to recover")
        started = time.time()
        recovery = call(port, "/api/v1/admin/deliveries/recover", window)
        results["live_during"] = live_lag(port, nginx, args.live, 30, "during")
        log(f"  live during the recovery: {results['live_during']}")
        while call(port, f"/api/v1/admin/recoveries/{recovery['id']}")["state"] == "running":
            time.sleep(1)
        ended = call(port, f"/api/v1/admin/recoveries/{recovery['id']}")
        deadline = time.time() + 600
        while time.time() < deadline and len(arrivals(nginx, "rec")) < ended["recovered"]:
            time.sleep(2)
        got = arrivals(nginx, "rec")
        took = max(got.values()) - started if got else float("inf")
        results["recovery"] = {"count": dry["count"], "recovered": ended["recovered"], "delivered": len(got),
                               "seconds": took, "per_s": len(got) / took if got else 0.0}
        log(f"  recovery: {results['recovery']}")
    finally:
        proc.terminate()
        proc.wait()
        nginx.stop()
    json.dump(results, open(os.path.join(work, "results.json"), "w"), indent=1)
    r = results["recovery"]
    print(f"| recovery of {r['count']:,} dead letters | {r['delivered']:,} delivered in {r['seconds']:.0f} s:"
          f" {r['per_s']:.0f}/s |")
    for name in ("live_alone", "live_during"):
        v = results[name]
        print(f"| live callbacks at {args.live:.0f}/s, {name.replace('_', ' ')} | p50 {v['p50_ms']:.0f} ms,"
              f" p99 {v['p99_ms']:.0f} ms ({v['delivered']}/{v['accepted']}) |")


if __name__ == "__main__":
    main()
