-- Shared by the wrk scripts: one machine-readable line at the end of a run.
-- Loaded with dofile() so every script reports the same way.
function report(summary, latency, requests)
  local s = summary
  local secs = s.duration / 1e6
  local errs = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  io.write(string.format(
    "WRK_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f non2xx=%d socket_errors=%d\n",
    s.requests, secs, s.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, s.errors.status, errs))
end
