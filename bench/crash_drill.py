#!/usr/bin/env python3
"""Crash drill: starts the packaged gateway, injects sandbox messages from several threads (each sent again with
its id until accepted, as a channel does) while other threads send message/send requests to a WhatsApp channel
whose provider is a local stub, kill -9s the gateway while callbacks are being delivered and sends dispatched,
starts it again on the same data dir, and counts what the client webhook and the provider got.

    python3 bench/crash_drill.py [--messages 2000] [--sends 600] [--threads 8] [--kills 1] [--postgres]

Prints accepted / delivered / lost / duplicated callbacks, and accepted sends called once / failed / called twice /
neither; exits 1 if an accepted message was lost, a duplicate callback came with a different webhook-id, or an
accepted send reached the provider twice or ended neither called nor failed. --postgres runs the gateway on the
postgres profile against a database of its own on the local server."""
import argparse
import collections
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def maven_artifact(group, artifact, version, kind, classifier):
    """The path of an artifact's file in ~/.m2, fetched through Maven the first time."""
    path = os.path.expanduser(f"~/.m2/repository/{group.replace('.', '/')}/{artifact}/{version}/"
                              f"{artifact}-{version}-{classifier}.{kind}")
    if not os.path.exists(path):
        subprocess.run(["mvn", "-B", "-q", "dependency:get",
                        f"-Dartifact={group}:{artifact}:{version}:{kind}:{classifier}"], check=True)
    return path


def call(url, body=None, key="demo-key", timeout=10, method=None):
    """(status, envelope) for any HTTP answer, errors included; raises only when nothing answered."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method or ("POST" if body is not None else "GET"),
                                 headers={"x-api-key": key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, {"unparsable": raw[:200].decode(errors="replace")}


def packaged_jar():
    """The gateway's jar: $MEHERY_JAR (another build, to compare), else target/'s, built first if there is none."""
    if os.environ.get("MEHERY_JAR"):
        return os.environ["MEHERY_JAR"]
    jars = glob.glob(os.path.join(ROOT, "target", "mehery-gateway-*.jar"))
    if not jars:
        subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
        jars = glob.glob(os.path.join(ROOT, "target", "mehery-gateway-*.jar"))
    return jars[0]


def launched(jar):
    """How java runs the jar: the extracted copy with its start-up archive when `mvn package` made them for it
    (target/app, README "Start-up"), else the jar itself."""
    app = os.path.join(os.path.dirname(os.path.abspath(jar)), "app")
    extracted, archive = os.path.join(app, os.path.basename(jar)), os.path.join(app, "application.jsa")
    if os.path.exists(archive) and os.path.getmtime(archive) >= os.path.getmtime(jar):
        return [f"-XX:SharedArchiveFile={archive}", "-jar", extracted]
    return ["-jar", jar]


def start_gateway(jar, port, data_dir, log, extra=(), routes="classpath:routes/*.yaml"):
    return subprocess.Popen(["java", "-Xmx512m", *launched(jar), f"--server.port={port}",
                             f"--mehery.data-dir={data_dir}",
                             f"--mehery.routes={routes}", "--mehery.webhooks.allow-private-targets=true",
                             "--mehery.delivery.retry-schedule=0s,1s,2s,5s,10s,30s,60s",
                             *extra],
                            stdout=log, stderr=subprocess.STDOUT, cwd=data_dir)


def provider_channel(hook_port):
    """A WhatsApp channel of the demo tenant whose Cloud API is the receiver's /provider/ stub."""
    prefix = "--mehery.channels.drill-wa."
    return [prefix + "tenant=demo", prefix + "type=WHATSAPP", prefix + "lane=+15550001111",
            prefix + f"base-url=http://127.0.0.1:{hook_port}/provider", prefix + "phone-number-id=100200300",
            prefix + "access-token=drill-token", prefix + "app-secret=drill-secret", prefix + "verify-token=drill"]


def wait_healthy(port, proc, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("gateway exited during start; see its log")
        try:
            if call(f"http://127.0.0.1:{port}/actuator/health", timeout=2)[0] == 200:
                return
        except Exception:
            time.sleep(0.5)
    sys.exit("gateway did not become healthy")


def received(log_path):
    with open(log_path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--kills", type=int, default=1)
    ap.add_argument("--sends", type=int, default=600)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()

    jar = packaged_jar()
    work = tempfile.mkdtemp(prefix="mehery-drill-")
    data_dir, receiver_log = os.path.join(work, "data"), os.path.join(work, "callbacks.jsonl")
    os.makedirs(data_dir)
    open(receiver_log, "w").close()
    hook_port, port = free_port(), free_port()
    receiver = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "webhook_receiver.py"), str(hook_port),
                                 receiver_log])
    gateway_log = open(os.path.join(work, "gateway.log"), "a")
    extra = provider_channel(hook_port)
    db = f"mehery_drill_{os.getpid()}"
    if not args.postgres:
        extra.append("--spring.profiles.active=demo")
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", "postgres", "-c"]
    if args.postgres:
        subprocess.run(psql + [f"CREATE DATABASE {db}"], check=True)
        extra += ["--spring.profiles.active=postgres,demo", f"--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/{db}"]
    gateway = start_gateway(jar, port, data_dir, gateway_log, extra)
    try:
        wait_healthy(port, gateway)
        status, reply = call(f"http://127.0.0.1:{port}/api/v1/config/webhook",
                             {"url": f"http://127.0.0.1:{hook_port}/demo"})
        assert status == 200, reply

        accepted, lock, counter = set(), threading.Lock(), iter(range(args.messages))

        def inject():
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                # as a channel does: the same message (same id) again until it is accepted, so a copy accepted just
                # before a kill and sent again after it is one message
                for _ in range(120):
                    try:
                        status, reply = call(f"http://127.0.0.1:{port}/webhooks/dummy/sandbox",
                                             {"id": f"drill-{n}", "from": f"+1555{n % 100:07d}", "type": "text",
                                              "text": {"body": f"m{n}"}})
                        if status == 200:
                            with lock:
                                accepted.add(reply["data"]["id"])
                            break
                    except (OSError, http.client.HTTPException):
                        pass  # nothing (or half an answer) came: the gateway is down or restarting
                    time.sleep(0.5)

        sends, unknown, send_counter = {}, set(), iter(range(args.sends))

        def send():
            while True:
                with lock:
                    n = next(send_counter, None)
                if n is None:
                    return
                # a 503 accepted nothing and is sent again; a request that got no answer may or may not have been
                # accepted, and a client cannot tell: it is not sent again, and counted apart
                for _ in range(120):
                    try:
                        status, reply = call(f"http://127.0.0.1:{port}/api/v1/message/send",
                                             {"channelId": "drill-wa", "to": {"phone": f"+1666{n % 100:07d}"},
                                              "type": "text", "text": {"body": f"drill-send-{n}"}})
                    except (OSError, http.client.HTTPException) as e:
                        if isinstance(getattr(e, "reason", None), ConnectionRefusedError):
                            time.sleep(0.5)  # the gateway is down: the request never reached it
                            continue
                        with lock:
                            unknown.add(n)
                        break
                    if status == 200:
                        with lock:
                            sends[n] = reply["data"]
                        break
                    time.sleep(0.5)
                time.sleep(0.02)

        started = time.time()
        workers = [threading.Thread(target=inject) for _ in range(args.threads)]
        workers += [threading.Thread(target=send) for _ in range(max(1, args.threads // 2))]
        for w in workers:
            w.start()
        for kill in range(args.kills):
            # kill -9 once some callbacks have arrived and many are still on their way
            target = (kill + 1) * args.messages // (2 * args.kills + 1)
            while sum(1 for r in received(receiver_log) if r["kind"] == "message/receive") < target:
                time.sleep(0.05)
            gateway.send_signal(signal.SIGKILL)
            gateway.wait()
            print(f"kill -9 #{kill + 1} after {time.time() - started:.1f}s, "
                  f"{len(received(receiver_log))} callbacks received so far")
            gateway = start_gateway(jar, port, data_dir, gateway_log, extra)
            wait_healthy(port, gateway)
        for w in workers:
            w.join()

        deadline, last, stable_since = time.time() + 180, -1, time.time()
        while time.time() < deadline:
            got = {r["messageId"] for r in received(receiver_log) if r["kind"] == "message/receive"}
            if accepted <= got:
                break
            if len(got) != last:
                last, stable_since = len(got), time.time()
            time.sleep(0.5)

        def status_of(receipt):
            _, history = call(f"http://127.0.0.1:{port}/api/v1/session/messages?sessionId={receipt['sessionId']}")
            return next((m["status"] for m in history.get("results", []) if m["messageId"] == receipt["id"]), None)

        def provider_calls():
            return collections.Counter(r["text"] for r in received(receiver_log) if r["kind"] == "provider")

        deadline = time.time() + 180
        while time.time() < deadline:
            calls = provider_calls()
            pending = [n for n in sends if calls[f"drill-send-{n}"] == 0 and status_of(sends[n]) != "failed"]
            if not pending:
                break
            time.sleep(1)
        calls = provider_calls()
        called_once = [n for n in sends if calls[f"drill-send-{n}"] == 1]
        called_twice = [n for n in sends if calls[f"drill-send-{n}"] > 1]
        failed_sends = [n for n in sends if calls[f"drill-send-{n}"] == 0 and status_of(sends[n]) == "failed"]
        neither = [n for n in sends if calls[f"drill-send-{n}"] == 0 and n not in failed_sends]
        unknown_twice = [n for n in unknown if calls[f"drill-send-{n}"] > 1]

        callbacks = [r for r in received(receiver_log) if r["kind"] == "message/receive"]
        per_message = collections.defaultdict(list)
        for r in callbacks:
            per_message[r["messageId"]].append(r["webhookId"])
        delivered = set(per_message) & accepted
        lost = accepted - delivered
        duplicated = {m: ids for m, ids in per_message.items() if len(ids) > 1}
        consistent = all(len(set(ids)) == 1 for ids in duplicated.values())
        print(f"accepted    {len(accepted)}")
        print(f"delivered   {len(delivered)}")
        print(f"lost        {len(lost)}")
        print(f"duplicated  {len(duplicated)} messages, {sum(len(i) - 1 for i in duplicated.values())} extra callbacks,"
              f" {'all' if consistent else 'NOT all'} with the same webhook-id")
        print(f"sends       {len(sends)} accepted: {len(called_once)} reached the provider once, {len(failed_sends)}"
              f" failed (outcome unknown after a kill), {len(called_twice)} twice, {len(neither)} neither;"
              f" {len(unknown)} got no answer ({len(unknown_twice)} of them reached the provider twice)")
        print(f"elapsed     {time.time() - started:.1f}s   (work dir {work})")
        ok = not lost and consistent and not called_twice and not neither and not unknown_twice
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        gateway.send_signal(signal.SIGTERM)
        gateway.wait()
        receiver.kill()
        if args.postgres:
            subprocess.run(psql + [f"DROP DATABASE IF EXISTS {db}"], check=False)
        if os.environ.get("KEEP_DRILL") is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
