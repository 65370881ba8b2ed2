#!/usr/bin/env bash
# CPU profile of one accept path under load, as docs/profiling.md's flame graphs were made:
#
#   bench/profile.sh [JAR] [sandbox|whatsapp|send] [SECONDS_OF_WARM_UP]     (default: target's jar, sandbox, 100)
#
# Starts the jar with async-profiler (tools.profiler:async-profiler, fetched through Maven) on the benchmark's
# configuration and JVM flags, loads it with wrk (32 connections) for the warm-up and then 20 s more, and writes
# the last 20 s as collapsed stacks and an SVG flame graph (bench/flamegraph.py) under bench/out/profile-<time>/.
# It prints the accept rate of each 20 s round and the group commit's batch figures.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
JAR=${1:-$(ls "$BENCH"/../target/mehery-gateway-*.jar | head -1)}
MODE=${2:-sandbox}
WARM=${3:-100}
OUT="$BENCH/out/profile-$(date +%Y%m%d-%H%M%S)"
AP_VERSION=4.1
AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION-linux-x64.jar"
[ -f "$AP_JAR" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64"
mkdir -p "$OUT/ap" "$OUT/stacks" "$OUT/data"
(cd "$OUT/ap" && unzip -q -o "$AP_JAR")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java -XX:+UseSerialGC -Xmx192m -Xmn64m -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m \
    -XX:MaxDirectMemorySize=64m -Xss512k \
    "-agentpath:$OUT/ap/linux-x64/libasyncProfiler.so=start,event=itimer,loop=20s,collapsed,file=$OUT/stacks/%t.collapsed" \
    -jar "$JAR" --server.port="$PORT" --mehery.data-dir="$OUT/data" --mehery.routes='classpath:routes/*.yaml' \
    --spring.config.additional-location="file:$BENCH/bench.yaml" > "$OUT/gateway.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "localhost:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
URL="http://127.0.0.1:$PORT/webhooks/dummy/bench-sandbox"
[ "$MODE" = send ] && URL="http://127.0.0.1:$PORT/api/v1/message/send"
[ "$MODE" = whatsapp ] && { echo "whatsapp needs bench/run.py's signed corpus; use sandbox or send"; exit 2; }
for round in $(seq 1 $(( WARM / 20 + 1 ))); do
    BENCH_MODE=$MODE BENCH_KEY=bench-key BENCH_TAG="p$round" wrk -t2 -c32 -d20s -s "$BENCH/wrk/gateway.lua" "$URL" \
        | grep '^BENCH ' | python3 -c "import json, sys; r = json.loads(sys.stdin.read()[6:]); \
print(f\"round $round: {r['requests'] / 20:.0f} accepts/s, p50 {r['p50_us'] / 1000:.1f} ms\")"
done
curl -s "localhost:$PORT/actuator/prometheus" | grep -E '^mehery_store_batch_(size|commit_seconds)_(sum|count|max)' || true
kill $PID; wait $PID 2>/dev/null || true
LAST=$(ls "$OUT"/stacks/*.collapsed | sort | tail -2 | head -1)
cp "$LAST" "$OUT/accept-$MODE.collapsed"
python3 "$BENCH/flamegraph.py" "$OUT/accept-$MODE.collapsed" "$MODE accept, $(basename "$JAR")" > "$OUT/accept-$MODE.svg"
echo "$OUT/accept-$MODE.svg"
