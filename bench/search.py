#!/usr/bin/env python3
"""Delivery search at scale (issue 25): GET /api/v1/admin/deliveries over 10k and 1M stored deliveries of one tenant
on the embedded H2 store (or, with --postgres, on the local PostgreSQL server, a database of its own per size), each
size filled straight into the gateway's database (1,000 contacts, two kinds, one delivery in 50 dead, each with one
attempt), then the search's latency over HTTP, filter by filter (the message searched for is one the gateway
accepted, its callbacks among the filled ones).

  python3 bench/search.py [--jar target/mehery-gateway-*.jar] [--sizes 10000,1000000] [--calls 100] [--postgres]
Prints p50 / p99 per filter and size; keeps the work under bench/out/<time>-search/.
"""
import argparse
import base64
import glob
import json
import os
import random
import subprocess
import time
import urllib.request

from crash_drill import ROOT, free_port, launched, packaged_jar, wait_healthy
from run import BENCH, log, percentile

TENANT, KEY = "demo", "demo-key"
FILL = """
INSERT INTO delivery (id, tenant_id, kind, event_id, message_id, contact_id, session_id, status, attempts,
    round_start, occurred_at, created_at, updated_at, delivered_at, last_error)
SELECT 'msg_bench_' || x, '{tenant}', CASE WHEN MOD(x, 3) = 0 THEN 'contact.info' ELSE 'message.receive' END,
    'ev-' || x, 'm-' || (x / 2), 'c-' || MOD(x, 1000), 's-' || MOD(x, 1000),
    CASE WHEN MOD(x, 50) = 0 THEN 'DEAD' ELSE 'DELIVERED' END, 1, 0, {t0} + x, {t0} + x, {t0} + x,
    CASE WHEN MOD(x, 50) = 0 THEN NULL ELSE {t0} + x + 20 END, CASE WHEN MOD(x, 50) = 0 THEN 'HTTP 503' END
FROM {series};
INSERT INTO delivery_attempt (delivery_seq, delivery_id, attempt, attempted_at, url, status_code, status_class,
    latency_ms, error, instance_id)
SELECT d.seq, d.id, 1, d.created_at + 10, 'https://client.example/hooks',
    CASE WHEN d.status = 'DEAD' THEN 503 ELSE 200 END, CASE WHEN d.status = 'DEAD' THEN 5 ELSE 2 END, 12,
    CASE WHEN d.status = 'DEAD' THEN 'HTTP 503' END, 'bench'
FROM delivery d WHERE d.id LIKE 'msg_bench_%';
"""


PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]


def start(jar, data, log_path, database=None):
    port = free_port()
    store = [] if database is None else [f"--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/{database}"]
    proc = subprocess.Popen(["java", "-XX:+UseSerialGC", "-Xmx192m", *launched(jar), f"--server.port={port}",
                             f"--mehery.data-dir={data}",
                             "--spring.profiles.active=demo" + ("" if database is None else ",postgres"),
                             "--mehery.routes=classpath:routes/*.yaml", *store],
                            stdout=open(log_path, "a"), stderr=subprocess.STDOUT, cwd=data)
    wait_healthy(port, proc)
    return port, proc


def filled(jar, h2, work, data, n, t0, database):
    """The store filled with n deliveries, and a gateway started on it: (port, process)."""
    log(f"filling {n:,} deliveries" + (" (PostgreSQL)" if database else ""))
    script = os.path.join(work, f"fill-{n}.sql")
    if database:
        subprocess.run(PSQL + ["-d", "postgres", "-c", f"CREATE DATABASE {database}"], check=True)
        port, proc = start(jar, data, os.path.join(work, "gateway.log"), database)
        open(script, "w").write(FILL.format(tenant=TENANT, t0=t0, n=n, series=f"generate_series(1, {n}) AS s(x)")
                                + "ANALYZE;\n")
        subprocess.run(PSQL + ["-d", database, "-f", script], check=True)
        return port, proc
    port, proc = start(jar, data, os.path.join(work, "gateway.log"))
    proc.terminate()
    proc.wait()
    open(script, "w").write(FILL.format(tenant=TENANT, t0=t0, n=n, series=f"SYSTEM_RANGE(1, {n})"))
    subprocess.run(["java", "-cp", h2, "org.h2.tools.RunScript", "-url", f"jdbc:h2:file:{data}/db/mehery", "-user",
                    "sa", "-script", script], check=True)
    return start(jar, data, os.path.join(work, "gateway.log"))


def iso(millis):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(millis // 1000)) + f".{millis % 1000:03d}Z"


def timed(port, query, key=KEY):
    started = time.perf_counter()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/admin/deliveries?{query}", headers={"x-api-key": key})
    with urllib.request.urlopen(req, timeout=30) as answer:
        body = json.loads(answer.read())
    return (time.perf_counter() - started) * 1000, len(body["results"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar")
    ap.add_argument("--sizes", default="10000,1000000")
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--postgres", action="store_true", help="the store on the local PostgreSQL server, not H2")
    args = ap.parse_args()
    jar = args.jar or packaged_jar()
    h2 = glob.glob(os.path.join(os.path.dirname(os.path.abspath(jar)), "app", "lib", "h2-*.jar"))[0]
    work = os.path.join(BENCH, "out", time.strftime("%Y%m%d-%H%M%S") + "-search")
    os.makedirs(work)
    t0 = 1_700_000_000_000
    # each call asks something else (H2 answers a query it answered before, on an unchanged table, from its result)
    queries = {
        "newest page": lambda n: f"limit={random.randint(40, 60)}",
        "page at a random cursor": lambda n: "limit=50&cursor=" + cursor(random.randint(n // 2, n)),
        "status=DEAD": lambda n: "status=DEAD&limit=50&cursor=" + cursor(random.randint(n // 2, n)),
        "kind=contact.info": lambda n: "kind=contact.info&limit=50&cursor=" + cursor(random.randint(n // 2, n)),
        "messageId": None,
        "contactId": lambda n: f"contactId=c-{random.randint(0, 999)}&limit=50",
        "webhookId": lambda n: f"webhookId=msg_bench_{random.randint(1, n)}",
        "created in the newest 10 %": lambda n: window(random.randint(n * 9 // 10, n - 1000)),
        "created in the oldest 10 %": lambda n: window(random.randint(1, n // 10)),
        "statusClass=5xx": lambda n: "statusClass=5xx&limit=50&cursor=" + cursor(random.randint(n // 2, n)),
        "statusClass=4xx (none stored)": lambda n: f"statusClass=4xx&limit={random.randint(40, 60)}",
    }

    def cursor(seq):
        return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")

    def window(x):
        return (f"from={iso(t0 + x)}&to={iso(t0 + x + 1000)}&limit=50")

    results = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        data = os.path.join(work, f"gateway-{n}")
        os.makedirs(data)
        database = f"mehery_search_{n}_{os.getpid()}" if args.postgres else None
        port, proc = filled(jar, h2, work, data, n, t0, database)
        try:
            # a message of the store's own (its contact and session real), whose callbacks wait for a webhook
            sent = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/dummy/sandbox", method="POST",
                                          data=b'{"from":"+15550999","type":"text","text":{"body":"find me"}}',
                                          headers={"x-api-key": KEY, "Content-Type": "application/json"})
            message = json.loads(urllib.request.urlopen(sent).read())["data"]["id"]
            queries["messageId"] = lambda n: f"messageId={message}&limit={random.randint(40, 60)}"
            for name, query in queries.items():
                warm = [timed(port, query(n))[0] for _ in range(5)]
                # a search that scans (seconds a call at 1M) is sampled 10 times, not --calls times
                times = [timed(port, query(n)) for _ in range(args.calls if max(warm) < 1000 else 10)]
                ms = [t for t, _ in times]
                results.setdefault(name, {})[n] = {"p50": percentile(ms, 50), "p99": percentile(ms, 99),
                                                  "found": times[0][1]}
                log(f"{n:>9,}  {name:22s} p50 {percentile(ms, 50):7.1f} ms  p99 {percentile(ms, 99):7.1f} ms"
                    f"  ({times[0][1]} found)")
        finally:
            proc.terminate()
            proc.wait()
            if database:
                subprocess.run(PSQL + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {database}"], check=False)
    json.dump(results, open(os.path.join(work, "results.json"), "w"), indent=1)
    print("| filter | " + " | ".join(f"{n:,}: p50 / p99" for n in map(int, args.sizes.split(","))) + " |")
    for name, by_size in results.items():
        print(f"| {name} | " + " | ".join(f"{v['p50']:.1f} / {v['p99']:.1f} ms" for v in by_size.values()) + " |")


if __name__ == "__main__":
    main()
