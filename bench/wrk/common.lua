-- Shared by the benchmark's wrk scripts: the headers the Python side hands over in the
-- environment, and one machine-readable line of results at the end.
local M = {}

function M.headers()
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
  -- As a browser asks: compressed where the server compresses (app and floor alike).
  wrk.headers["Accept-Encoding"] = "gzip, deflate"
  local etag = os.getenv("BENCH_ETAG") or ""
  if etag ~= "" then wrk.headers["If-None-Match"] = etag end
  if os.getenv("BENCH_HTMX") == "1" then
    wrk.headers["HX-Request"] = "true"
    wrk.headers["HX-Target"] = os.getenv("BENCH_HX_TARGET") or "flow"
  end
  local csrf = os.getenv("BENCH_CSRF") or ""
  if csrf ~= "" then wrk.headers["X-CSRFToken"] = csrf end
end

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"socket_errors": %d, "status_errors": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status,
    summary.bytes))
end

return M
