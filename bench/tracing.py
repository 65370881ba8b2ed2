#!/usr/bin/env python3
"""What tracing costs the accept path (issue 25): sandbox accepts from wrk, with the tenant's webhook set (callbacks
flowing in the same run, nginx answering them) and without, on a gateway with tracing off
(management.tracing.enabled=false), as it ships (every request a span, each callback a client span, none exported:
no endpoint set) and exported (the same spans sent over OTLP to a receiver: nginx answering 200). The three
alternate, each started fresh, so a drift of the machine's speed shows as a spread between rounds rather than as a
difference.

  python3 bench/tracing.py [--jar target/mehery-gateway-*.jar] [--rounds 2] [--seconds 20]     (about 7 minutes)
"""
import argparse
import os
import shutil
import statistics
import time

from delivery import set_webhook
from run import BENCH, Gateway, Nginx, log, packaged_jar, wrk

CASES = (("with its webhook", "flow-sandbox", "flow-key"), ("without a webhook", "bench-sandbox", "bench-key"))


VARIANTS = ("tracing off", "as it ships", "exported")


def tracing(nginx, variant):
    return {"tracing off": ["--management.tracing.enabled=false"], "as it ships": [],
            "exported": [f"--management.otlp.tracing.endpoint=http://127.0.0.1:{nginx.ceiling}/v1/traces"]}[variant]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--warm", type=int, default=30)
    args = ap.parse_args()
    work = os.path.join(BENCH, "out", time.strftime("%Y%m%d-%H%M%S") + "-tracing")
    os.makedirs(work)
    nginx = Nginx(work)
    nginx.start()
    rates = {(variant, name): [] for variant in VARIANTS for name, _, _ in CASES}
    try:
        for round_ in range(args.rounds):
            for number, variant in enumerate(VARIANTS):
                gw = Gateway(args.jar or packaged_jar(), work, f"gateway-{round_}-{number}", nginx,
                             extra=tracing(nginx, variant), configs=("bench.yaml", "delivery.yaml"))
                try:
                    gw.start()
                    set_webhook(gw, "flow-key", f"http://127.0.0.1:{nginx.hook}/hooks")
                    for _, channel, key in CASES:
                        wrk(f"{gw.base}/webhooks/dummy/{channel}", "sandbox", args.warm // 2, key=key, tag="warm")
                    gw.settle(120)
                    for name, channel, key in CASES:
                        result = wrk(f"{gw.base}/webhooks/dummy/{channel}", "sandbox", args.seconds, key=key,
                                     tag=f"{round_}-{number}-{channel}")
                        rates[(variant, name)].append(result["ok_per_s"])
                        log(f"round {round_ + 1}, {variant}, {name}: {result['ok_per_s']:.0f} accepts/s"
                            f" ({result['failed']} failed)")
                        gw.settle(120)
                finally:
                    gw.stop()
                    shutil.rmtree(gw.data, ignore_errors=True)
    finally:
        nginx.stop()
    log("median accepts/s, and as a ratio to tracing off:")
    for name, _, _ in CASES:
        off = statistics.median(rates[("tracing off", name)])
        log(f"  {name}: " + ", ".join(f"{variant} {statistics.median(rates[(variant, name)]):.0f}"
                                      f" ({statistics.median(rates[(variant, name)]) / off:.2f}x)"
                                      for variant in VARIANTS))


if __name__ == "__main__":
    main()
