#!/usr/bin/env bash
# The tunnel's cost: the same non-streaming chat requests through the gateway to the fake upstream directly
# (model gpt-4o, OPENAI_BASE_URL) and through a connector (model bench-tunnel, a registered deployment whose
# connector targets the same fake upstream), measured with wrk, interleaved, on loopback.
#
#   bench/connector/run.sh
#
# Environment (optional): DURATION (s per run, 15), CONNECTIONS (16), ROUNDS (3), WORDS (reply words, 20),
# QUICK=1 (2 s runs, one round: a smoke test of the script). Writes bench/connector/target/results.txt.
# Needs java, mvn, curl, jq and wrk (apt-get install -y wrk jq). Stops every process it started, also on failure.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target"
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-16}
ROUNDS=${ROUNDS:-3}
WORDS=${WORDS:-20}
if [ "${QUICK:-}" = 1 ]; then DURATION=2; ROUNDS=1; CONNECTIONS=4; fi
for tool in java mvn curl jq wrk; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y wrk jq; Java 17 and Maven for the rest)" >&2; exit 1; }
done

mkdir -p "$OUT"
RUN="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUN"
}
trap cleanup EXIT

cd "$ROOT"
mvn -B -q ${MAVEN_ARGS:-} -pl routes,taas-connector,bench -am package -DskipTests

# the fake upstream in its own JVM; it stops when its stdin closes
mkfifo "$RUN/upstream.in"
java -cp bench/target/camel-taas-bench.jar org.cameltaas.bench.FakeUpstreamServer "$WORDS" 0 <"$RUN/upstream.in" >"$RUN/upstream.out" 2>&1 &
PIDS+=($!)
exec 3>"$RUN/upstream.in"
for _ in $(seq 100); do grep -q READY "$RUN/upstream.out" && break; sleep 0.1; done
UPSTREAM_PORT=$(awk '/READY/ {print $2}' "$RUN/upstream.out")
[ -n "$UPSTREAM_PORT" ] || { echo "the fake upstream did not start" >&2; cat "$RUN/upstream.out" >&2; exit 1; }

GATEWAY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEY=taas_bench_master_key_000000001
TAAS_HOST=127.0.0.1 TAAS_PORT=$GATEWAY_PORT TAAS_MASTER_KEY=$KEY TAAS_DATA_DIR="$RUN/data" TAAS_IP_LIMIT=off \
  TAAS_LOCAL_MODELS=false OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" OPENAI_API_KEY=sk-bench \
  java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -jar routes/target/camel-taas-gateway.jar >"$RUN/gateway.log" 2>&1 &
PIDS+=($!)
GW="http://127.0.0.1:$GATEWAY_PORT"
for _ in $(seq 300); do curl -fs "$GW/health" >/dev/null 2>&1 && break; sleep 0.2; done
ADMIN="Authorization: Bearer $KEY"
TEAM=$(curl -fs "$GW/admin/v1/teams" -H "$ADMIN" -d '{"name":"bench"}' | jq -r .id)
PROJECT=$(curl -fs "$GW/admin/v1/projects" -H "$ADMIN" -d "{\"team_id\":\"$TEAM\",\"name\":\"bench\"}" | jq -r .id)
DEPLOYMENT=$(curl -fs "$GW/admin/v1/deployments" -H "$ADMIN" -d "{\"name\":\"bench-tunnel\",\"project_id\":\"$PROJECT\"}" | jq -r .id)
TOKEN=$(curl -fs -X POST "$GW/admin/v1/deployments/$DEPLOYMENT/connector-tokens" -H "$ADMIN" | jq -r .token)

TAAS_CONNECTOR_TOKEN=$TOKEN java -jar taas-connector/target/camel-taas-connector.jar --gateway "$GW" \
  --target "http://127.0.0.1:$UPSTREAM_PORT/v1" >"$RUN/connector.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  [ "$(curl -fs "$GW/admin/v1/deployments/$DEPLOYMENT" -H "$ADMIN" | jq -r .online)" = true ] && break; sleep 0.2
done

cat >"$RUN/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.body = '{"model":"' .. os.getenv("MODEL") .. '","messages":[{"role":"user","content":"hello"}]}'
LUA

measure() { # model label
  MODEL=$1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$RUN/post.lua" "$GW/v1/chat/completions" >"$RUN/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$RUN/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$RUN/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$RUN/wrk.txt")
  errors=$(awk '/Non-2xx/ {print $NF}' "$RUN/wrk.txt")
  printf '| %s | %s | %s | %s | %s |\n' "$2" "$rps" "$p50" "$p99" "${errors:-0}"
}

# warm both paths up, then interleave
MODEL=gpt-4o wrk -t1 -c4 -d2s -s "$RUN/post.lua" "$GW/v1/chat/completions" >/dev/null
MODEL=bench-tunnel wrk -t1 -c4 -d2s -s "$RUN/post.lua" "$GW/v1/chat/completions" >/dev/null
{
  echo "# Connector tunnel overhead ($(date -u +%FT%TZ), $(nproc) cores, $CONNECTIONS connections, ${DURATION}s runs, $WORDS-word replies)"
  echo
  echo "| path | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|"
  for round in $(seq "$ROUNDS"); do
    measure gpt-4o "direct (round $round)"
    measure bench-tunnel "tunnel (round $round)"
  done
} | tee "$OUT/results.txt"
