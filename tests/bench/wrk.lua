-- wrk script of `make bench` (tests/bench/bench.py writes its inputs).
--
-- BENCH_REQUESTS names a Lua file returning a list of requests
-- { method, path, headers, body }; each wrk thread walks its own share of the
-- list (thread k takes items k, k + threads, ...), so a write is never sent
-- twice. With a list of one, every request is that one. BENCH_DELAY_MS, when
-- set, makes each connection wait that long between requests (the fixed-rate
-- runs). The summary is printed as one JSON line at the end.

local requests = dofile(os.getenv("BENCH_REQUESTS"))
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local position = nil

function request()
  if position == nil then
    position = (thread_index or 0) + 1
  end
  local item = requests[position]
  if item == nil then
    -- The list is used up: repeat its last request (it will be refused and
    -- counted as an error), so a run never sends a write twice by accident.
    item = requests[#requests]
  end
  if #requests > 1 then
    position = position + threads
  end
  return wrk.format(item[1], item[2], item[3], item[4])
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests_done)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, '
      .. '"errors_status": %d, "errors_timeout": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
