#!/usr/bin/env python3
"""Fault drills against the packaged gateway; each prints its counts and PASS or FAIL (exit 1).

    python3 bench/drills.py webhook-down      # client webhook down past the whole (short) retry schedule
    python3 bench/drills.py postgres-outage   # PostgreSQL stopped for 20 s under load (profile postgres)
    python3 bench/drills.py provider-faults   # WhatsApp API answering 500 / 429 / too slowly for 20 s
    python3 bench/drills.py slow-bodies       # 1,000 slow-body sockets held open under a paced load of real requests
    python3 bench/drills.py upload-flood      # waves of 32 parallel 5 MB widget uploads without a token, then half with one
    python3 bench/drills.py all

The kill -9 drill is bench/crash_drill.py. postgres-outage stops and restarts the local PostgreSQL server
(pg_ctlcluster), so run it only where nothing else needs that server meanwhile.
"""
import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from crash_drill import call, free_port, packaged_jar, received, wait_healthy  # noqa: E402


class Drill:
    def __init__(self, name, *args, env=None):
        self.work = tempfile.mkdtemp(prefix=f"mehery-{name}-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.args = ["java", "-Xmx512m", "-jar", packaged_jar(), f"--server.port={self.port}",
                     f"--mehery.data-dir={os.path.join(self.work, 'data')}", "--mehery.routes=classpath:routes/*.yaml",
                     "--mehery.webhooks.allow-private-targets=true", *args]
        if not any(a.startswith("--spring.profiles.active=") for a in args):
            self.args.append("--spring.profiles.active=demo")
        self.env = env
        self.proc = None
        self.hook_port = free_port()
        self.hook_log = os.path.join(self.work, "callbacks.jsonl")
        open(self.hook_log, "w").close()
        self.receiver = subprocess.Popen([sys.executable, os.path.join(HERE, "webhook_receiver.py"),
                                          str(self.hook_port), self.hook_log])

    def start(self):
        os.makedirs(os.path.join(self.work, "data"), exist_ok=True)
        self.proc = subprocess.Popen(self.args, stdout=open(os.path.join(self.work, "gateway.log"), "a"),
                                     stderr=subprocess.STDOUT, cwd=self.work,
                                     env=dict(os.environ, **(self.env or {})))
        wait_healthy(self.port, self.proc)

    def webhook_down(self, down):
        flag = self.hook_log + ".down"
        if down:
            open(flag, "w").close()
        elif os.path.exists(flag):
            os.remove(flag)

    def set_webhook(self):
        status, reply = call(self.base + "/api/v1/config/webhook", {"url": f"http://127.0.0.1:{self.hook_port}/d"})
        assert status == 200, reply

    def callbacks(self, kind="message/receive"):
        return [r for r in received(self.hook_log) if r["kind"] == kind]

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait()
        self.receiver.kill()
        if os.environ.get("KEEP_DRILL") is None:
            shutil.rmtree(self.work, ignore_errors=True)


def until(check, seconds, step=0.5):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


def inject(base, count, prefix, threads=4):
    """Sandbox messages from `threads` threads; returns the accepted message ids and the refusals by status."""
    accepted, failures, lock, numbers = set(), collections.Counter(), threading.Lock(), iter(range(count))

    def worker():
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            status, reply = call(base + "/webhooks/dummy/sandbox",
                                 {"from": f"+1777{n % 50:07d}", "type": "text", "text": {"body": f"{prefix}{n}"}})
            with lock:
                if status == 200:
                    accepted.add(reply["data"]["id"])
                else:
                    failures[(status, (reply.get("errors") or [{}])[0].get("code"))] += 1

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return accepted, failures


def webhook_down():
    """Every callback fails the whole schedule, becomes a dead letter, and one replay delivers each once."""
    # the breaker stays closed: open, it lets one probe through per open-for and would stretch the drill to minutes
    drill = Drill("webhook-down", "--mehery.delivery.retry-schedule=0s,1s,1s",
                  "--mehery.delivery.breaker.window=100000", "--mehery.delivery.breaker.minimum-calls=100000")
    try:
        drill.start()
        drill.webhook_down(True)
        drill.set_webhook()
        accepted, failures = inject(drill.base, 200, "down")
        expected = len(accepted) + 50  # a message/receive per message, a contact/info per new contact

        def dead():
            status, reply = call(drill.base + "/api/v1/admin/dead-letters?limit=1000")
            return reply.get("results") or []
        dead_lettered = until(lambda: len(dead()) >= expected, 240)
        letters = len(dead())
        drill.webhook_down(False)
        replayed = 0
        while True:
            status, reply = call(drill.base + "/api/v1/admin/dead-letters/replay", method="POST")
            count = len(reply.get("results") or [])
            replayed += count
            if count == 0 or status != 200:
                break
        until(lambda: {c["messageId"] for c in drill.callbacks()} >= accepted, 180)
        per_message = collections.Counter(c["messageId"] for c in drill.callbacks())
        delivered = set(per_message) & accepted
        twice = [m for m, n in per_message.items() if n > 1]
        print(f"accepted      {len(accepted)}  (refused {sum(failures.values())})")
        print(f"dead letters  {letters} of {expected} callbacks, after the whole schedule")
        print(f"replayed      {replayed}")
        print(f"delivered     {len(delivered)}, more than once: {len(twice)}")
        ok = dead_lettered and letters == expected and delivered == accepted and not twice and not failures
        print("PASS" if ok else "FAIL")
        return ok
    finally:
        drill.close()


def postgres_outage():
    """Requests during a 20 s outage of the database get a 503 envelope; nothing accepted is lost."""
    cluster = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()[0]
    pg = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main"]
    db = f"mehery_drill_{os.getpid()}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c"]
    subprocess.run(psql + [f"CREATE DATABASE {db}"], check=True)
    drill = Drill("postgres-outage", "--spring.profiles.active=postgres,demo",
                  f"--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/{db}")
    try:
        drill.start()
        drill.set_webhook()
        answers, lock, stop = [], threading.Lock(), threading.Event()

        def load(worker):
            n = 0
            while not stop.is_set():
                n += 1
                at = time.time()
                status, reply = call(drill.base + "/webhooks/dummy/sandbox",
                                     {"from": f"+1888{worker:03d}{n % 20:04d}", "type": "text",
                                      "text": {"body": f"pg-{worker}-{n}"}}, timeout=60)
                with lock:
                    answers.append((at, time.time() - at, status, reply))
                time.sleep(0.02)

        workers = [threading.Thread(target=load, args=(w,)) for w in range(4)]
        for w in workers:
            w.start()
        time.sleep(10)
        down_at = time.time()
        subprocess.run(pg + ["stop", "-m", "fast"], check=True)
        print(f"PostgreSQL stopped at +10 s")
        time.sleep(20)
        subprocess.run(pg + ["start"], check=True)
        up_at = time.time()
        print(f"PostgreSQL started at +{10 + up_at - down_at:.0f} s")
        time.sleep(20)
        stop.set()
        for w in workers:
            w.join()
        accepted = {r["data"]["id"] for _, _, s, r in answers if s == 200}
        refused = [(s, r) for _, _, s, r in answers if s != 200]
        clear = all(s == 503 and r.get("status") == "ERROR" and r["errors"][0]["code"] == "SERVICE_UNAVAILABLE"
                    and "exception" in r and not r.get("exception") for s, r in refused)
        during = [a for a in answers if down_at <= a[0] <= up_at]
        slowest = max((d for _, d, _, _ in answers), default=0)
        resumed = [a for a in answers if a[0] > up_at + 5]
        until(lambda: {c["messageId"] for c in drill.callbacks()} >= accepted, 180)
        delivered = {c["messageId"] for c in drill.callbacks()} & accepted
        print(f"requests      {len(answers)}: {len(accepted)} accepted, {len(refused)} refused "
              f"({collections.Counter(s for s, _ in refused)})")
        print(f"outage        {len(during)} requests during it, {sum(1 for a in during if a[2] == 503)} answered 503 "
              f"(slowest answer {slowest:.1f} s)")
        print(f"after         {len(resumed)} requests from 5 s after the restart, "
              f"{sum(1 for a in resumed if a[2] == 200)} accepted")
        print(f"delivered     {len(delivered)} of {len(accepted)} accepted; lost {len(accepted - delivered)}")
        ok = clear and delivered == accepted and resumed and all(a[2] == 200 for a in resumed) and \
            any(a[2] == 503 for a in during)
        print("PASS" if ok else "FAIL")
        return ok
    finally:
        subprocess.run(pg + ["start"], capture_output=True)
        drill.close()
        subprocess.run(psql + [f"DROP DATABASE IF EXISTS {db}"], capture_output=True)


class FlakyProvider(BaseHTTPRequestHandler):
    """The WhatsApp Cloud API, failing until `healthy_at`: 500, 429, then an answer slower than the timeout, in
    turn. A recipient ending in 0000 is refused with Meta's 400 for an invalid number, always."""
    protocol_version = "HTTP/1.1"
    healthy_at = 0.0
    calls = collections.Counter()
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        with FlakyProvider.lock:
            FlakyProvider.calls["all"] += 1
            turn = FlakyProvider.calls["all"] % 3
        if body.get("to", "").endswith("0000"):
            return self.answer(400, {"error": {"message": "(#131030) Recipient phone number not in allowed list",
                                               "type": "OAuthException", "code": 131030}})
        if time.time() < FlakyProvider.healthy_at:
            if turn == 0:
                return self.answer(500, {"error": {"message": "Service temporarily unavailable", "code": 2}})
            if turn == 1:
                return self.answer(429, {"error": {"message": "Too many messages", "code": 130429}})
            time.sleep(3)
        return self.answer(200, {"messaging_product": "whatsapp", "contacts": [{"input": body.get("to")}],
                                 "messages": [{"id": f"wamid.drill-{time.time_ns()}"}]})

    def answer(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        try:
            self.wfile.write(raw)
        except OSError:
            pass  # the gateway gave up waiting

    def log_message(self, *args):
        pass


def provider_faults():
    """Sends made while the provider fails are retried durably and end sent; a provider 4xx fails at once."""
    provider_port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", provider_port), FlakyProvider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    channel = "--mehery.channels.drill-wa."
    drill = Drill("provider-faults", f"{channel}tenant=demo", f"{channel}type=WHATSAPP", f"{channel}lane=+15550001111",
                  f"{channel}base-url=http://127.0.0.1:{provider_port}/v21.0", f"{channel}phone-number-id=1065",
                  f"{channel}access-token=drill-token", f"{channel}app-secret=drill-secret",
                  f"{channel}verify-token=drill-verify", "--mehery.providers.timeout=1s")
    try:
        drill.start()
        FlakyProvider.healthy_at = time.time() + 20
        sends = {}
        for n in range(40):
            to = f"+1999555{n:04d}"
            status, reply = call(drill.base + "/api/v1/message/send",
                                 {"channelId": "drill-wa", "to": {"phone": to}, "type": "text",
                                  "text": {"body": f"order {n} ships today"}})
            assert status == 200, reply
            sends[reply["data"]["id"]] = (to, reply["data"]["sessionId"])

        def statuses():
            found = {}
            for message_id, (to, session) in sends.items():
                _, reply = call(drill.base + f"/api/v1/session/messages?sessionId={session}")
                for m in reply.get("results") or []:
                    if m.get("messageId") == message_id:
                        found[message_id] = (m.get("status"), m)
            return found

        def settled():
            found = statuses()
            return len(found) == len(sends) and all(s in ("sent", "failed") for s, _ in found.values())
        until(settled, 300, step=2)
        final = statuses()
        by_status = collections.Counter(s for s, _ in final.values())
        refused = [m for mid, (s, m) in final.items() if sends[mid][0].endswith("0000")]
        print(f"sends         {len(sends)} accepted while the provider failed for 20 s "
              f"({FlakyProvider.calls['all']} provider calls in all)")
        print(f"final status  {dict(by_status)}")
        print(f"provider 4xx  {[(m.get('status'), m.get('logs')) for m in refused]}")
        ok = by_status["sent"] == len(sends) - len(refused) and all(m.get("status") == "failed" for m in refused)
        print("PASS" if ok else "FAIL")
        return ok
    finally:
        drill.close()
        server.shutdown()


class SlowBodies:
    """Holds `count` sockets open from 127.0.0.2, each having sent the headers of a POST declaring 1,000 bytes and one
    byte of it, to a path that goes nowhere, to a keyed path without a key, and to a provider webhook (read before
    anything proves who sent it). Every `period` seconds the sockets the server answered or closed are opened again,
    as slowloris does (its default period is 15 s)."""

    PATHS = ["/anything", "/api/v1/message/send", "/webhooks/whatsapp/drill-wa"]

    def __init__(self, port, count, period):
        import selectors
        self.port, self.count, self.period = port, count, period
        self.selector = selectors.DefaultSelector()
        self.answers = collections.Counter()
        self.opened = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.hold, daemon=True)

    def open_one(self, n):
        import selectors
        import socket
        sock = socket.socket()
        sock.bind(("127.0.0.2", 0))  # another source than the real requests', as an attacker's would be
        sock.connect(("127.0.0.1", self.port))
        path = self.PATHS[n % len(self.PATHS)]
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: drill\r\nContent-Type: application/json\r\n"
                     f"X-Hub-Signature-256: sha256=00\r\nContent-Length: 1000\r\n\r\n{{".encode())
        sock.setblocking(False)
        self.selector.register(sock, selectors.EVENT_READ, n)
        self.opened += 1

    def hold(self):
        reopen = []
        for n in range(self.count):
            self.open_one(n)
        next_round = time.time() + self.period
        while not self.stop.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                data = b""
                try:
                    data = key.fileobj.recv(4096)
                except OSError:
                    pass
                status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "closed"
                self.answers[(self.PATHS[key.data % len(self.PATHS)], status)] += 1
                self.selector.unregister(key.fileobj)
                key.fileobj.close()
                reopen.append(key.data)
            if time.time() >= next_round:
                for n in reopen:
                    self.open_one(n)
                reopen = []
                next_round += self.period

    def held(self):
        return len(self.selector.get_map())

    def close(self):
        self.stop.set()
        self.thread.join()
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()


def paced_accepts(base, rate, seconds):
    """Sandbox messages at `rate` per second for `seconds` from 4 threads; returns the latencies (ms) and failures."""
    latencies, failures, lock = [], collections.Counter(), threading.Lock()
    start = time.time()

    def worker(w):
        n = w
        while True:
            due = start + n / rate
            if due > start + seconds or time.time() > start + seconds + 10:
                return  # the second test: a gateway that stops answering must not stretch the drill
            time.sleep(max(0.0, due - time.time()))
            t0 = time.time()
            try:
                status, _ = call(base + "/webhooks/dummy/sandbox",
                                 {"from": f"+1888{n % 200:07d}", "type": "text", "text": {"body": f"paced {n}"}})
            except OSError:
                status = "no answer in 10 s"
            with lock:
                if status == 200:
                    latencies.append((time.time() - t0) * 1000)
                else:
                    failures[status] += 1
            n += 4
    workers = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sorted(latencies), failures


def out_dir():
    path = os.path.join(HERE, "out")
    os.makedirs(path, exist_ok=True)
    return path


def percentile(values, p):
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")


def slow_bodies(count=1000, rate=20, seconds=30, period=float(os.environ.get("SLOW_BODIES_PERIOD", "15"))):
    """1,000 slow-body sockets held open while a paced load of real requests runs: the real requests keep their
    latency (p99 within 2x of the same load without the sockets; both measured after 15 s, the JIT's warm-up of
    each) and health answers at once. SLOW_BODIES_PERIOD
    (seconds, default 15 as slowloris's own) is how often the attacker opens again the sockets the server closed;
    2 makes it a flood of new connections (about 500 a second here)."""
    channel = "--mehery.channels.drill-wa."
    drill = Drill("slow-bodies", f"{channel}tenant=demo", f"{channel}type=WHATSAPP", f"{channel}lane=+15550001111",
                  f"{channel}phone-number-id=1065", f"{channel}access-token=drill-token",
                  f"{channel}app-secret=drill-secret", f"{channel}verify-token=drill-verify")
    try:
        drill.start()
        paced_accepts(drill.base, rate, 10)  # warm-up
        quiet, quiet_failed = paced_accepts(drill.base, rate, seconds)
        attack = SlowBodies(drill.port, count, period)
        attack.thread.start()
        until(lambda: attack.opened >= count, 30, step=0.2)
        paced_accepts(drill.base, rate, 15)  # the attack's first seconds: the JIT compiles the refusals' paths
        health = []

        def probe_health():
            while not attack.stop.is_set():
                t0 = time.time()
                try:
                    status, _ = call(drill.base + "/actuator/health", timeout=10)
                except OSError:
                    status = "no answer in 10 s"
                health.append(((time.time() - t0) * 1000, status))
                time.sleep(0.5)
        prober = threading.Thread(target=probe_health, daemon=True)
        prober.start()
        loaded, loaded_failed = paced_accepts(drill.base, rate, seconds)
        held = attack.held()
        attack.close()
        prober.join()
        q99, l99 = percentile(quiet, 99), percentile(loaded, 99)
        print(f"latencies     quiet p90/p95/max {percentile(quiet, 90):.1f}/{percentile(quiet, 95):.1f}/"
              f"{percentile(quiet, 100):.1f} ms, under attack {percentile(loaded, 90):.1f}/"
              f"{percentile(loaded, 95):.1f}/{percentile(loaded, 100):.1f} ms")
        slowest_health = max((h for h, _ in health), default=float("nan"))
        health_ok = bool(health) and all(s == 200 for _, s in health)
        answers = collections.Counter()
        for (path, status), n in attack.answers.items():
            answers[f"{path} {status}"] += n
        print(f"slow sockets  {count} held open from 127.0.0.2, the closed ones opened again every {period:g} s"
              f" (still open at the end: {held}), {attack.opened} opened in all")
        print(f"their answers {dict(answers)}")
        print(f"quiet         {len(quiet)} accepts at {rate}/s: p50 {percentile(quiet, 50):.1f} ms, p99 {q99:.1f} ms"
              f" (refused {sum(quiet_failed.values())})")
        print(f"under attack  {len(loaded)} accepts at {rate}/s: p50 {percentile(loaded, 50):.1f} ms, p99 {l99:.1f} ms"
              f" (refused {sum(loaded_failed.values())}: {dict(loaded_failed)}); p99 ratio {l99 / q99:.2f}")
        print(f"health        {len(health)} probes, all 200: {health_ok}, slowest {slowest_health:.1f} ms")
        json.dump({"count": count, "rate": rate, "seconds": seconds, "period": period, "opened": attack.opened,
                   "answers": dict(answers), "quiet_p50": percentile(quiet, 50), "quiet_p99": q99,
                   "attack_p50": percentile(loaded, 50), "attack_p99": l99, "health_probes": len(health),
                   "health_slowest_ms": slowest_health, "refused": sum(loaded_failed.values())},
                  open(os.path.join(out_dir(), "slow-bodies.json"), "w"), indent=1)
        ok = (l99 <= 2 * q99 and health_ok and slowest_health < 1000 and not loaded_failed
              and len(loaded) == len(quiet))
        print("PASS" if ok else "FAIL")
        return ok
    finally:
        drill.close()


def upload_flood(waves=10, parallel=32, rate=20, seconds=30):
    """Waves of `parallel` 5 MB uploads to a website channel's /files against a gateway with a 256 MB
    heap, while a paced load of sandbox messages runs from 127.0.0.1, in two phases after a quiet one:
    1. the attack, from 127.0.0.2: every upload without a visitor token. Each is refused from its headers (401, then 429 once the
       address failed too often; the connection closed unread). PASS needs no OutOfMemoryError, nothing echoed, every
       paced request answered and their p99 within 2x of the quiet phase's;
    2. visitors' uploads, from 127.0.0.3: half the uploads with a token, 200 or 503 (at most mehery.webchat.max-concurrent-uploads
       at once; 429 past the visitor's messages a minute). Reported beside the attack's; PASS needs no
       OutOfMemoryError, nothing echoed and every paced request answered (storing 5 MB files costs the embedded H2
       time that the paced requests feel: the figure says how much)."""
    import http.client
    channel = "--mehery.channels.drill-web."
    drill = Drill("upload-flood", f"{channel}tenant=demo", f"{channel}type=WEBSITE", f"{channel}lane=drill",
                  f"{channel}identity-secret=drill-identity-secret-0123456789")
    drill.args[1] = "-Xmx256m"
    body = os.urandom(5 * 1024 * 1024 - 1)
    try:
        drill.start()
        _, visit = call(drill.base + "/webhooks/website/drill-web/visitors", {})
        token = visit["data"]["token"]
        paced_accepts(drill.base, rate, 10)  # warm-up
        quiet, quiet_failed = paced_accepts(drill.base, rate, seconds)
        q99 = percentile(quiet, 99)
        print(f"quiet         {len(quiet)} accepts at {rate}/s: p50 {percentile(quiet, 50):.1f} ms, p99 {q99:.1f} ms")

        def flood(with_tokens):
            answers, echoed, lock = collections.Counter(), [0], threading.Lock()

            def upload(n):
                t0 = time.time()
                headers = {"Content-Type": "image/png"}
                kind = "token" if with_tokens and n % 2 == 0 else "none"
                if kind == "token":
                    headers["Authorization"] = "Bearer " + token
                try:
                    # the visitors from an address of their own: the attack's is held by then
                    conn = http.client.HTTPConnection("127.0.0.1", drill.port, timeout=60,
                                                      source_address=("127.0.0.3" if with_tokens else "127.0.0.2", 0))
                    conn.request("POST", f"/webhooks/website/drill-web/files?clientId=flood{n}", body=body,
                                 headers=headers)
                    reply = conn.getresponse()
                    text = reply.read()
                    outcome = f"{kind} {reply.status}"
                    if b"flood" in text or len(text) > 100_000:
                        with lock:
                            echoed[0] += 1
                except OSError:
                    outcome = f"{kind} closed unread"
                with lock:
                    answers[outcome] += 1
                    answers["slowest_ms"] = max(answers["slowest_ms"], int((time.time() - t0) * 1000))

            def waves_of_uploads():
                for wave in range(waves):
                    threads = [threading.Thread(target=upload, args=(wave * parallel + i,)) for i in range(parallel)]
                    for t in threads:
                        t.start()
                    for t in threads:
                        t.join()
            flooder = threading.Thread(target=waves_of_uploads)
            flooder.start()
            loaded, loaded_failed = paced_accepts(drill.base, rate, seconds)
            flooder.join()
            slowest = answers.pop("slowest_ms", 0)
            l99 = percentile(loaded, 99)
            name = "visitors" if with_tokens else "attack"
            print(f"{name:<13} {sum(answers.values())} uploads of 5 MB in waves of {parallel}: {dict(answers)},"
                  f" slowest {slowest} ms, echoed {echoed[0]}")
            print(f"{'':<13} {len(loaded)} accepts at {rate}/s meanwhile: p50 {percentile(loaded, 50):.1f} ms,"
                  f" p99 {l99:.1f} ms (refused {sum(loaded_failed.values())}: {dict(loaded_failed)});"
                  f" p99 ratio {l99 / q99:.2f}")
            allowed = {"none 401", "none 429", "none closed unread", "token 200", "token 429", "token 503",
                       "token closed unread"}
            ok = echoed[0] == 0 and set(answers) <= allowed and not loaded_failed and len(loaded) == len(quiet)
            return ok, {"uploads": dict(answers), "slowest_upload_ms": slowest, "echoed": echoed[0], "p99": l99,
                        "p99_ratio": l99 / q99}

        attack_ok, attack = flood(False)
        attack_ok = attack_ok and attack["p99_ratio"] <= 2
        visitors_ok, visitors = flood(True)
        oom = open(os.path.join(drill.work, "gateway.log")).read().count("OutOfMemoryError")
        print(f"heap          -Xmx256m, OutOfMemoryError in the log: {oom}")
        json.dump({"quiet_p99": q99, "attack": attack, "visitors": visitors, "oom": oom},
                  open(os.path.join(out_dir(), "upload-flood.json"), "w"), indent=1)
        ok = attack_ok and visitors_ok and oom == 0
        print("PASS" if ok else "FAIL")
        return ok
    finally:
        drill.close()


DRILLS = {"webhook-down": webhook_down, "postgres-outage": postgres_outage, "provider-faults": provider_faults,
          "slow-bodies": slow_bodies, "upload-flood": upload_flood}


if __name__ == "__main__":
    chosen = list(DRILLS) if sys.argv[1:] == ["all"] else sys.argv[1:]
    if not chosen or any(c not in DRILLS for c in chosen):
        sys.exit(__doc__)
    results = {}
    for name in chosen:
        print(f"== {name}")
        results[name] = DRILLS[name]()
    sys.exit(0 if all(results.values()) else 1)
