#!/usr/bin/env bash
# The comparative gateway benchmark (issue 7): camel-taas against the direct upstream, an nginx reverse proxy and
# the Portkey gateway, all on loopback, in one run. About 15 minutes on 2 cores.
#
#   bench/compare/run.sh
#
# It installs what is missing (nginx, wrk, gnuplot-nox from Debian; @portkey-ai/gateway 1.15.2 and
# @hono/node-server 1.14.0 from npm into bench/compare/node_modules), builds the gateway jar when it is missing or
# older than the sources, waits for an idle machine, starts every server, measures, profiles camel-taas with JFR,
# stops every process it started (also on failure), and writes bench/compare/target/ (results.txt, report.md,
# latency.png, JFR recordings and summaries, logs). The report goes to docs/BENCHMARKS-gateway.md (its *Reading*
# section, between the analysis markers, is kept from the previous file) and the plot to bench/compare/latency.png.
#
# Environment (all optional): DURATION (s per closed-loop run, 15), WARMUP (s before each, 3), WARMUP_SLICE (s per
# camel-taas warm-up slice, 15), OL_DURATION (s of each half-rate open-loop run, 20), SWEEP_DURATION (s per sweep
# point, 6), STREAMS (5000), TTFB_REQUESTS (2000), WAIT_QUIET (s to wait for an idle machine, 600),
# QUICK=1 (a smoke run of every phase with tiny durations; nothing is copied out of target/), NO_DOCS=1.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target"
RUN="$OUT/run"
RESULTS="$OUT/results.txt"
CLASSES="$OUT/classes"
JAR="$ROOT/routes/target/camel-taas-gateway.jar"

UPSTREAM_PORT=18081
PROXY_PORT=18082
SLOW_PORT=18083
CAMEL_PORT=18080
PORTKEY_PORT=18787
CLIENT_TOKEN=taas_bench_client_0123456789
ADMIN_TOKEN=taas_bench_admin_0123456789

DURATION=${DURATION:-15}
WARMUP=${WARMUP:-3}
OL_DURATION=${OL_DURATION:-20}
SWEEP_DURATION=${SWEEP_DURATION:-6}
STREAMS=${STREAMS:-5000}
TTFB_REQUESTS=${TTFB_REQUESTS:-2000}
if [ "${QUICK:-0}" = 1 ]; then
  DURATION=3; WARMUP=1; OL_DURATION=3; SWEEP_DURATION=2; STREAMS=${STREAMS_QUICK:-500}; TTFB_REQUESTS=200
fi

log() { printf '\n[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ------------------------------------------------------------------------------------------------ processes
STARTED_PIDS=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "${CAMEL_PID:-}" ] && [ -n "${JFR_ACTIVE:-}" ]; then
    jcmd "$CAMEL_PID" JFR.stop name="$JFR_ACTIVE" >/dev/null 2>&1 || true
  fi
  stop_all
  if [ $status -ne 0 ]; then
    log "run.sh failed (exit $status); every process it started is stopped; logs in $RUN"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD in the background with its output in $RUN/NAME.log; its pid goes to LAST_PID
start() {
  local name=$1; shift
  "$@" > "$RUN/$name.log" 2>&1 &
  LAST_PID=$!
  STARTED_PIDS+=("$LAST_PID")
}
# start_piped NAME CMD...: the same, but the output goes through a pipe whose reader keeps only its first and last
# 200 lines, as a container's log pipe would take it: the gateway's access log is a line per request, and writing
# ~20,000 lines/s to this machine's disk took CPU from the measured processes (p99 at 8,000 req/s: 4 -> 26 ms)
start_piped() {
  local name=$1; shift
  "$@" > >(awk -v n=200 'NR <= n { print; fflush(); next } { ring[NR % n] = $0; total = NR }
      END { if (total > n) { first = total - n + 1; if (first <= n) first = n + 1
            print "... " (first - n - 1) " lines left out (mostly the access log) ..."
            for (i = first; i <= total; i++) print ring[i % n] } }' > "$RUN/$name.log") 2>&1 &
  LAST_PID=$!
  STARTED_PIDS+=("$LAST_PID")
}
stop_all() {
  for pid in "${STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}

wait_http() { # URL NAME PID
  for _ in $(seq 1 240); do
    if curl -s -o /dev/null --max-time 1 "$1"; then return 0; fi
    kill -0 "$3" 2>/dev/null || die "$2 exited at start: $(tail -n 20 "$RUN/$2.log")"
    sleep 0.25
  done
  die "$2 did not answer on $1 within 60 s"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ------------------------------------------------------------------------------------------------ set-up
log "Set-up"
missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in java javac jcmd node npm curl unzip; do command -v $tool >/dev/null || die "$tool is required"; done

if ! grep -qs '"version": "1.15.2"' "$HERE/node_modules/@portkey-ai/gateway/package.json" \
   || ! grep -qs '"version": "1.14.0"' "$HERE/node_modules/@hono/node-server/package.json" \
   || [ -d "$HERE/node_modules/@portkey-ai/gateway/node_modules/@hono/node-server" ]; then
  log "npm install (Portkey 1.15.2, @hono/node-server 1.14.0) into bench/compare/node_modules"
  (cd "$HERE" && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
fi

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT"/camel-taas-component/src/main "$ROOT"/routes/src/main "$ROOT"/taas-local-models/src/main \
      -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]; then
  log "Building the gateway jar (missing or older than its sources)"
  (cd "$ROOT" && { mvn -B -o -q -pl routes -am package -DskipTests || mvn -B -q -pl routes -am package -DskipTests; })
fi

mkdir -p "$OUT" "$CLASSES"
if [ ! -f "$CLASSES/CompareTool.class" ] || [ "$HERE/src/CompareTool.java" -nt "$CLASSES/CompareTool.class" ]; then
  javac -d "$CLASSES" "$HERE/src/CompareTool.java"
fi
tool() { java -XX:+UseSerialGC -Xss512k -cp "$CLASSES" CompareTool "$@"; }

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for port in $UPSTREAM_PORT $PROXY_PORT $SLOW_PORT $CAMEL_PORT $PORTKEY_PORT; do
  port_free "$port" || die "port $port is in use"
done

# CPU accounting: busy ticks of the whole machine (user+nice+system) and of this script's process tree (live
# descendants plus the reaped ones), so that the report can say how much CPU other processes took meanwhile
cpu_total() { awk '/^cpu /{print $2+$3+$4}' /proc/stat; }
cpu_mine() {
  awk -v root=$$ 'FNR == 1 { s = $0; sub(/^[^(]*\(.*\) /, "", s); split(s, f, " "); pid = FILENAME; gsub(/[^0-9]/, "", pid);
      parent[pid] = f[2]; ticks[pid] = f[12] + f[13] + (pid == root ? f[14] + f[15] : 0) }
    END { total = 0; for (p in ticks) { q = p; for (i = 0; i < 64 && q != "" && q != 0; i++) { if (q == root) { total += ticks[p]; break } q = parent[q] } } print total }' \
    /proc/[0-9]*/stat 2>/dev/null
}
# wait (at most WAIT_QUIET s) until the machine is idle: another benchmark or a build would share the 2 cores
wait_quiet() {
  local waited=0 t0 t1
  while [ $waited -lt "${WAIT_QUIET:-600}" ]; do
    t0=$(cpu_total); sleep 3; t1=$(cpu_total); waited=$((waited + 3))
    # ticks are 1/100 s: 2 cores give 600 in 3 s; below 10 % busy counts as idle
    if [ $(( t1 - t0 )) -lt 60 ]; then return 0; fi
    [ $waited = 3 ] && log "Waiting for the machine to become idle (other processes are using the CPU: $(ps -eo pcpu,comm --sort=-pcpu | sed -n 2,4p | tr -s ' ' | tr '\n' ';'))"
  done
  log "WARNING: the machine did not become idle within ${WAIT_QUIET:-600} s; figures may be disturbed"
}
wait_quiet

rm -rf "$RUN"; mkdir -p "$RUN/routes"
: > "$RESULTS"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
CPU_TOTAL0=$(cpu_total); CPU_MINE0=$(cpu_mine)
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
T0=$(date +%s)

fill() { sed -e "s#@RUN@#$RUN#g" -e "s#@DIR@#$HERE#g" -e "s#@UPSTREAM_PORT@#$UPSTREAM_PORT#g" \
             -e "s#@PROXY_PORT@#$PROXY_PORT#g" -e "s#@SLOW_PORT@#$SLOW_PORT#g" "$1"; }
fill "$HERE/nginx/upstream.conf.template" > "$RUN/nginx-upstream.conf"
fill "$HERE/nginx/proxy.conf.template" > "$RUN/nginx-proxy.conf"

# the gateway's own routes from the jar, plus the benchmark's two streaming models
unzip -q -o -j "$JAR" 'camel/*.camel.yaml' -d "$RUN/routes"
fill "$HERE/bench-models.camel.yaml" > "$RUN/routes/bench-models.camel.yaml"
HASH=$(java -cp "$JAR" org.cameltaas.gateway.auth.TokenHashes "$CLIENT_TOKEN" 2>/dev/null | grep '^sha256:')
printf '{"tokens":[{"id":"bench-client","hash":"%s","team":"bench","project":"compare"}]}\n' "$HASH" > "$RUN/tokens.json"

# ------------------------------------------------------------------------------------------------ servers
log "Starting the canned upstream (nginx), the slow SSE upstream, the nginx proxy, camel-taas and Portkey"
start nginx-upstream nginx -p "$RUN" -c "$RUN/nginx-upstream.conf" -e "$RUN/nginx-upstream-error.log"
UPSTREAM_PID=$LAST_PID
start slow-sse java -XX:+UseSerialGC -Xmx256m -cp "$CLASSES" CompareTool slowsse --port=$SLOW_PORT --interval=10000
SLOW_PID=$LAST_PID
start nginx-proxy nginx -p "$RUN" -c "$RUN/nginx-proxy.conf" -e "$RUN/nginx-proxy-error.log"
PROXY_PID=$LAST_PID
start_piped camel-taas env TAAS_PORT=$CAMEL_PORT TAAS_HOST=127.0.0.1 TAAS_ROUTES_DIR="$RUN/routes" \
  TAAS_TOKENS_FILE="$RUN/tokens.json" TAAS_MASTER_KEY=$ADMIN_TOKEN TAAS_DATA_DIR="$RUN/data" TAAS_LOCAL_MODELS=false TAAS_MAX_CONNECTIONS_PER_IP=0 TAAS_IP_LIMIT="${BENCH_IP_LIMIT:-off}" \
  OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" OPENAI_API_KEY=sk-bench \
  java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -jar "$JAR"
CAMEL_PID=$LAST_PID
start portkey env NODE_ENV=production \
  node "$HERE/node_modules/@portkey-ai/gateway/build/start-server.js" --port=$PORTKEY_PORT --headless
PORTKEY_PID=$LAST_PID
wait_http "http://127.0.0.1:$UPSTREAM_PORT/health" nginx-upstream "$UPSTREAM_PID"
wait_http "http://127.0.0.1:$PROXY_PORT/health" nginx-proxy "$PROXY_PID"
wait_http "http://127.0.0.1:$CAMEL_PORT/health" camel-taas "$CAMEL_PID"
# The first JFR recording of a JVM deoptimises its compiled code (measured here: 9,400 -> 1,200 req/s, a minute to
# recover). Start and stop one now, before the warm-up, so that the profiling phase later measures warm code.
jcmd "$CAMEL_PID" JFR.start name=init settings=profile >/dev/null && jcmd "$CAMEL_PID" JFR.stop name=init >/dev/null
wait_http "http://127.0.0.1:$PORTKEY_PORT/" portkey "$PORTKEY_PID"
PORTKEY_OK=1

# ------------------------------------------------------------------------------------------------ targets
# url_<test>_<target>, headers_<target> ("Name: value|..."), body_<test>_<target>
B="$HERE/bodies"
declare -A URL HDR BODY
for t in direct nginx camel-taas portkey; do
  case $t in
    direct)  base="http://127.0.0.1:$UPSTREAM_PORT"; HDR[$t]="Authorization: Bearer sk-bench" ;;
    nginx)   base="http://127.0.0.1:$PROXY_PORT";    HDR[$t]="Authorization: Bearer sk-bench" ;;
    camel-taas) base="http://127.0.0.1:$CAMEL_PORT"; HDR[$t]="Authorization: Bearer $CLIENT_TOKEN" ;;
    portkey) base="http://127.0.0.1:$PORTKEY_PORT";  HDR[$t]="Authorization: Bearer sk-bench|x-portkey-provider: openai" ;;
  esac
  URL[chat,$t]="$base/v1/chat/completions"; BODY[chat,$t]="$B/chat.json"
  URL[embed,$t]="$base/v1/embeddings";      BODY[embed,$t]="$B/embeddings.json"
  URL[stream,$t]="$base/sse/v1/chat/completions"; BODY[stream,$t]="$B/chat-stream.json"
  URL[slow,$t]="$base/slow/v1/chat/completions";  BODY[slow,$t]="$B/slow.json"
done
# camel-taas: one endpoint, the catalog model picks the upstream; Portkey: the custom host picks it
URL[stream,camel-taas]="http://127.0.0.1:$CAMEL_PORT/v1/chat/completions"; BODY[stream,camel-taas]="$B/chat-stream-camel.json"
URL[slow,camel-taas]="http://127.0.0.1:$CAMEL_PORT/v1/chat/completions";   BODY[slow,camel-taas]="$B/slow-camel.json"
URL[stream,portkey]="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
URL[slow,portkey]="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
phdr() { # the Portkey headers for an upstream base URL
  echo "${HDR[portkey]}|x-portkey-custom-host: $1"
}
headers_for() { # KIND TARGET
  if [ "$2" = portkey ]; then
    case $1 in
      stream) phdr "http://127.0.0.1:$UPSTREAM_PORT/sse/v1" ;;
      slow) phdr "http://127.0.0.1:$SLOW_PORT/v1" ;;
      *) phdr "http://127.0.0.1:$UPSTREAM_PORT/v1" ;;
    esac
  else
    echo "${HDR[$2]}"
  fi
}
header_args() { # "A: b|C: d" -> --header=A: b --header=C: d (one per line, for mapfile)
  local IFS='|'; for h in $1; do printf -- '--header=%s\n' "$h"; done
}
curl_headers() { local IFS='|'; for h in $1; do printf -- '-H\n%s\n' "$h"; done; }

# ------------------------------------------------------------------------------------------------ pre-flight
log "Pre-flight: every hop answers each request kind correctly"
preflight() { # KIND TARGET EXPECT
  local kind=$1 target=$2 expect=$3 out
  mapfile -t h < <(curl_headers "$(headers_for "$kind" "$target")")
  out=$(curl -s -N -i --max-time 10 "${h[@]}" -H 'Content-Type: application/json' --data-binary "@${BODY[$kind,$target]}" "${URL[$kind,$target]}" || true)
  if ! grep -q "^HTTP/1.1 200" <<<"$out" || ! grep -q -- "$expect" <<<"$out"; then
    echo "$out" | head -c 800 > "$RUN/preflight-$kind-$target.txt"
    return 1
  fi
}
for target in direct nginx camel-taas portkey; do
  for check in "chat:chat.completion\"" "embed:\"embedding\"" "stream:data: \[DONE\]"; do
    kind=${check%%:*}; expect=${check#*:}
    if ! preflight "$kind" "$target" "$expect"; then
      if [ "$target" = portkey ]; then
        log "Portkey fails the $kind pre-flight ($(head -c 300 "$RUN/preflight-$kind-$target.txt" | tr '\n' ' ')); Portkey is left out"
        PORTKEY_OK=0
      else
        die "$target fails the $kind pre-flight: $(cat "$RUN/preflight-$kind-$target.txt")"
      fi
    fi
  done
done
# camel-taas answers a repeated embeddings input itself
mapfile -t h < <(curl_headers "${HDR[camel-taas]}")
curl -s -D - -o /dev/null "${h[@]}" -H 'Content-Type: application/json' --data-binary "@$B/embeddings.json" "${URL[embed,camel-taas]}" \
  | grep -qi '^x-cache: hit' || die "camel-taas: the second identical embeddings request is not a cache hit"
TARGETS=(direct nginx camel-taas)
[ $PORTKEY_OK = 1 ] && TARGETS+=(portkey)

# ------------------------------------------------------------------------------------------------ helpers
wrk_run() { # TEST KIND TARGET CONNECTIONS SECONDS [record]
  local test=$1 kind=$2 target=$3 c=$4 seconds=$5 record=${6:-yes}
  local line
  line=$(BENCH_BODY="${BODY[$kind,$target]}" BENCH_HEADERS="$(headers_for "$kind" "$target")" BENCH_TEST="$test" \
    BENCH_TARGET="$target" BENCH_CONNECTIONS="$c" \
    wrk -t2 -c"$c" -d"${seconds}s" --timeout 10s -s "$HERE/post.lua" "${URL[$kind,$target]}" | grep '^kind=' || true)
  [ -n "$line" ] || die "wrk printed no result for $test $target"
  if [ "$record" = yes ]; then echo "$line" >> "$RESULTS"; echo "$line" >&2; fi
  if [ "$record" = profile ]; then echo "$line" >> "$OUT/profile-runs.txt"; fi
}
openloop() { # TEST KIND TARGET RATE SECONDS
  local test=$1 kind=$2 target=$3 rate=$4 seconds=$5
  mapfile -t h < <(header_args "$(headers_for "$kind" "$target")")
  tool openloop --test="$test" --target="$target" --url="${URL[$kind,$target]}" --body-file="${BODY[$kind,$target]}" \
    "${h[@]}" --rate="$rate" --connections=64 --warmup=2 --duration="$seconds" --results="$RESULTS" >&2
}
rps_of() { # TEST TARGET -> requests/s (integer)
  grep "^kind=closed test=$1 target=$2 " "$RESULTS" | tail -n 1 | sed -E 's/.* rps=([0-9.]+).*/\1/' | cut -d. -f1
}

# ------------------------------------------------------------------------------------------------ warm-up
# warm-up in slices until the throughput stops rising: the gateway's JIT needs about a minute of full load on two
# cores (its C2 compiler threads compete with the load for the CPU)
converge() { # KIND TARGET: 15 s slices at 64 connections, at least 3, at most 6, until within 5 % of the previous
  local kind=$1 target=$2 previous=0 current slice line
  for slice in 1 2 3 4 5 6; do
    line=$(BENCH_BODY="${BODY[$kind,$target]}" BENCH_HEADERS="$(headers_for "$kind" "$target")" BENCH_TEST=warmup \
      BENCH_TARGET="$target" BENCH_CONNECTIONS=64 wrk -t2 -c64 -d"${WARMUP_SLICE}s" --timeout 10s -s "$HERE/post.lua" \
      "${URL[$kind,$target]}" | grep '^kind=' || true)
    current=$(sed -E 's/.* rps=([0-9]+).*/\1/' <<<"$line")
    log "  warm-up $target $kind, slice $slice: ${current:-?} req/s"
    echo "kind=warmup test=warmup-$kind target=$target slice=$slice rps=${current:-0}" >> "$OUT/warmup.txt"
    if [ "$slice" -ge 3 ] && [ -n "$current" ] && [ $(( current * 100 )) -le $(( previous * 105 )) ]; then break; fi
    previous=${current:-0}
  done
}
WARMUP_SLICE=${WARMUP_SLICE:-15}
[ "${QUICK:-0}" = 1 ] && WARMUP_SLICE=3
: > "$OUT/warmup.txt"
log "Warm-up (the JVM's JIT; Portkey's V8)"
converge chat camel-taas
wrk_run warmup embed camel-taas 64 10 no
mapfile -t h < <(header_args "${HDR[camel-taas]}")
tool ttfb --test=warmup --target=camel-taas --url="${URL[stream,camel-taas]}" --body-file="${BODY[stream,camel-taas]}" "${h[@]}" \
  --requests=1000 --warmup=0 --concurrency=4 >/dev/null
if [ $PORTKEY_OK = 1 ]; then
  wrk_run warmup chat portkey 64 10 no
fi

# ------------------------------------------------------------------------------------------------ closed loop
for c in 16 64; do
  log "Non-streaming chat, $c connections, ${DURATION} s each after ${WARMUP} s of warm-up"
  for target in "${TARGETS[@]}"; do
    wrk_run warmup chat "$target" "$c" "$WARMUP" no
    wrk_run "chat-c$c" chat "$target" "$c" "$DURATION"
  done
done
log "Embeddings, 64 connections (camel-taas: cache hits)"
for target in "${TARGETS[@]}"; do
  wrk_run warmup embed "$target" 64 "$WARMUP" no
  wrk_run embed-c64 embed "$target" 64 "$DURATION"
done

CAMEL_MAX=$(( $(rps_of chat-c16 camel-taas) > $(rps_of chat-c64 camel-taas) ? $(rps_of chat-c16 camel-taas) : $(rps_of chat-c64 camel-taas) ))
HALF=$(( CAMEL_MAX / 2 ))
PORTKEY_MAX=0
if [ $PORTKEY_OK = 1 ]; then
  PORTKEY_MAX=$(( $(rps_of chat-c16 portkey) > $(rps_of chat-c64 portkey) ? $(rps_of chat-c16 portkey) : $(rps_of chat-c64 portkey) ))
fi
log "camel-taas max $CAMEL_MAX req/s -> open loop at $HALF req/s; Portkey max $PORTKEY_MAX req/s"

# ------------------------------------------------------------------------------------------------ open loop
# twice, interleaved: the report keeps each hop's better p99, so that one stall of the shared VM (seen while this
# benchmark was developed: a 55 ms pause inside a direct run) does not decide the added-latency figure
log "Open loop at $HALF req/s (half of camel-taas's max), ${OL_DURATION} s each, twice per hop (interleaved)"
for round in 1 2; do
  for target in "${TARGETS[@]}"; do
    if [ "$target" = portkey ] && [ $(( HALF * 10 )) -gt $(( PORTKEY_MAX * 9 )) ]; then
      [ $round = 1 ] && log "Portkey cannot sustain $HALF req/s (max $PORTKEY_MAX): not run at that rate"
      continue
    fi
    openloop half chat "$target" "$HALF" "$OL_DURATION"
  done
done

log "Latency against load: open-loop sweep, ${SWEEP_DURATION} s a point"
for target in "${TARGETS[@]}"; do
  max=$CAMEL_MAX; [ "$target" = portkey ] && max=$PORTKEY_MAX
  rates=""
  for pct in 10 25 75 90; do rates="$rates $(( CAMEL_MAX * pct / 100 ))"; done
  if [ "$target" = portkey ]; then
    for pct in 10 25 50 75 90; do rates="$rates $(( PORTKEY_MAX * pct / 100 ))"; done
  fi
  for rate in $(echo $rates | tr ' ' '\n' | sort -n | uniq); do
    [ "$rate" -gt 0 ] || continue
    if [ $(( rate * 10 )) -le $(( max * 9 )) ]; then
      openloop sweep chat "$target" "$rate" "$SWEEP_DURATION"
    fi
  done
done

# ------------------------------------------------------------------------------------------------ streaming
# the answer the canned SSE spells out, chunk by chunk: a stream that delivers another text lost or reordered events
EXPECT_TEXT="Quantum entanglement links two particles so that measuring one fixes the outcome for the other . Done!"
log "Streaming: time to the first SSE byte ($TTFB_REQUESTS requests after 200 of warm-up)"
for conc in 1 8; do
  for target in "${TARGETS[@]}"; do
    mapfile -t h < <(header_args "$(headers_for stream "$target")")
    tool ttfb --test="ttfb-c$conc" --target="$target" --url="${URL[stream,$target]}" --body-file="${BODY[stream,$target]}" \
      "${h[@]}" --requests="$TTFB_REQUESTS" --warmup=200 --concurrency=$conc --results="$RESULTS" \
      --expect-text="$EXPECT_TEXT" >&2
  done
done

log "$STREAMS open idle streams through each hop (slow upstream: one event every 10 s)"
for target in camel-taas nginx portkey; do
  [ "$target" = portkey ] && [ $PORTKEY_OK = 0 ] && continue
  case $target in
    camel-taas) pids=$CAMEL_PID; jvm=true ;;
    nginx) pids=$(pgrep -P "$PROXY_PID" | paste -sd, -); pids="$PROXY_PID,$pids"; jvm=false ;;
    portkey) pids=$PORTKEY_PID; jvm=false ;;
  esac
  mapfile -t h < <(header_args "$(headers_for slow "$target")")
  tool streams --test=streams --target="$target" --url="${URL[slow,$target]}" --body-file="${BODY[slow,$target]}" "${h[@]}" \
    --count="$STREAMS" --ramp=1000 --settle=5 --open-timeout=90 --pids="$pids" --jvm=$jvm --results="$RESULTS" >&2 \
    || log "the open-streams run through $target failed"
  sleep 3
done

# ------------------------------------------------------------------------------------------------ profile
log "Profiling camel-taas with JFR under the same loads (not part of the figures above)"
PROFILE_RESULTS="$OUT/profile-runs.txt"; : > "$PROFILE_RESULTS"
jfr_run() { # NAME then a command that appends its result line to $PROFILE_RESULTS
  local name=$1; shift
  JFR_ACTIVE=$name
  jcmd "$CAMEL_PID" JFR.start name="$name" settings=profile filename="$OUT/$name.jfr" >/dev/null
  "$@"
  jcmd "$CAMEL_PID" JFR.stop name="$name" >/dev/null
  JFR_ACTIVE=
  local requests
  requests=$(tail -n 1 "$PROFILE_RESULTS" | sed -E 's/.* (requests|n)=([0-9]+).*/\2/')
  tool jfrsummary --file="$OUT/$name.jfr" --requests="$requests" --out="$OUT/$name.txt" > /dev/null
}
thread_ticks() { # PID: "tid ticks name" per thread (Java thread names from jcmd Thread.print, else the kernel's comm)
  declare -A names=()
  local nid name
  while read -r nid name; do names[$((16#$nid))]=$name; done < <(jcmd "$1" Thread.print 2>/dev/null \
    | sed -nE 's/^"([^"]+)".* nid=0x([0-9a-f]+) .*/\2 \1/p' | tr ' ' '_' | sed -E 's/_/ /')
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(awk '{s = $0; sub(/^[^(]*\(.*\) /, "", s); split(s, f, " "); print f[12] + f[13]}' "$t/stat" 2>/dev/null)" \
      "${names[${t##*/}]:-$(tr ' ' '_' < "$t/comm" 2>/dev/null)}"
  done | sort
}
profile_chat() {
  thread_ticks "$CAMEL_PID" > "$RUN/threads0.txt"
  wrk_run profile chat camel-taas 64 "$DURATION" profile
  thread_ticks "$CAMEL_PID" > "$RUN/threads1.txt"
  {
    echo "CPU by thread while the gateway served the chat load above (\`/proc/<pid>/task/*/stat\`, user + system; cores"
    echo "used on average over the ${DURATION} s, threads grouped by name):"
    echo
    echo "| cores | threads | thread group |"
    echo "|---:|---:|---|"
    join "$RUN/threads0.txt" "$RUN/threads1.txt" | awk -v s="$DURATION" '{ d = $4 - $2; name = $3; gsub(/[0-9]+/, "N", name);
        c[name] += d; n[name]++ } END { for (k in c) if (c[k] > 0) printf "| %.2f | %d | `%s` |\n", c[k] / 100 / s, n[k], k }' | sort -t'|' -k2 -nr
  } > "$OUT/threads-chat.md"
}
jfr_run jfr-chat profile_chat
jfr_run jfr-embeddings wrk_run profile embed camel-taas 64 "$DURATION" profile
mapfile -t h < <(header_args "${HDR[camel-taas]}")
jfr_run jfr-stream tool ttfb --test=profile --target=camel-taas --url="${URL[stream,camel-taas]}" \
  --body-file="${BODY[stream,camel-taas]}" "${h[@]}" --requests="$(( TTFB_REQUESTS * 4 ))" --warmup=0 --concurrency=8 \
  --results="$PROFILE_RESULTS"

# the gateway's own view of its overhead (taas_gateway_overhead_seconds) over the whole run
curl -s "http://127.0.0.1:$CAMEL_PORT/metrics" > "$OUT/camel-taas-metrics.txt" || true

# ------------------------------------------------------------------------------------------------ diagnosis
# diagnose NAME: stops the gateway running on CAMEL_PORT, starts the same jar with only diagnosis/NAME.camel.yaml,
# warms it up and measures chat at 16 and 64 connections as target NAME-route
diagnose() {
  local name=$1
  kill "$CAMEL_PID"; for _ in $(seq 1 50); do kill -0 "$CAMEL_PID" 2>/dev/null || break; sleep 0.1; done
  mkdir -p "$RUN/$name-routes"
  fill "$HERE/diagnosis/$name.camel.yaml" > "$RUN/$name-routes/$name.camel.yaml"
  start_piped "camel-taas-$name" env TAAS_PORT=$CAMEL_PORT TAAS_HOST=127.0.0.1 TAAS_ROUTES_DIR="$RUN/$name-routes" \
    TAAS_MASTER_KEY=$ADMIN_TOKEN TAAS_DATA_DIR="$RUN/data" TAAS_LOCAL_MODELS=false TAAS_MAX_CONNECTIONS_PER_IP=0 TAAS_IP_LIMIT="${BENCH_IP_LIMIT:-off}" \
    java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -jar "$JAR"
  CAMEL_PID=$LAST_PID
  wait_http "http://127.0.0.1:$CAMEL_PORT/" "camel-taas-$name" "$CAMEL_PID"
  URL[chat,$name-route]="http://127.0.0.1:$CAMEL_PORT/v1/chat/completions"; BODY[chat,$name-route]="$B/chat.json"; HDR[$name-route]=""
  converge chat "$name-route"
  for c in 16 64; do wrk_run "chat-c$c" chat "$name-route" "$c" "$DURATION"; done
}
log "Diagnosis: the floor under the gateway's routes (same jar, a one-step route: Netty consumer -> taas producer)"
diagnose minimal
log "Diagnosis: the ceiling of Camel's HTTP server here (same jar, a route that answers a constant, no upstream call)"
diagnose constant

# ------------------------------------------------------------------------------------------------ report
log "Report"
CPU_TOTAL1=$(cpu_total); CPU_MINE1=$(cpu_mine)
stop_all
ELAPSED=$(( $(date +%s) - T0 ))
FOREIGN=$(( (CPU_TOTAL1 - CPU_TOTAL0) - (CPU_MINE1 - CPU_MINE0) ))
[ $FOREIGN -lt 0 ] && FOREIGN=0
{
  echo "## Machine and run"
  echo
  echo "- Date: $STARTED_AT; the run took $(( ELAPSED / 60 )) min $(( ELAPSED % 60 )) s; load average at start $LOAD_AT_START."
  echo "- Command: \`bench/compare/run.sh\`$( [ "${QUICK:-0}" = 1 ] && echo ' (QUICK=1: smoke run, short durations)')."
  echo "- CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); memory $(free -g | awk '/^Mem:/{print $2}') GiB; $(uname -sr)."
  echo "- Java: $(java -version 2>&1 | sed -n 2p); camel-taas started as \`java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -jar routes/target/camel-taas-gateway.jar\` (default heap and GC: $(java -XX:+PrintFlagsFinal -version 2>/dev/null | awk '/ MaxHeapSize /{printf "max heap %d MiB", $4/1048576}'), G1)."
  echo "- nginx $(nginx -v 2>&1 | sed 's#.*/##') (upstream and proxy, 2 workers each); wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}'); Node $(node --version); Portkey \`@portkey-ai/gateway\` $(grep -m1 '"version"' "$HERE/node_modules/@portkey-ai/gateway/package.json" | sed -E 's/.*"([0-9.]+)".*/\1/') with \`@hono/node-server\` $(grep -m1 '"version"' "$HERE/node_modules/@hono/node-server/package.json" | sed -E 's/.*"([0-9.]+)".*/\1/') (NODE_ENV=production, \`--headless\`)."
  echo "- Everything on one machine over loopback, sharing the 2 cores: load generator, upstream, hop. No CPU pinning."
  echo "- Other processes used about $(( FOREIGN / 100 )) CPU-seconds during the run (of $(( (CPU_TOTAL1 - CPU_TOTAL0) / 100 )) busy CPU-seconds in all; ticks of /proc/stat minus this script's process tree); the run started after the machine was idle for 3 s."
  echo
  echo "## Set-up"
  echo
  echo "- **Upstream**: nginx serving fixed OpenAI replies from files, no delays (\`bench/compare/upstream/\`): a"
  echo "  chat.completion (423 bytes), the same answer as SSE (20 chat.completion.chunk events, a usage chunk,"
  echo "  \`data: [DONE]\`; 5 KB), a 1536-dimension embedding (14 KB)."
  echo "- **direct**: the client talks to the upstream. **nginx proxy**: \`proxy_pass\` with a keep-alive upstream"
  echo "  pool (\`bench/compare/nginx/proxy.conf.template\`), unbuffered for SSE. **camel-taas**: the gateway jar with a"
  echo "  client token from \`TAAS_TOKENS_FILE\` (hashed, \`Authorization: Bearer taas_...\`), the shipped catalog"
  echo "  (\`gpt-4o\` and \`text-embedding-3-small\`, the latter with the embeddings cache, via \`OPENAI_BASE_URL\`)"
  echo "  plus two models of \`bench/compare/bench-models.camel.yaml\` for streams (\`TAAS_ROUTES_DIR\`), metrics"
  echo "  and the access log on as shipped (the gateway's output goes to a pipe that keeps its first and last 200 lines,"
  echo "  as a container's log pipe would take it), \`TAAS_LOCAL_MODELS=false\`."
  echo "  **Portkey**: \`x-portkey-provider: openai\` with \`x-portkey-custom-host\` pointing at the upstream."
  echo "- **Warm-up**: camel-taas first gets 64-connection chat load in ${WARMUP_SLICE} s slices until its throughput stops"
  echo "  rising (within 5 % of the previous slice, 3 to 6 slices): its JIT needs about a minute of full load here, and"
  echo "  figures taken earlier are a third lower. Portkey gets 10 s."
  echo "- **Closed loop**: \`wrk -t2\` with \`bench/compare/post.lua\` (a 200-byte chat request), ${WARMUP} s warm-up then"
  echo "  ${DURATION} s measured, per hop. camel-taas's maximum is the best of its 16- and 64-connection figures."
  echo "- **Open loop** (wrk2 is not in Debian, \`wrk\` has no \`-R\`): \`CompareTool openloop\` (bench/compare/src),"
  echo "  64 keep-alive connections, request *i* due at *start + i/rate*, latency measured from the due time (queueing"
  echo "  counted, no coordinated omission); 2 s warm-up, then ${OL_DURATION} s at half of camel-taas's maximum, twice per"
  echo "  hop, interleaved; the run with the better p99 counts. Added latency = the hop's percentile minus direct's at"
  echo "  the same rate."
  echo "- **TTFB**: \`CompareTool ttfb\`, streaming requests one at a time (and 8 at a time), each on a new"
  echo "  connection (connecting is not timed); time from writing the request to reading the first body byte (the"
  echo "  first SSE event). Every stream is checked: HTTP 200, \`data: [DONE]\`, and the concatenated deltas must"
  echo "  spell the canned answer (\`wrong_text\` counts the streams that do not)."
  echo "- **Open streams**: \`CompareTool slowsse\` is a slow upstream (two events at once, then one every 10 s);"
  echo "  \`CompareTool streams\` opens $STREAMS streams (1,000 a second), waits until each has its first event, holds"
  echo "  them, then reads the hop's RSS (\`/proc/<pid>/status\`, nginx: master and workers) and, for camel-taas, the"
  echo "  live heap (\`jcmd <pid> GC.run\`, then \`jcmd <pid> GC.heap_info\`), before and while the streams are open."
  echo "- **Profile**: JFR (\`settings=profile\`) on the running gateway under the chat, embeddings and streaming loads,"
  echo "  after the measured runs (a first, empty recording at start-up takes JFR's one-time deoptimisation out of them)."
} > "$OUT/machine.md"

tool report --results="$RESULTS" --machine="$OUT/machine.md" --out="$OUT/report.md" --plot-data="$OUT/latency.dat" \
  --jfr="$OUT/threads-chat.md,$OUT/jfr-chat.txt,$OUT/jfr-embeddings.txt,$OUT/jfr-stream.txt" --warmup="$OUT/warmup.txt" \
  --keep-analysis-from="$ROOT/docs/BENCHMARKS-gateway.md" --plot-ref=../bench/compare/latency.png > /dev/null
gnuplot -e "datafile='$OUT/latency.dat'; outfile='$OUT/latency.png'" "$HERE/latency.gp"
if [ "${QUICK:-0}" != 1 ] && [ "${NO_DOCS:-0}" != 1 ]; then
  cp "$OUT/report.md" "$ROOT/docs/BENCHMARKS-gateway.md"
  cp "$OUT/latency.png" "$HERE/latency.png"
  log "Written docs/BENCHMARKS-gateway.md and bench/compare/latency.png"
fi
sed -n '/^## Results/,/^## Latency against load/p' "$OUT/report.md"
log "Done in $(( ELAPSED / 60 )) min $(( ELAPSED % 60 )) s; everything is in $OUT"
