-- wrk script for bench/booking-wrk.sh: posts every free seat of the demo district once,
-- each booking by a different resident (phone number), consecutive requests on distinct
-- slots, shared between wrk's threads. Usage:
--   SEATS_FILE=... WRK_THREADS=2 wrk -t2 -c64 -d60s --latency -s bench/booking-wrk.lua URL
-- SEATS_FILE comes from `booking_load --seats` (location_id TAB service TAB topic TAB start);
-- WRK_THREADS must equal -t.
-- A thread stops once it has sent its share and every answer is in; its connections wait
-- (delay) meanwhile instead of sending anything else, so every request measured is a
-- booking. done() prints one line: RESULT created other_statuses duration_us p50_us p99_us
-- max_us (latencies over all threads).

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local bodies = {}
local sent, received = 0, 0
created, other = 0, 0

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

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, bodies[sent])
end

-- every seat sent: connections wait instead of sending more
function delay()
  if sent >= #bodies then
    return 600000
  end
  return 0
end

function response(status, headers, body)
  received = received + 1
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
  if received >= #bodies then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT %d %d %d %d %d %d\n", c, o, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end
