-- wrk script: POST the JSON body in $BENCH_BODY (a file) with the headers in $BENCH_HEADERS ("Name: value|...")
-- and print one machine-readable line at the end (latencies in microseconds) for bench/compare/run.sh.
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
for header in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = header:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "kind=closed test=%s target=%s connections=%s requests=%d duration_s=%.2f rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    os.getenv("BENCH_TEST") or "?", os.getenv("BENCH_TARGET") or "?", os.getenv("BENCH_CONNECTIONS") or "?",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
