#!/usr/bin/env python3
"""The benchmark suite: one command, every figure as a ratio to a ceiling measured in the same run.

    python3 bench/run.py [--rounds 3] [--seconds 6] [--history-max 1000000] [--skip-postgres] [--skip-jmh]

Needs wrk and nginx (Debian: apt-get install wrk nginx-light), the packaged gateway (built if missing) and, for
the PostgreSQL history, the server at 127.0.0.1:5432. Writes bench/out/<time>/results.json and
docs/benchmarks.md. The loader shares the machine with the gateway, so absolute figures say little; the ratios
to nginx and to the bare Camel route, measured in alternation (A B A B) in the same run, are the result.
"""
import argparse
import asyncio
import contextlib
import glob
import hashlib
import hmac
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)
from crash_drill import ROOT, free_port, launched, packaged_jar  # noqa: E402
from report import render  # noqa: E402
APP_SECRET = b"bench-app-secret"
# the heap and native limits README.md recommends for a production instance (see "Footprint" there)
JVM_OPTIONS = os.environ.get("BENCH_JVM_OPTIONS", "-XX:+UseSerialGC -Xmx192m -Xmn64m -XX:MaxMetaspaceSize=160m "
                             "-XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k").split()


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def http(url, body=None, key=None, method=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if key:
        headers["x-api-key"] = key
    req = urllib.request.Request(url, data=data, headers=headers, method=method or ("POST" if data else "GET"))
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler:
    """Samples a process's resident memory every 200 ms while load runs; keeps the peak."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class Nginx:
    def __init__(self, work):
        self.work = work
        self.ceiling, self.hook, self.provider = free_port(), free_port(), free_port()
        conf = open(os.path.join(BENCH, "nginx.conf")).read()
        for k, v in {"@WORK@": work, "@CEILING_PORT@": self.ceiling, "@HOOK_PORT@": self.hook,
                     "@PROVIDER_PORT@": self.provider}.items():
            conf = conf.replace(k, str(v))
        self.conf = os.path.join(work, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)

    def start(self):
        subprocess.run(["nginx", "-p", self.work, "-c", self.conf], check=True)
        wait_for(lambda: http(f"http://127.0.0.1:{self.ceiling}/", {"a": 1})[0] == 200, 10, "nginx")

    def stop(self):
        subprocess.run(["nginx", "-p", self.work, "-c", self.conf, "-s", "stop"], check=False)

    def callbacks(self):
        path = os.path.join(self.work, "callbacks.log")
        return open(path, encoding="utf-8", errors="replace").read().splitlines() if os.path.exists(path) else []

    def provider_calls(self):
        path = os.path.join(self.work, "provider.log")
        return [float(x) for x in open(path).read().split()] if os.path.exists(path) else []


def wait_for(check, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.2)
    sys.exit(f"{what} did not come up within {seconds}s")


class Gateway:
    def __init__(self, jar, work, name, nginx, extra=(), configs=("bench.yaml",)):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data = os.path.join(work, name)
        self.log_path = os.path.join(work, name + ".log")
        self.args = ["java", *JVM_OPTIONS, *launched(jar), f"--server.port={self.port}",
                     f"--mehery.data-dir={self.data}",
                     "--spring.config.additional-location=" + ",".join(f"file:{os.path.join(BENCH, c)}" for c in configs),
                     *extra]
        self.env = dict(os.environ, BENCH_PROVIDER_URL=f"http://127.0.0.1:{nginx.provider}", MALLOC_ARENA_MAX="2")
        self.proc = None

    def start(self):
        os.makedirs(self.data, exist_ok=True)
        started = time.time()
        self.proc = subprocess.Popen(self.args, stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT,
                                     cwd=self.data, env=self.env)
        def healthy():
            if self.proc.poll() is not None:
                sys.exit(f"the gateway exited during start (log: {self.log_path})")
            return http(self.base + "/actuator/health")[0] == 200
        wait_for(healthy, 120, f"gateway (log: {self.log_path})")
        return time.time() - started

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def exchanges(self):
        """Exchanges completed by every route: it stops moving when the work queued behind a load is done."""
        text = http(self.base + "/actuator/prometheus")[1].decode()
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("camel_exchanges_total{") and 'eventType="route"' in line)

    def settle(self, seconds=90):
        """Waits until the queues are drained (planning, deliveries, sends), so the next measurement starts clean."""
        deadline, last = time.time() + seconds, -1.0
        while time.time() < deadline:
            now = self.exchanges()
            if now == last:
                return
            last = now
            time.sleep(1.0)


def wrk(url, mode, seconds, connections=32, threads=2, **env):
    environ = dict(os.environ, BENCH_MODE=mode, BENCH_THREADS=str(threads),
                   **{f"BENCH_{k.upper()}": str(v) for k, v in env.items()})
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "-s", os.path.join(BENCH, "wrk", "gateway.lua"), url],
                         capture_output=True, text=True, env=environ, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    r = json.loads(line[6:])
    failed = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["status_errors"] + r["timeouts"]
    r["ok_per_s"] = (r["requests"] - failed) / (r["duration_us"] / 1e6)
    r["failed"] = failed
    return r


def whatsapp_corpus(path, count, tag):
    """Signed WhatsApp notifications of about 1 KB, each with its own message id and one of 1,000 senders."""
    with open(path, "w") as f:
        for i in range(count):
            sender = f"1631555{i % 1000:04d}"
            body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
                "value": {"messaging_product": "whatsapp",
                          "metadata": {"display_phone_number": "15550001111", "phone_number_id": "106540352242922"},
                          "contacts": [{"profile": {"name": f"Customer {i % 1000}"}, "wa_id": sender}],
                          "messages": [{"from": sender, "id": f"wamid.HBgLMTYzMTU1NTExODEVAgASGBQzQTRBNjVDRkZFRDg2-{tag}-{i}",
                                        "timestamp": str(int(time.time())), "type": "text",
                                        "text": {"body": "Hello, I ordered a pair of running shoes last week (order "
                                                         f"#{100000 + i}) and the tracking page still says the parcel "
                                                         "is waiting at the depot. Could you check whether it has "
                                                         "shipped and when I can expect it? I will be away from home "
                                                         "on Friday, so if delivery is planned for that day please "
                                                         "leave it with my neighbour at number 12 or hold it at the "
                                                         "pickup point on Station Road. Thanks a lot for your help, "
                                                         "and sorry for the long message!"}}]},
                "field": "messages"}]}]}, separators=(",", ":"))
            sig = "sha256=" + hmac.new(APP_SECRET, body.encode(), hashlib.sha256).hexdigest()
            f.write(f"{sig}\t{body}\n")


def median(values):
    return statistics.median(values) if values else 0.0


# --- paced load: the lag from accept to callback at a fixed rate ------------------------------------------------

async def paced(base, key, rate, seconds, tag, connections=32, channel="flow-sandbox", contacts=200,
                texts=("paced",)):
    """Sends sandbox injections to `channel` at a fixed rate over keep-alive connections, from `contacts` senders,
    with `texts` in turn; returns ({seq: accepted_at}, failed, late, [accept latency in ms])."""
    host, port = "127.0.0.1", int(base.rsplit(":", 1)[1])
    pool = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(host, port))
    accepted, failures, late, latencies = {}, [0], [0], []

    async def exchange(reader, writer, request):
        """One request on a kept-alive connection: (status, connection kept)."""
        writer.write(request)
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionResetError("closed by the server")
        length, keep = 0, True
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and value == "chunked":
                length = -1
            elif name == "connection" and value == "close":
                keep = False
        if length == -1:
            while (size := int((await reader.readline()).strip(), 16)) > 0:
                await reader.readexactly(size + 2)
            await reader.readline()
        elif length:
            await reader.readexactly(length)
        return status_line.split()[1], keep

    async def one(seq):
        body = json.dumps({"id": f"{tag}-{seq}", "from": f"+1666{seq % contacts:07d}", "name": "Paced",
                           "type": "text", "text": {"body": f"{tag}-{seq} {texts[seq % len(texts)]}"}}).encode()
        request = (f"POST /webhooks/dummy/{channel} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n".encode()
                   + f"x-api-key: {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        reader, writer = await pool.get()
        sent = time.time()
        try:
            try:
                status, keep = await exchange(reader, writer, request)
            except (ConnectionError, asyncio.IncompleteReadError):
                # the server closed a kept-alive connection (Tomcat does after 100 requests): once more on a new one
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                status, keep = await exchange(reader, writer, request)
            if not keep:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            if status == b"200":
                accepted[seq] = time.time()
                latencies.append((accepted[seq] - sent) * 1000)
            else:
                failures[0] += 1
        finally:
            pool.put_nowait((reader, writer))

    start, tasks = time.time(), []
    for seq in range(int(rate * seconds)):
        due = start + seq / rate
        delay = due - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.05:
            late[0] += 1
        tasks.append(asyncio.create_task(one(seq)))
    await asyncio.gather(*tasks)
    return accepted, failures[0], late[0], latencies


def arrivals(nginx, tag):
    """When each message/receive callback of this tag reached the client (nginx's $msec)."""
    found, pattern = {}, re.compile(re.escape(tag) + r"-(\d+)")
    for line in nginx.callbacks():
        stamp, _, body = line.partition(" ")
        m = pattern.search(body)
        if m:
            found.setdefault(int(m.group(1)), float(stamp))
    return found


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# --- history ------------------------------------------------------------------------------------------------------

SEED = """
INSERT INTO contact (id, tenant_id, channel_id, contact_type, csid, lane, name, channel_name, created_at, updated_at)
  SELECT 'fill-c-' || x, 'bench', 'bench-sandbox', t.contact_type, '+1999' || x, t.lane, 'Filler', 'Filler', 0, 0
  FROM {range_1_sessions}, (SELECT contact_type, lane FROM contact WHERE tenant_id = 'bench' FETCH FIRST 1 ROWS ONLY) t;
INSERT INTO chat_session (id, tenant_id, channel_id, contact_id, opened_at, last_activity_at)
  SELECT 'fill-s-' || x, 'bench', 'bench-sandbox', 'fill-c-' || x, 0, 0 FROM {range_1_sessions};
"""
FILL = """
INSERT INTO message (id, tenant_id, channel_id, session_id, contact_id, direction, type, status, text, content, masked,
                     sender, created_at)
  SELECT 'fill-m-' || x, 'bench', 'bench-sandbox', 'fill-s-' || (1 + MOD(x, {sessions})),
         'fill-c-' || (1 + MOD(x, {sessions})), 'INBOUND', 'text', 'RECEIVED', 'filler message ' || x,
         '{{"body":"filler message"}}', FALSE, '+1999', 1700000000000 + x
  FROM {range_fill};
"""


def h2_range(a, b):
    return f"SYSTEM_RANGE({a}, {b})"


def pg_range(a, b):
    return f"generate_series({a}, {b}) AS r(x)"


def history(gateway, run_sql, rng, levels, seconds, session_size=50, sessions=10000):
    """session/messages of one session of `session_size` messages while the store grows to each level."""
    sid = None
    for i in range(session_size):
        _, body = http(gateway.base + "/webhooks/dummy/bench-sandbox",
                       {"id": f"hist-{i}", "from": "+15557770000", "name": "History", "type": "text",
                        "text": {"body": f"history message {i}"}}, key="bench-key")
        sid = json.loads(body)["data"]["sessionId"]
    run_sql(SEED.format(range_1_sessions=rng(1, sessions)))
    stored, results = session_size, []
    for level in levels:
        if level > stored:
            # in statements of 50,000 rows: H2 slows down badly with one transaction of a million
            run_sql("\n".join(FILL.format(sessions=sessions, range_fill=rng(a, min(level, a + 49_999)))
                              for a in range(stored + 1, level + 1, 50_000)))
            stored = level
        url = f"{gateway.base}/api/v1/session/messages?sessionId={sid}"
        wrk(url, "get", 10 if not results else 3, connections=8, key="bench-key")
        r = wrk(url, "get", seconds, connections=8, key="bench-key")
        results.append({"stored": level, "rps": r["ok_per_s"], "p50_ms": r["p50_us"] / 1000,
                        "p99_ms": r["p99_us"] / 1000, "failed": r["failed"]})
        log(f"  history @ {level:>9,} stored: p50 {r['p50_us'] / 1000:.2f} ms, p99 {r['p99_us'] / 1000:.2f} ms")
    return results


def h2_history(jar, work, nginx, levels, seconds):
    h2 = sorted(glob.glob(os.path.expanduser("~/.m2/repository/com/h2database/h2/*/h2-*.jar")))[-1]
    gw = Gateway(jar, work, "history-h2", nginx, [
        "--spring.datasource.url=jdbc:h2:file:${mehery.data-dir}/db/mehery;WRITE_DELAY=0;AUTO_SERVER=TRUE"])
    gw.start()
    url = f"jdbc:h2:file:{gw.data}/db/mehery;AUTO_SERVER=TRUE"

    def run_sql(sql):
        script = os.path.join(work, "seed.sql")
        # rows consistent by construction; H2 checks each foreign key row by row otherwise (8,000 rows/s)
        open(script, "w").write(f"SET REFERENTIAL_INTEGRITY FALSE;\n{sql}\nSET REFERENTIAL_INTEGRITY TRUE;\n")
        subprocess.run(["java", "-cp", h2, "org.h2.tools.RunScript", "-url", url, "-user", "sa", "-script", script],
                       check=True)
    try:
        return history(gw, run_sql, h2_range, levels, seconds)
    finally:
        gw.stop()


@contextlib.contextmanager
def postgres_gateway(jar, work, nginx, name, configs=("bench.yaml",)):
    """A started gateway on the postgres profile with a database of its own, dropped afterwards; yields (gateway,
    psql command for that database)."""
    db = f"mehery_{name.replace('-', '_')}_{os.getpid()}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
    subprocess.run(psql + ["-d", "postgres", "-c", f"CREATE DATABASE {db}"], check=True)
    gw = Gateway(jar, work, name, nginx, [
        "--spring.profiles.active=postgres", f"--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/{db}"],
        configs)
    try:
        gw.start()
        yield gw, psql + ["-d", db]
    finally:
        gw.stop()
        subprocess.run(psql + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db}"], check=False)


def pg_history(jar, work, nginx, levels, seconds):
    with postgres_gateway(jar, work, nginx, "history-pg") as (gw, psql):
        def run_sql(sql):
            subprocess.run(psql, input=sql + "\nANALYZE;\n", text=True, check=True)
        return history(gw, run_sql, pg_range, levels, seconds)


# --- JMH ----------------------------------------------------------------------------------------------------------

def jmh(work):
    cp_file = os.path.join(work, "test-classpath.txt")
    subprocess.run(["mvn", "-B", "-q", "test-compile", "dependency:build-classpath",
                    f"-Dmdep.outputFile={cp_file}", "-Dmdep.includeScope=test"], cwd=ROOT, check=True)
    cp = ":".join([os.path.join(ROOT, "target", "test-classes"), os.path.join(ROOT, "target", "classes"),
                   open(cp_file).read().strip()])
    out = os.path.join(work, "jmh.json")
    subprocess.run(["java", "-cp", cp, "org.openjdk.jmh.Main", "Benchmark", "-f", "1", "-wi", "3",
                    "-w", "1s", "-i", "5", "-r", "1s", "-bm", "avgt", "-tu", "us", "-rf", "json", "-rff", out],
                   check=True, stdout=subprocess.DEVNULL)
    return [{"benchmark": b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1],
             "us_per_op": b["primaryMetric"]["score"], "error": b["primaryMetric"]["scoreError"]}
            for b in json.load(open(out))]


# --- accept rounds -------------------------------------------------------------------------------------------------

def accept_rounds(gw, ceiling_url, corpora, rounds, seconds, tag, with_webhook=False):
    """The ceilings and the durable accepts, in alternation (A B A B): medians of the rounds. `with_webhook` adds the
    realistic case: the sandbox accepts of tenant "flow", whose webhook is set, so its callbacks flow meanwhile."""
    runs = {"nginx": [], "bare_camel": [], "accept_whatsapp": [], "accept_sandbox": [], "accept_send": []}
    if with_webhook:
        runs["accept_sandbox_webhook"] = []
    for r in range(rounds):
        steps = [("nginx", lambda: wrk(ceiling_url, "post", seconds)),
                 ("bare_camel", lambda: wrk(gw.base + "/bench/ceiling", "post", seconds)),
                 ("accept_whatsapp", lambda: wrk(gw.base + "/webhooks/whatsapp/bench-wa", "whatsapp",
                                                 seconds, corpus=corpora[r])),
                 ("accept_sandbox", lambda: wrk(gw.base + "/webhooks/dummy/bench-sandbox", "sandbox",
                                                seconds, key="bench-key", tag=f"{tag}acc{r}")),
                 ("accept_send", lambda: wrk(gw.base + "/api/v1/message/send", "send", seconds,
                                             key="bench-key", tag=f"{tag}send{r}"))]
        if with_webhook:
            steps.append(("accept_sandbox_webhook", lambda: wrk(gw.base + "/webhooks/dummy/flow-sandbox", "sandbox",
                                                                seconds, key="flow-key", tag=f"{tag}hook{r}")))
        for name, run in steps:
            res = run()
            runs[name].append(res)
            log(f"{tag} round {r + 1} {name:<16} {res['ok_per_s']:8.0f}/s  p50 {res['p50_us'] / 1000:6.1f} ms  "
                f"p99 {res['p99_us'] / 1000:7.1f} ms  failed {res['failed']}  reused {res['reused_bodies']}")
            if name.startswith("accept"):
                gw.settle()
    return {name: summarize(results) for name, results in runs.items()}


def pg_accept(jar, work, nginx, rounds, seconds, warm_up_s):
    """The same accept rounds on the postgres profile, against a database of its own."""
    with postgres_gateway(jar, work, nginx, "accept-pg") as (gw, _):
        corpora = []
        for r in range(rounds + 1):
            path = os.path.join(work, f"whatsapp-pg-{r}.txt")
            whatsapp_corpus(path, 20000, f"pg{r}")
            corpora.append(path)
        share = warm_up_s / 4
        for url, mode, options in ((gw.base + "/webhooks/whatsapp/bench-wa", "whatsapp", {"corpus": corpora[0]}),
                                   (gw.base + "/webhooks/dummy/bench-sandbox", "sandbox",
                                    {"key": "bench-key", "tag": "pgwarm"}),
                                   (gw.base + "/api/v1/message/send", "send", {"key": "bench-key", "tag": "pgwarm"}),
                                   (gw.base + "/bench/ceiling", "post", {})):
            wrk(url, mode, int(share), **options)
        gw.settle(180)
        return accept_rounds(gw, f"http://127.0.0.1:{nginx.ceiling}/", corpora[1:], rounds, seconds, "pg")


# --- the run ------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--history-max", type=int, default=1_000_000)
    ap.add_argument("--skip-postgres", action="store_true")
    ap.add_argument("--skip-jmh", action="store_true")
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    ap.add_argument("--jar", help="the gateway jar to measure (default: the packaged one, built if missing)")
    ap.add_argument("--before", help="results.json of an earlier run (an earlier version), shown beside this one")
    ap.add_argument("--label", default="", help="what this run measures, for the report (a commit, a version)")
    args = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    began = time.time()
    jar = args.jar or packaged_jar()
    work = os.path.join(BENCH, "out", time.strftime("%Y%m%d-%H%M%S"))
    os.makedirs(work)
    results = {"machine": machine(), "command": shlex.join(["python3", "bench/run.py", *sys.argv[1:]]),
               "label": args.label,
               "jvm_options": JVM_OPTIONS,
               "rounds": args.rounds, "seconds": args.seconds}
    nginx = Nginx(work)
    nginx.start()
    gw = Gateway(jar, work, "gateway", nginx)
    try:
        results["time_to_healthy_s"] = gw.start()
        time.sleep(5)
        results["rss_idle_mb"] = rss_mb(gw.proc.pid)
        log(f"gateway healthy in {results['time_to_healthy_s']:.1f}s, RSS idle {results['rss_idle_mb']:.0f} MB")
        corpora = []
        for r in range(args.rounds + 1):
            path = os.path.join(work, f"whatsapp-{r}.txt")
            whatsapp_corpus(path, 40000 if r == 0 else 20000, f"r{r}")
            corpora.append(path)
        ceiling_url = f"http://127.0.0.1:{nginx.ceiling}/"
        bare_url = gw.base + "/bench/ceiling"
        wa_url = gw.base + "/webhooks/whatsapp/bench-wa"
        sandbox_url = gw.base + "/webhooks/dummy/bench-sandbox"

        # on two cores the JIT takes about two minutes of load to settle (measured: 100/s at first, 600/s after)
        http(gw.base + "/api/v1/config/webhook", {"url": f"http://127.0.0.1:{nginx.hook}/hooks"}, key="flow-key")
        warm_up = ((bare_url, "post", 10, {}), (wa_url, "whatsapp", 30, {"corpus": corpora[0]}),
                   (sandbox_url, "sandbox", 25, {"key": "bench-key", "tag": "warm"}),
                   (gw.base + "/webhooks/dummy/flow-sandbox", "sandbox", 30, {"key": "flow-key", "tag": "warm"}),
                   (gw.base + "/api/v1/message/send", "send", 15, {"key": "bench-key", "tag": "warm"}))
        results["warmup_s"] = sum(seconds for _, _, seconds, _ in warm_up)
        log(f"warm-up (JIT): {results['warmup_s']} s over every path measured, deliveries and sends included")
        for url, mode, seconds, options in warm_up:
            wrk(url, mode, seconds, **options)
        gw.settle(180)

        with RssSampler(gw.proc.pid) as rss:
            results["accept"] = accept_rounds(gw, ceiling_url, corpora[1:], args.rounds, args.seconds, "h2",
                                              with_webhook=True)
            peak = results["accept"]["accept_sandbox"]["ok_per_s"]

            log("quiet: sandbox accepts paced at 5 % of the peak")
            acc, failed, _, latencies = asyncio.run(paced(gw.base, "flow-key", max(1.0, peak * 0.05),
                                                          args.seconds * 2, "quiet"))
            results["quiet"] = {"rate": max(1.0, peak * 0.05), "accepted": len(acc), "failed": failed,
                                "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99)}
            log(f"  accept latency p50 {results['quiet']['p50_ms']:.1f} ms, p99 {results['quiet']['p99_ms']:.1f} ms")
            gw.settle()

            log("deliver: sustained, flow tenant's webhook on nginx")
            started = time.time()
            burst = wrk(gw.base + "/webhooks/dummy/flow-sandbox", "sandbox", args.seconds * 2, key="flow-key",
                        tag="sustain")
            accepted = burst["requests"] - burst["failed"]
            pattern = re.compile(r"sustain-\d+-\d+")

            def delivered():
                first = {}
                for line in nginx.callbacks():
                    m = pattern.search(line)
                    if m:
                        first.setdefault(m.group(0), float(line.split(" ", 1)[0]))
                return list(first.values())
            deadline = time.time() + 180
            while len(delivered()) < accepted and time.time() < deadline:
                time.sleep(0.5)
            stamps = delivered()
            rate = len(stamps) / (max(stamps) - started) if stamps else 0.0
            results["deliver"] = {"accepted": accepted, "accept_per_s": burst["ok_per_s"], "delivered": len(stamps),
                                  "delivered_per_s": rate, "drain_s": (max(stamps) - started) if stamps else None}
            log(f"  accepted {accepted} at {burst['ok_per_s']:.0f}/s, delivered {len(stamps)} at {rate:.0f}/s")
            gw.settle()

            lags = []
            for share in (0.25, 0.5, 0.9):
                tag = f"lag{int(share * 100)}"
                target = max(1.0, peak * share)
                acc, failed, late, _ = asyncio.run(paced(gw.base, "flow-key", target, args.seconds * 2, tag))
                deadline = time.time() + 60
                while len(arrivals(nginx, tag)) < len(acc) and time.time() < deadline:
                    time.sleep(0.5)
                got = arrivals(nginx, tag)
                lag_ms = [(got[s] - acc[s]) * 1000 for s in acc if s in got]
                lags.append({"share": share, "rate": target, "accepted": len(acc), "failed": failed, "late": late,
                             "delivered": len(lag_ms), "p50_ms": percentile(lag_ms, 50),
                             "p99_ms": percentile(lag_ms, 99)})
                log(f"  lag at {share:.0%} of peak ({target:.0f}/s): p50 {percentile(lag_ms, 50):.1f} ms, "
                    f"p99 {percentile(lag_ms, 99):.1f} ms, {len(lag_ms)}/{len(acc)} delivered")
                gw.settle()
            results["lag"] = lags

            log("send: message/send to the WhatsApp provider stub")
            before = len(nginx.provider_calls())
            started = time.time()
            send = wrk(gw.base + "/api/v1/message/send", "send", args.seconds * 2, key="bench-key", tag="send")
            sent = send["requests"] - send["failed"]
            deadline = time.time() + 120
            while len(nginx.provider_calls()) - before < sent and time.time() < deadline:
                time.sleep(0.5)
            calls = nginx.provider_calls()[before:]
            results["send"] = {"accepted_per_s": send["ok_per_s"], "accepted": sent, "provider_calls": len(calls),
                               "provider_calls_per_s": len(calls) / (max(calls) - started) if calls else 0.0,
                               "p99_ms": send["p99_us"] / 1000}
            log(f"  accepted {send['ok_per_s']:.0f}/s; provider calls {results['send']['provider_calls_per_s']:.0f}/s")
        results["rss_load_peak_mb"] = rss.peak
    finally:
        gw.stop()
    if not args.skip_postgres:
        log("accept on the postgres profile")
        results["accept_postgres"] = pg_accept(jar, work, nginx, args.rounds, args.seconds, 60)

    levels = [l for l in (10_000, 100_000, 1_000_000) if l <= args.history_max]
    log("history on H2")
    results["history_h2"] = h2_history(jar, work, nginx, levels, args.seconds)
    if args.skip_postgres:
        results["history_postgres"] = None
    else:
        log("history on PostgreSQL")
        results["history_postgres"] = pg_history(jar, work, nginx, levels, args.seconds)
    nginx.stop()
    if not args.skip_jmh:
        log("JMH")
        results["jmh"] = jmh(work)
    results["elapsed_s"] = time.time() - began
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    if args.before:
        results["before"] = json.load(open(args.before))
    report = render(results)
    print(report)
    if not args.no_docs:
        path = os.path.join(ROOT, "docs", "benchmarks.md")
        kept = ""
        if os.path.exists(path):  # the drills' figures, below KEPT_MARKER, are not this suite's to rewrite
            previous = open(path).read()
            if KEPT_MARKER in previous:
                kept = "\n" + previous[previous.index(KEPT_MARKER):]
        with open(path, "w") as f:
            f.write(report + kept)
    log(f"done in {results['elapsed_s']:.0f}s; results in {work}")


KEPT_MARKER = "<!-- kept by bench/run.py: the drills' figures below are written from their own runs -->"


def summarize(runs):
    return {"ok_per_s": median([r["ok_per_s"] for r in runs]), "p50_ms": median([r["p50_us"] for r in runs]) / 1000,
            "p99_ms": median([r["p99_us"] for r in runs]) / 1000,
            "p999_ms": median([r["p999_us"] for r in runs]) / 1000,
            "failed": sum(r["failed"] for r in runs), "reused_bodies": sum(r["reused_bodies"] for r in runs),
            "rounds": [round(r["ok_per_s"]) for r in runs]}


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem, "kernel": platform.release(), "java": java}


if __name__ == "__main__":
    main()
