#!/usr/bin/env python3
"""Cluster drill: two gateways on one PostgreSQL database and a standalone ActiveMQ Artemis, behind nginx, under a
steady load of sandbox messages and sends; one gateway killed with kill -9 and restarted, then the broker
restarted, then PostgreSQL stopped for 10 s.

    python3 bench/cluster.py [--rate 60] [--phase-seconds 15]

The broker is the official distribution (org.apache.activemq:apache-artemis:2.40.0, bin tar.gz, fetched through
Maven and unpacked here), created with `artemis create` and its default broker.xml; the gateways set it up
themselves (spring.artemis.mode=native). PostgreSQL is the local server (a database of the drill's own; the outage
stops and starts the whole server with pg_ctlcluster: run it where nothing else needs that server meanwhile).

Each load thread owns its contacts and sends to each in turn, so every contact's messages have one accept order.
Prints accepted / delivered / lost, duplicates (and whether they kept their webhook-id), sends that reached the
provider once, the per-contact order of callbacks and provider calls, the answers by status (503s during the
outages), and how long each outage took to recover from; then the throughput of one instance against two through
nginx. Then the two act as one (issue 24): an apply through one is served by the other within 2 s, the versions
agree, a channel's max-rate holds for both together, a rollback through the other is served by the first within 2 s.
Exits 1 if anything accepted was lost, a duplicate changed its webhook-id, a send reached the provider twice
or never, a contact's messages arrived out of order, or the two did not act as one."""
import argparse
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_drill import ROOT, call, free_port, maven_artifact, packaged_jar, received, wait_healthy  # noqa: E402

ARTEMIS = "2.40.0"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", "postgres", "-c"]


def artemis_home(work):
    """The distribution from Maven (fetched once into ~/.m2), unpacked into the work folder."""
    archive = maven_artifact("org.apache.activemq", "apache-artemis", ARTEMIS, "tar.gz", "bin")
    with tarfile.open(archive) as tar:
        tar.extractall(work)
    return os.path.join(work, f"apache-artemis-{ARTEMIS}")


class Broker:
    def __init__(self, home, work):
        self.instance = os.path.join(work, "broker")
        self._port = free_port()
        subprocess.run([os.path.join(home, "bin", "artemis"), "create", self.instance, "--silent", "--user",
                        "mehery", "--password", "mehery-broker", "--require-login", "--no-web", "--no-amqp-acceptor",
                        "--no-stomp-acceptor", "--no-mqtt-acceptor", "--no-hornetq-acceptor", "--host", "127.0.0.1",
                        "--default-port", str(self.port())], check=True, stdout=subprocess.DEVNULL)
        self.log = open(os.path.join(work, "broker.log"), "a")
        self.proc = None

    def port(self):
        return self._port

    def start(self):
        self.proc = subprocess.Popen([os.path.join(self.instance, "bin", "artemis"), "run"], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port()), timeout=1):
                    return
            except OSError:
                time.sleep(0.5)
        sys.exit("the broker did not start; see broker.log")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)


def gateway(jar, port, data_dir, log, db, broker, hook_port):
    prefix = "--mehery.channels.drill-wa."
    return subprocess.Popen([
        "java", "-Xmx512m", "-jar", jar, f"--server.port={port}", f"--mehery.data-dir={data_dir}",
        "--mehery.routes=classpath:routes/*.yaml", "--mehery.webhooks.allow-private-targets=true",
        "--mehery.delivery.retry-schedule=0s,1s,2s,5s,10s,30s,60s", "--spring.profiles.active=postgres,demo",
        f"--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/{db}", "--spring.artemis.mode=native",
        f"--spring.artemis.broker-url=tcp://127.0.0.1:{broker.port()}?reconnectAttempts=-1",
        "--spring.artemis.user=mehery", "--spring.artemis.password=mehery-broker",
        prefix + "tenant=demo", prefix + "type=WHATSAPP", prefix + "lane=+15550001111",
        prefix + f"base-url=http://127.0.0.1:{hook_port}/provider", prefix + "phone-number-id=100200300",
        prefix + "access-token=drill-token", prefix + "app-secret=drill-secret", prefix + "verify-token=drill"],
        stdout=log, stderr=subprocess.STDOUT, cwd=data_dir)


def nginx(work, port, upstreams):
    conf = os.path.join(work, "nginx.conf")
    # max_fails=0: an instance is never taken out for its answers (a 503 while the database is down is the answer
    # the client should get, and nginx would turn "every instance failed" into a 502 of its own)
    servers = "".join(f"        server 127.0.0.1:{p} max_fails=0;\n" for p in upstreams)
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    access_log off;
    upstream gateways {{
{servers}        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://gateways;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # a connection the killed instance refused, or a 503 of an instance starting or stopping (it accepted
            # nothing), is tried on the other; a request it took and never answered is not (it may have been
            # accepted): the client sends it again with its id
            proxy_next_upstream error http_503 non_idempotent;
            proxy_read_timeout 30s;
        }}
    }}
}}
""")
    subprocess.run(["nginx", "-c", conf], check=True)
    return conf


def postgres_cluster():
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def drill_document(hook_port, extra_channels, wa_extra):
    """The demo configuration with the drill's WhatsApp channel, as an admin API document, plus what a step adds."""
    wa = {"tenant": "demo", "type": "WHATSAPP", "lane": "+15550001111",
          "base-url": f"http://127.0.0.1:{hook_port}/provider", "phone-number-id": "100200300",
          "access-token": "drill-token", "app-secret": "drill-secret", "verify-token": "drill", **wa_extra}
    return {"mehery": {"tenants": {"demo": {"api-key": "demo-key", "verify-token": "demo-verify-token"}},
                       "channels": {"sandbox": {"tenant": "demo", "type": "DUMMY", "lane": "sandbox"},
                                    "website": {"tenant": "demo", "type": "WEBSITE", "lane": "localhost",
                                                "identity-secret": "demo-identity-secret-change-me",
                                                "allowed-origins": []},
                                    "drill-wa": wa, **extra_channels}}}


def one_gateway(ports, hook_port, base, receiver_log, sends=100, rate=20):
    """The two instances as one (issue 24): a change applied through the first is served by the second within 2 s;
    both answer the same versions and run the same one; a max-rate of 20/s on the WhatsApp channel holds for both
    together (sends through nginx, provider calls counted per second); a rollback through the second is served by the
    first within 2 s. True when all of it holds."""
    first, second = (f"http://127.0.0.1:{p}" for p in ports)
    admin = "demo-admin-key"
    extra = {"drill-extra": {"tenant": "demo", "type": "DUMMY", "lane": "drill-extra"}}
    before = next(v["version"] for v in call(f"{first}/api/v1/admin/config/versions", key=admin)[1]["results"]
                  if v["outcome"] == "applied")
    status, reply = call(f"{first}/api/v1/admin/config/apply",
                         drill_document(hook_port, extra, {"max-rate": f"{rate}/s"}), key=admin)
    if status != 200:
        print(f"one gateway: the apply answered {status}: {reply}")
        return False
    applied, version = time.time(), reply["data"]["version"]
    served = None
    while time.time() - applied < 10:
        status, _ = call(f"{second}/webhooks/dummy/drill-extra", {"from": "+15557000001", "type": "text",
                                                                   "text": {"body": "through the other"}})
        if status == 200:
            served = time.time() - applied
            break
        time.sleep(0.05)
    versions = [call(f"{g}/api/v1/admin/config/versions", key=admin)[1]["results"] for g in (first, second)]
    instances = call(f"{second}/api/v1/admin/config/instances", key=admin)[1]["results"]
    running = sorted(i["version"] for i in instances)

    texts = [f"rated-{n}" for n in range(sends)]
    def send(text):
        call(f"{base}/api/v1/message/send", {"channelId": "drill-wa", "to": {"phone": f"+17770{text[6:]:0>5}"},
                                             "type": "text", "text": {"body": text}}, timeout=30)
    senders = [threading.Thread(target=send, args=(t,)) for t in texts]
    for s in senders:
        s.start()
    for s in senders:
        s.join()
    deadline = time.time() + 60
    at = {}
    while time.time() < deadline and len(at) < sends:
        at = {r["text"]: r["at"] for r in received(receiver_log) if r["kind"] == "provider"
              and r["text"].startswith("rated-")}
        time.sleep(0.5)
    per_second = collections.Counter(int(t) for t in at.values())

    status, reply = call(f"{second}/api/v1/admin/config/rollback/{before}", key=admin, method="POST")
    rolled, gone = time.time(), None
    while status == 200 and time.time() - rolled < 10:
        if call(f"{first}/webhooks/dummy/drill-extra", {"from": "+15557000002", "type": "text",
                                                         "text": {"body": "gone?"}})[0] == 404:
            gone = time.time() - rolled
            break
        time.sleep(0.05)

    ok = served is not None and served <= 2 and versions[0] == versions[1] and running == [version, version] \
        and len(at) == sends and max(per_second.values(), default=0) <= rate and gone is not None and gone <= 2
    print(f"one gateway  an apply on gateway 1 served by gateway 2 after {served if served is None else round(served, 2)}"
          f" s; versions {'equal' if versions[0] == versions[1] else 'DIFFERENT'} on both; instances run {running}")
    print(f"one gateway  max-rate {rate}/s: {len(at)}/{sends} sends reached the provider, at most"
          f" {max(per_second.values(), default=0)} in one second (per second: {sorted(per_second.values())})")
    print(f"one gateway  a rollback on gateway 2 answered {status}, served by gateway 1 after"
          f" {gone if gone is None else round(gone, 2)} s")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=60, help="sandbox messages per second, all threads together")
    ap.add_argument("--threads", type=int, default=6)
    ap.add_argument("--contacts-per-thread", type=int, default=5)
    ap.add_argument("--phase-seconds", type=float, default=15)
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args()

    jar = packaged_jar()
    work = tempfile.mkdtemp(prefix="mehery-cluster-")
    receiver_log = os.path.join(work, "callbacks.jsonl")
    open(receiver_log, "w").close()
    hook_port, lb_port = free_port(), free_port()
    ports = [free_port(), free_port()]
    db = f"mehery_cluster_{os.getpid()}"
    subprocess.run(PSQL + [f"CREATE DATABASE {db}"], check=True)
    receiver = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "webhook_receiver.py"), str(hook_port),
                                 receiver_log])
    broker = Broker(artemis_home(work), work)
    broker.start()
    logs = [open(os.path.join(work, f"gateway-{i + 1}.log"), "a") for i in range(2)]
    dirs = [os.path.join(work, f"data-{i + 1}") for i in range(2)]
    for d in dirs:
        os.makedirs(d)
    # the first instance migrates the schema and sets up the broker; the second joins the running system
    gateways = [gateway(jar, ports[0], dirs[0], logs[0], db, broker, hook_port)]
    wait_healthy(ports[0], gateways[0], 120)
    gateways.append(gateway(jar, ports[1], dirs[1], logs[1], db, broker, hook_port))
    wait_healthy(ports[1], gateways[1], 120)
    conf = nginx(work, lb_port, ports)
    base = f"http://127.0.0.1:{lb_port}"
    pg = postgres_cluster()
    try:
        status, reply = call(f"{base}/api/v1/config/webhook", {"url": f"http://127.0.0.1:{hook_port}/demo"})
        assert status == 200, reply
        lock = threading.Lock()
        answers = collections.Counter()
        timeline = []  # (time, status) of every answer, to find the outages' 503s and recoveries
        accepted_order = collections.defaultdict(list)  # contact -> message ids, in accept order
        accepted, sends, send_order, unknown = set(), {}, collections.defaultdict(list), set()
        running = threading.Event()
        running.set()

        def record(status):
            with lock:
                answers[status] += 1
                timeline.append((time.time(), status))

        def load(thread):
            interval = args.threads / args.rate
            next_at, n = time.time(), 0
            while running.is_set():
                contact = f"+1555{thread:03d}{n % args.contacts_per_thread:04d}"
                message = f"cl-{thread}-{n}"
                # as a channel does: the same message (same id) again until it is accepted
                while True:
                    try:
                        status, reply = call(f"{base}/webhooks/dummy/sandbox", {
                            "id": message, "from": contact, "type": "text", "text": {"body": message}}, timeout=30)
                    except OSError:
                        status = "no answer"
                    record(status)
                    if status == 200:
                        with lock:
                            accepted.add(reply["data"]["id"])
                            accepted_order[contact].append(reply["data"]["id"])
                        break
                    time.sleep(0.5)
                if n % 3 == 0:  # a send to the thread's own contacts on WhatsApp, in order
                    to = f"+1666{thread:03d}{n % args.contacts_per_thread:04d}"
                    text = f"send-{thread}-{n}"
                    while True:
                        try:
                            status, reply = call(f"{base}/api/v1/message/send", {
                                "channelId": "drill-wa", "to": {"phone": to}, "type": "text",
                                "text": {"body": text}}, timeout=30)
                        except OSError:
                            record("no answer")
                            with lock:
                                unknown.add(text)
                            break
                        record(status)
                        if status == 200:
                            with lock:
                                sends[text] = reply["data"]
                                send_order[to].append(text)
                            break
                        time.sleep(0.5)
                n += 1
                next_at += interval
                time.sleep(max(0.0, next_at - time.time()))

        workers = [threading.Thread(target=load, args=(t,)) for t in range(args.threads)]
        for w in workers:
            w.start()
        events = []

        def phase(name, action):
            time.sleep(args.phase_seconds)
            started = time.time()
            action()
            events.append((name, started, time.time()))
            print(f"{name:<40} done in {time.time() - started:.1f}s", flush=True)

        def kill_and_restart():
            gateways[0].send_signal(signal.SIGKILL)
            gateways[0].wait()
            time.sleep(2)
            gateways[0] = gateway(jar, ports[0], dirs[0], logs[0], db, broker, hook_port)
            wait_healthy(ports[0], gateways[0], 300)

        def restart_broker():
            broker.stop()
            broker.start()

        def postgres_outage():
            subprocess.run(pg + ["stop"], check=True)
            time.sleep(10)
            subprocess.run(pg + ["start"], check=True)

        phase("kill -9 gateway 1, restart it", kill_and_restart)
        phase("restart the broker", restart_broker)
        phase("stop PostgreSQL for 10 s", postgres_outage)
        time.sleep(args.phase_seconds)
        running.clear()
        for w in workers:
            w.join()

        def delivered_ids():
            per = collections.defaultdict(list)
            for r in received(receiver_log):
                if r["kind"] == "message/receive":
                    for m in r.get("messageIds") or [r["messageId"]]:
                        per[m].append((r["webhookId"], r))
            return per

        deadline = time.time() + 240
        while time.time() < deadline and not accepted <= set(delivered_ids()):
            time.sleep(1)
        provider = [r["text"] for r in received(receiver_log) if r["kind"] == "provider"]
        deadline = time.time() + 120
        while time.time() < deadline and not set(sends) <= set(provider):
            time.sleep(1)
            provider = [r["text"] for r in received(receiver_log) if r["kind"] == "provider"]

        per_message = delivered_ids()
        lost = accepted - set(per_message)
        duplicated = {m: v for m, v in per_message.items() if len(v) > 1}
        same_id = all(len({w for w, _ in v}) == 1 for v in duplicated.values())
        calls = collections.Counter(provider)
        once = [t for t in sends if calls[t] == 1]
        twice = [t for t in sends if calls[t] > 1]
        never = [t for t in sends if calls[t] == 0]

        # order: each contact's first callbacks, and each recipient's first provider calls, in accept order
        first_callback = []
        seen = set()
        for r in received(receiver_log):
            if r["kind"] == "message/receive":
                for m in r.get("messageIds") or [r["messageId"]]:
                    if m not in seen:
                        seen.add(m)
                        first_callback.append(m)
        position = {m: i for i, m in enumerate(first_callback)}
        callbacks_out_of_order = [c for c, ids in accepted_order.items()
                                  if [m for m in sorted(ids, key=lambda m: position.get(m, 1 << 30))] != ids]
        first_call = {}
        for i, t in enumerate(provider):
            first_call.setdefault(t, i)
        sends_out_of_order = [to for to, texts in send_order.items()
                              if sorted(texts, key=lambda t: first_call.get(t, 1 << 30)) != texts]

        print(f"accepted    {len(accepted)} inbound messages, {len(sends)} sends")
        print(f"delivered   {len(accepted) - len(lost)} message/receive callbacks; lost {len(lost)}")
        print(f"duplicated  {len(duplicated)} messages, {'all' if same_id else 'NOT all'} with the same webhook-id")
        print(f"sends       {len(once)} reached the provider once, {len(twice)} twice, {len(never)} never;"
              f" {len(unknown)} got no answer")
        print(f"order       {len(accepted_order) - len(callbacks_out_of_order)}/{len(accepted_order)} contacts got"
              f" their callbacks in accept order; {len(send_order) - len(sends_out_of_order)}/{len(send_order)}"
              f" recipients their messages")
        print(f"answers     {dict(sorted(answers.items(), key=str))}")
        for name, started, ended in events:
            during = collections.Counter(s for t, s in timeline if started <= t <= ended + 1)
            back = next((t for t, s in timeline if t > ended and s == 200), None)
            print(f"{name:<40} answers during it {dict(during)}; first 200 after it"
                  f" {(back - ended) if back else float('nan'):.1f}s after it ended")

        acting_as_one = one_gateway(ports, hook_port, base, receiver_log)

        if not args.skip_throughput:
            for label, url in (("one instance", f"http://127.0.0.1:{ports[1]}"), ("two behind nginx", base)):
                out = subprocess.run(["wrk", "-t2", "-c32", "-d15s", "-s", os.path.join(ROOT, "bench", "wrk",
                                      "gateway.lua"), f"{url}/webhooks/dummy/sandbox"], capture_output=True,
                                     text=True, env={**os.environ, "BENCH_MODE": "sandbox", "BENCH_KEY": "demo-key",
                                                     "BENCH_TAG": label.replace(" ", "-")}).stdout
                rate = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
                print(f"throughput  {label}: {rate} sandbox accepts/s")

        if lost or never:
            # where the missing work stands in the store, for the drill's reader
            for query in ("SELECT status, attempts, kind, COUNT(*) FROM delivery WHERE status <> 'DELIVERED'"
                          " GROUP BY status, attempts, kind",
                          "SELECT status, COUNT(*) FROM message WHERE direction = 'OUTBOUND' GROUP BY status",
                          "SELECT COUNT(*) FROM outbox"):
                out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", query],
                                     capture_output=True, text=True).stdout
                print(out)
        ok = not lost and same_id and not twice and not never and not callbacks_out_of_order \
            and not sends_out_of_order and acting_as_one
        print("PASS" if ok else "FAIL")
        with open(os.path.join(work, "summary.json"), "w") as f:
            json.dump({"accepted": len(accepted), "lost": len(lost), "answers": {str(k): v for k, v in
                                                                              answers.items()}}, f)
        return 0 if ok else 1
    finally:
        subprocess.run(["nginx", "-c", conf, "-s", "stop"], check=False)
        for g in gateways:
            g.send_signal(signal.SIGTERM)
        for g in gateways:
            g.wait()
        broker.stop()
        receiver.kill()
        subprocess.run(pg + ["start"], check=False, stderr=subprocess.DEVNULL)
        if os.environ.get("KEEP_DRILL") is None:
            subprocess.run(PSQL + [f"DROP DATABASE IF EXISTS {db}"], check=False)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work} and database {db}")


if __name__ == "__main__":
    sys.exit(main())
