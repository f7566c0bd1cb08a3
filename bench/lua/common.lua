-- Shared by every scenario script: the id range to pick from (wrk arguments after "--"), a random
-- seed per thread, a count of requests sent, and one machine-readable summary line for bench/run.
-- A scenario script defines next_request(); wrk calls request() below for every request it sends.

local min_id, max_id = 1, 10000
-- The bearer token bench/run minted for this run; unset or empty: requests go without one.
local token = os.getenv("BENCH_TOKEN")
local threads = {}
sent = 0

-- Runs in wrk's main state, once per thread: numbers the thread (to seed its own generator) and keeps
-- it, so done() can read how many requests it sent.
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

function init(args)
  min_id = tonumber(args[1]) or min_id
  max_id = tonumber(args[2]) or max_id
  -- Threads started in the same second must still draw different ids.
  math.randomseed(os.time() * 1000 + (thread_no or 0))
end

function request()
  sent = sent + 1
  return next_request()
end

-- Adds the Authorization header to a write's headers, when there is a token to send.
function with_token(headers)
  if token and token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  return headers
end

function random_id()
  return math.random(min_id, max_id)
end

function random_bool()
  return math.random(0, 1) == 1 and "true" or "false"
end

-- requests counts answers; sent also counts the requests still in flight when wrk stopped, which
-- reached the database all the same. wrk counts a status above 399 as an error ("non-2xx or 3xx");
-- socket errors are the other four kinds.
function done(summary, latency, _)
  local e = summary.errors
  local total_sent = 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + (tonumber(thread:get("sent")) or 0)
  end
  io.write(string.format(
    "BENCH requests=%d sent=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, total_sent, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
