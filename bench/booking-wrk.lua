-- wrk script for bench/booking-wrk.sh: posts every free seat of the demo district once,
-- each booking by a different resident (phone number), consecutive requests on distinct
-- slots, shared between wrk's threads. Usage:
--   SEATS_FILE=... WRK_THREADS=2 wrk -t2 -c64 -d60s --latency -s bench/booking-wrk.lua URL
-- SEATS_FILE comes from `booking_load --seats` (location_id TAB service TAB topic TAB start);
-- WRK_THREADS must equal -t.
-- A thread stops once it has sent its share and every answer is in; its connections wait
-- (delay) meanwhile instead of sending anything else, so every request measured is a
-- booking. done() prints one line: RESULT created other_statuses duration_us (first request
-- to last answer) p50_us p99_us
-- max_us (latencies over all threads).

-- wrk's own run time is always -d (its main thread sleeps that long), so the script times
-- the run itself: first request sent to last answer received, over all threads
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } bench_timeval;
  int gettimeofday(bench_timeval *tv, void *tz);
]]
local tv = ffi.new("bench_timeval")
local function now_us()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000000 + tonumber(tv.tv_usec)
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local bodies = {}
local sent, received = 0, 0
created, other, first, last = 0, 0, nil, 0

function init(args)
  local nthreads = tonumber(os.getenv("WRK_THREADS"))
  local k, i = 0, 0
  for line in io.lines(os.getenv("SEATS_FILE")) do
    -- this thread takes seats id, id + n, id + 2n, ... (n threads): still distinct slots
    -- one after another, and each seat once over all threads
    if i % nthreads == id then
      local place, service, topic, start = line:match("^(%d+)\t([%w_]+)\t([%w_]+)\t(%S+)$")
      k = k + 1
      bodies[k] = string.format(
        '{"location_id":%s,"service":"%s","start":"%s","name":"压测居民","phone":"14%09d","topic":"%s","consent":true}',
        place, service, start, i, topic)
    end
    i = i + 1
  end
  wrk.method = "POST"
  wrk.path = "/api/v1/bookings"
  wrk.headers["Content-Type"] = "application/json"
end

-- wrk calls request() once more, in thread 0 before it starts, to check the script: that
-- call must not use up a seat
local checked = false

function request()
  if id == 0 and not checked then
    checked = true
    return wrk.format(nil, nil, nil, bodies[1])
  end
  if sent == 0 then
    first = now_us()
  end
  sent = sent + 1
  return wrk.format(nil, nil, nil, bodies[sent])
end

-- wrk asks delay() before each request and sends it on a later turn of its event loop, so
-- several connections could pass a check on `sent` before any of them has sent: a seat is
-- claimed here instead, and once every seat is claimed connections wait, sending nothing
local claimed = 0
function delay()
  if claimed >= #bodies then
    return 600000
  end
  claimed = claimed + 1
  return 0
end

function response(status, headers, body)
  received = received + 1
  last = now_us()
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    -- the first few refusals, to see what they were (the run's output keeps them)
    if other <= 3 then
      io.stderr:write(string.format("non-201: %d %s\n", status, body or ""))
    end
  end
  if received >= #bodies then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local c, o, from, to = 0, 0, nil, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
    local f = t:get("first")
    if f and (not from or f < from) then from = f end
    to = math.max(to, t:get("last") or 0)
  end
  io.write(string.format("RESULT %d %d %d %d %d %d\n", c, o, to - (from or to),
    latency:percentile(50), latency:percentile(99), latency.max))
end
