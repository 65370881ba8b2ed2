#!/usr/bin/env python3
"""Configuration drill: changes a running gateway under a paced load of sandbox messages (half the sandbox accept
peak by default) and checks that nothing is lost and no request fails with a 5xx. In turn, through the files and
POST /api/v1/admin/config/apply:

  1. a new channel (a second sandbox channel, used by the load from then on)
  2. a changed route (the sandbox's inbound route gets a step)
  3. a new tap (inbound messages copied to files)
  4. an invalid route (a bean that does not exist): refused, the old route keeps serving
  5. a route that starts but fails at run time (the callback delivery template throws): rolled back by probation

    python3 bench/config_drill.py [--rate 168] [--step-seconds 8]

Prints each apply's outcome and time, then accepted / delivered / lost, the answers by status, and the tap's copies;
exits 1 if an accepted message's callback never came, any request got a 5xx, or a step did not end as it should.
The gateway is the packaged jar ($MEHERY_JAR to try another build), on the demo profile, its routes and one
configuration file in a work folder of its own."""
import argparse
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_drill import ROOT, call, free_port, packaged_jar, received, start_gateway, wait_healthy  # noqa: E402

ADMIN_KEY = "demo-admin-key"


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        sys.exit(f"{path} does not hold the text the drill changes: {old!r}")
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=168, help="sandbox messages per second (the benchmarks' 50 %% of"
                    " the accept peak, docs/benchmarks.md)")
    ap.add_argument("--step-seconds", type=float, default=8, help="load between two changes")
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()

    jar = packaged_jar()
    work = tempfile.mkdtemp(prefix="mehery-config-drill-")
    data_dir, routes, tap_dir = (os.path.join(work, d) for d in ("data", "routes", "tap"))
    os.makedirs(data_dir)
    shutil.copytree(os.path.join(ROOT, "routes"), routes)
    config = os.path.join(work, "drill.yaml")
    with open(config, "w") as f:
        f.write("mehery:\n  templates:\n    drill: \"config drill {{1}}\"\n")
    receiver_log = os.path.join(work, "callbacks.jsonl")
    open(receiver_log, "w").close()
    hook_port, port = free_port(), free_port()
    receiver = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "webhook_receiver.py"), str(hook_port),
                                 receiver_log])
    gateway_log = open(os.path.join(work, "gateway.log"), "a")
    gateway = start_gateway(jar, port, data_dir, gateway_log, [
        "--spring.profiles.active=demo", f"--spring.config.additional-location=file:{config}",
        "--mehery.config.watch=false", "--mehery.config.probation=30s"], routes=f"file:{routes}/*.yaml")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(port, gateway)
        status, reply = call(f"{base}/api/v1/config/webhook", {"url": f"http://127.0.0.1:{hook_port}/demo"})
        assert status == 200, reply

        lock = threading.Lock()
        accepted, answers, channels, latencies = set(), collections.Counter(), ["sandbox"], []
        sending = threading.Event()
        sending.set()
        counter = iter(range(10 ** 9))

        def load():
            interval = args.threads / args.rate
            next_at = time.time()
            while sending.is_set():
                with lock:
                    n = next(counter)
                    channel = channels[n % len(channels)]
                sent = time.time()
                try:
                    status, reply = call(f"{base}/webhooks/dummy/{channel}", {
                        "id": f"cfg-{n}", "from": f"+1555{n % 40:07d}", "type": "text", "text": {"body": f"c{n}"}})
                except OSError as e:
                    status, reply = f"no answer ({e.__class__.__name__})", None
                with lock:
                    latencies.append((time.time() - sent) * 1000)
                    answers[status] += 1
                    if status == 200:
                        accepted.add(reply["data"]["id"])
                next_at += interval
                time.sleep(max(0.0, next_at - time.time()))

        def apply():
            started = time.time()
            status, reply = call(f"{base}/api/v1/admin/config/apply", key=ADMIN_KEY, method="POST", timeout=120)
            return status, reply, (time.time() - started) * 1000

        def latest_version():
            return call(f"{base}/api/v1/admin/config/versions", key=ADMIN_KEY)[1]["results"][0]

        workers = [threading.Thread(target=load) for _ in range(args.threads)]
        for w in workers:
            w.start()
        steps, failures = [], []

        def step(name, change, expect, after=None):
            time.sleep(args.step_seconds)
            change()
            status, reply, millis = apply()
            outcome = f"{status} " + (", ".join(reply["data"]["changes"]) if status == 200
                                      else "; ".join(e["description"] for e in reply["errors"]))
            ok = status == expect
            if ok and after:
                ok = after()
            steps.append((name, status, millis, outcome[:160]))
            print(f"{name:<32} {'ok  ' if ok else 'FAIL'} {millis:7.0f} ms  {outcome[:160]}", flush=True)
            if not ok:
                failures.append(name)

        def add_channel():
            with open(config, "a") as f:
                f.write("  channels:\n    sandbox-2:\n      tenant: demo\n      type: DUMMY\n      lane: sandbox-2\n")

        def use_channel():
            with lock:
                channels.append("sandbox-2")
            return True

        dummy = os.path.join(routes, "channel-dummy.yaml")
        step("1 new channel", add_channel, 200, use_channel)
        step("2 changed route", lambda: edit(dummy, "        - to: direct:accepted\n",
                                             "        - to: direct:accepted\n        - log:\n"
                                             "            loggingLevel: DEBUG\n            message: drill\n"), 200)
        step("3 new tap", lambda: edit(config, "  channels:\n", "  taps:\n    drill:\n      events: [inbound-message]\n"
                                       f"      uri: file:{tap_dir}\n  channels:\n"), 200)
        step("4 invalid route (refused)", lambda: edit(dummy, "ref: sandboxInbound", "ref: noSuchBean"), 400,
             lambda: call(f"{base}/webhooks/dummy/sandbox", {"from": "+15559999999", "type": "text",
                                                             "text": {"body": "still served"}})[0] == 200)
        edit(dummy, "ref: noSuchBean", "ref: sandboxInbound")
        delivery = os.path.join(routes, "callback-delivery.yaml")

        def rolled_back():
            deadline = time.time() + 60
            while time.time() < deadline:
                version = latest_version()
                if version["outcome"] == "rolled-back":
                    print(f"{'':<32}      rolled back: {version['changes'][0][:140]}", flush=True)
                    return True
                time.sleep(0.2)
            return False

        step("5 route failing at run time", lambda: edit(
            delivery, "        steps:\n          - unmarshal:\n",
            "        steps:\n          - throwException:\n              exceptionType: java.lang.IllegalStateException\n"
            "              message: the drill's broken route\n          - unmarshal:\n"), 200, rolled_back)
        edit(delivery, "          - throwException:\n              exceptionType: java.lang.IllegalStateException\n"
             "              message: the drill's broken route\n", "")
        time.sleep(args.step_seconds)
        sending.clear()
        for w in workers:
            w.join()
        # the files again hold what runs: applying them changes nothing
        status, reply, _ = apply()
        if status != 200 or reply["data"]["changes"]:
            failures.append("files and running routes differ at the end")

        def delivered():
            got = set()
            for r in received(receiver_log):
                if r["kind"] == "message/receive":
                    got.update(r.get("messageIds") or [r["messageId"]])
            return got

        deadline = time.time() + 180
        while time.time() < deadline and not accepted <= delivered():
            time.sleep(0.5)
        got = delivered()
        lost = accepted - got
        server_errors = sum(n for s, n in answers.items() if not isinstance(s, int) or s >= 500)
        copies = len(os.listdir(tap_dir)) if os.path.isdir(tap_dir) else 0
        gateway_log.flush()
        with open(os.path.join(work, "gateway.log")) as f:
            swaps = re.findall(r"Routes replaced in (\d+) ms: \[(.*?)\]", f.read())
        for millis, replaced in swaps:
            names = replaced.split(", ")
            print(f"replaced    {len(names)} route(s) in {millis} ms ({', '.join(names[:3])}"
                  f"{', ...' if len(names) > 3 else ''})")
        latencies.sort()
        print(f"latency     p50 {latencies[len(latencies) // 2]:.0f} ms, p99 {latencies[len(latencies) * 99 // 100]:.0f}"
              f" ms, max {latencies[-1]:.0f} ms over the whole run")
        print(f"accepted    {len(accepted)} at {args.rate:.0f}/s")
        print(f"delivered   {len(accepted & got)}")
        print(f"lost        {len(lost)}")
        print(f"answers     {dict(sorted(answers.items(), key=str))}")
        print(f"tap copies  {copies} inbound messages written by the tap added in step 3")
        ok = not lost and not server_errors and not failures and copies > 0
        print("PASS" if ok else f"FAIL {failures}")
        with open(os.path.join(work, "summary.json"), "w") as f:
            json.dump({"steps": steps, "swaps": swaps, "accepted": len(accepted), "lost": len(lost), "answers": {
                str(k): v for k, v in answers.items()}, "tapCopies": copies}, f)
        return 0 if ok else 1
    finally:
        gateway.send_signal(signal.SIGTERM)
        gateway.wait()
        receiver.kill()
        if os.environ.get("KEEP_DRILL") is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
