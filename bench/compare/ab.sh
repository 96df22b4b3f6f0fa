#!/usr/bin/env bash
# A/B of the gateway's hot path: two builds of the gateway jar, measured the same way, interleaved, in one run.
# It reuses this directory's set-up (the canned nginx upstream, post.lua, wrk) without the other hops, so a change
# to the request path can be measured in ~10 minutes instead of the full comparison's 16.
#
#   bench/compare/ab.sh [BASE_REF]        # BASE_REF: the "before" commit, default: git merge-base HEAD main
#
# "before" is BASE_REF built from `git archive` in target/ab/; "after" is this work tree's routes jar. Variants:
# before (a TAAS_TOKENS_FILE token), after (the same token), after-db (a token issued by the admin API, so the
# tenancy token cache answers). Each run: a fresh gateway and data directory, 3 x 15 s of 64-connection warm-up,
# then 15 s at 16 and 15 s at 64 connections; ROUNDS (2) rounds, variants interleaved; the better round counts.
# AB_CREDITS=1: after-db's project is metered and its token has limits (the limits-and-credits path), and a
# variant after-limits has the limits only. AB_JAVA_OPTS: extra JVM options for the gateways (e.g. a JFR recording).
# AB_REDIS_URL: the gateways' TAAS_REDIS_URL (limits in Redis: the scale-out path; start the server yourself).
# AB_VARIANTS: the variants to run (default all). Each point also records the gateway's CPU per request
# (cpu_us_per_req: user + system time of its process over the point / requests), which other load on the machine
# moves far less than requests/s.
# Environment: ROUNDS, DURATION (15), WARMUP_SLICES (3), MAVEN_ARGS (extra Maven arguments, e.g. -o or
# -Dmaven.repo.local=...). Writes target/ab/results.txt and prints a table.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target/ab"
RUN="$OUT/run"
RESULTS="$OUT/results.txt"
BASE_REF=${1:-$(git -C "$ROOT" merge-base HEAD main)}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-15}
WARMUP_SLICES=${WARMUP_SLICES:-3}
UPSTREAM_PORT=18081
CAMEL_PORT=18080
CLIENT_TOKEN=taas_bench_client_0123456789
ADMIN_TOKEN=taas_bench_admin_0123456789

log() { printf '\n[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

for tool in nginx wrk java curl unzip git mvn; do command -v $tool >/dev/null || die "$tool is required (nginx, wrk: apt-get install nginx wrk)"; done
rm -rf "$RUN"; mkdir -p "$RUN" "$OUT"; : > "$RESULTS"

# ------------------------------------------------------------------------------------------------ the two jars
BEFORE_JAR="$OUT/before-$BASE_REF.jar"
if [ ! -f "$BEFORE_JAR" ]; then
  log "Building the gateway jar of $BASE_REF"
  rm -rf "$OUT/before-src"; mkdir -p "$OUT/before-src"
  git -C "$ROOT" archive "$BASE_REF" | tar -x -C "$OUT/before-src"
  (cd "$OUT/before-src" && mvn -B -q ${MAVEN_ARGS:-} -pl routes -am package -DskipTests)
  cp "$OUT/before-src/routes/target/camel-taas-gateway.jar" "$BEFORE_JAR"
  rm -rf "$OUT/before-src"
fi
AFTER_JAR="$ROOT/routes/target/camel-taas-gateway.jar"
log "Building this work tree's gateway jar"
(cd "$ROOT" && mvn -B -q ${MAVEN_ARGS:-} -pl routes -am package -DskipTests)

# ------------------------------------------------------------------------------------------------ upstream
sed -e "s#@RUN@#$RUN#g" -e "s#@DIR@#$HERE#g" -e "s#@UPSTREAM_PORT@#$UPSTREAM_PORT#g" \
    "$HERE/nginx/upstream.conf.template" > "$RUN/nginx-upstream.conf"
nginx -p "$RUN" -c "$RUN/nginx-upstream.conf" -e "$RUN/nginx-upstream-error.log" > "$RUN/nginx.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 100); do curl -fs "http://127.0.0.1:$UPSTREAM_PORT/health" >/dev/null && break; sleep 0.1; done

wrk_line() { # TEST VARIANT CONNECTIONS SECONDS TOKEN
  BENCH_BODY="$HERE/bodies/chat.json" BENCH_HEADERS="Authorization: Bearer $5" BENCH_TEST="$1" BENCH_TARGET="$2" \
    BENCH_CONNECTIONS="$3" wrk -t2 -c"$3" -d"$4s" --timeout 10s -s "$HERE/post.lua" \
    "http://127.0.0.1:$CAMEL_PORT/v1/chat/completions" | grep '^kind=' || die "wrk printed no result"
}

TICKS=$(getconf CLK_TCK)
cpu_ticks() { # PID -> utime + stime of the process, in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

measure() { # VARIANT JAR ROUND
  local variant=$1 jar=$2 round=$3 dir="$RUN/$1-$3"
  mkdir -p "$dir/routes"
  unzip -q -o -j "$jar" 'camel/*.camel.yaml' -d "$dir/routes"
  local hash
  hash=$(java -cp "$jar" org.cameltaas.gateway.auth.TokenHashes "$CLIENT_TOKEN" | grep '^sha256:')
  printf '{"tokens":[{"id":"bench-client","hash":"%s","team":"bench","project":"compare"}]}\n' "$hash" > "$dir/tokens.json"
  # the gateway's output goes to a reader that keeps its first 200 lines, as run.sh's does (the access log is a
  # line per request)
  env TAAS_PORT=$CAMEL_PORT TAAS_HOST=127.0.0.1 TAAS_ROUTES_DIR="$dir/routes" TAAS_TOKENS_FILE="$dir/tokens.json" \
    TAAS_MASTER_KEY=$ADMIN_TOKEN TAAS_DATA_DIR="$dir/data" TAAS_LOCAL_MODELS=false TAAS_IP_LIMIT=off \
    OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" OPENAI_API_KEY=sk-bench \
    ${AB_REDIS_URL:+TAAS_REDIS_URL=$AB_REDIS_URL} \
    java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 ${AB_JAVA_OPTS:-} -jar "$jar" > >(awk 'NR <= 200' > "$dir/gateway.log") 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for i in $(seq 1 600); do curl -fs "http://127.0.0.1:$CAMEL_PORT/health" >/dev/null && break; sleep 0.1; done
  local token=$CLIENT_TOKEN
  if [ "$variant" = after-db ] || [ "$variant" = after-limits ]; then
    local team project
    team=$(curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" -d '{"name":"bench"}' "http://127.0.0.1:$CAMEL_PORT/admin/v1/teams" | sed -E 's/.*"id":"([^"]+)".*/\1/')
    project=$(curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" -d "{\"team_id\":\"$team\",\"name\":\"ab\"}" "http://127.0.0.1:$CAMEL_PORT/admin/v1/projects" | sed -E 's/.*"id":"([^"]+)".*/\1/')
    token=$(curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" -d "{\"project_id\":\"$project\",\"name\":\"ab\"}" "http://127.0.0.1:$CAMEL_PORT/admin/v1/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')
    [[ "$token" == taas_* ]] || die "no token from the admin API"
    if [ -n "${AB_CREDITS:-}" ]; then
      # limits and credits on: the project is metered (a balance no run can spend) and its tokens have limits no
      # run reaches, so every request takes the limits' and the credits' reserve-and-settle path; after-limits:
      # the limits only (no balance: not metered)
      curl -fs -X PATCH -H "Authorization: Bearer $ADMIN_TOKEN" -d '{"default_rpm":100000000,"default_tpm":1000000000,"default_max_concurrent":10000}' \
        "http://127.0.0.1:$CAMEL_PORT/admin/v1/projects/$project" >/dev/null || die "PATCH project"
      [ "$variant" = after-limits ] || curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" -d '{"amount":1000000000}' \
        "http://127.0.0.1:$CAMEL_PORT/admin/v1/projects/$project/credits" >/dev/null || die "top-up"
      sleep 3 # the project cache polls the store
    fi
  fi
  log "$variant (round $round): warm-up"
  for s in $(seq 1 "$WARMUP_SLICES"); do wrk_line warmup "$variant" 64 15 "$token" >/dev/null; done
  for c in 16 64; do
    local line cpu0 cpu1 requests
    cpu0=$(cpu_ticks "$pid")
    line=$(wrk_line "chat-c$c" "$variant" "$c" "$DURATION" "$token")
    cpu1=$(cpu_ticks "$pid")
    requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<< "$line")
    # the gateway's own CPU per request (user + system): a figure the other processes on the machine do not move much
    line="$line cpu_us_per_req=$(( (cpu1 - cpu0) * 1000000 / TICKS / (requests > 0 ? requests : 1) ))"
    echo "round=$round $line" | tee -a "$RESULTS" >&2
  done
  if [ "$variant" = after-db ]; then
    curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$CAMEL_PORT/admin/v1/usage" > "$dir/usage.json" || true
    [ -z "${AB_CREDITS:-}" ] || curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$CAMEL_PORT/admin/v1/projects/$project" >> "$dir/usage.json" || true
    log "ledger after the run: $(cat "$dir/usage.json")"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$CAMEL_PORT") 2>/dev/null || break; sleep 0.1; done
}

VARIANTS=${AB_VARIANTS:-before after $([ -z "${AB_CREDITS:-}" ] || echo after-limits) after-db}
for round in $(seq 1 "$ROUNDS"); do
  for variant in $VARIANTS; do
    measure "$variant" "$([ "$variant" = before ] && echo "$BEFORE_JAR" || echo "$AFTER_JAR")" "$round"
  done
done

# ------------------------------------------------------------------------------------------------ table
best() { # TEST VARIANT FIELD -> the field of the round with the most requests/s
  grep " test=$1 target=$2 " "$RESULTS" | sort -t= -k1,1 | awk -v f="$3" '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } if (v["rps"] + 0 > best) { best = v["rps"] + 0; out = v[f] } }
    END { print out }'
}
{
  echo "| Chat, non-streaming | before: req/s | p99 ms | after: req/s | p99 ms | after/before | after, DB token: req/s | p99 ms | after-db/before |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in 16 64; do
    b=$(best "chat-c$c" before rps); a=$(best "chat-c$c" after rps); d=$(best "chat-c$c" after-db rps)
    bp=$(best "chat-c$c" before p99_us); ap=$(best "chat-c$c" after p99_us); dp=$(best "chat-c$c" after-db p99_us)
    awk -v c="$c" -v b="$b" -v a="$a" -v d="$d" -v bp="$bp" -v ap="$ap" -v dp="$dp" 'BEGIN {
      printf "| %s connections | %\047d | %.2f | %\047d | %.2f | %.2f | %\047d | %.2f | %.2f |\n", c, b, bp/1000, a, ap/1000, a/b, d, dp/1000, d/b }'
  done
} | tee "$OUT/table.md"
if [ -n "${AB_CREDITS:-}" ]; then
  {
    echo
    echo "| Chat, non-streaming | after, limits only: req/s | p99 ms | limits/before |"
    echo "|---|---:|---:|---:|"
    for c in 16 64; do
      b=$(best "chat-c$c" before rps); l=$(best "chat-c$c" after-limits rps); lp=$(best "chat-c$c" after-limits p99_us)
      awk -v c="$c" -v b="$b" -v l="$l" -v lp="$lp" 'BEGIN { printf "| %s connections | %\047d | %.2f | %.2f |\n", c, l, lp/1000, l/b }'
    done
  } | tee -a "$OUT/table.md"
fi
