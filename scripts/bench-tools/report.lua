-- wrk script for scripts/bench: sends wrk's fixed request (the URL and -H headers given on the command line)
-- and, when the run is done, prints one machine-readable line that the bench tool (tools/ElectionResults.Bench, Wrk.cs) parses:
--   BENCH requests=N duration_us=N rps=N p50_us=N p90_us=N p99_us=N max_us=N bytes=N errors_connect=N ...
-- (errors_status counts responses that are neither 2xx nor 3xx, so a 304 is not an error.)

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d bytes=%d " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / summary.duration * 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
end
