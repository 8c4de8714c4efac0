-- bounded.lua — the count bound every benchmark script shares (wrk's -d
-- is the time bound): each thread sends at most BENCH_MAX_PER_THREAD
-- requests, then stops.  A script loads it with
--   dofile("bench/wrk/bounded.lua")
-- and wraps its request function: request = bounded(make_request).
local max = tonumber(os.getenv("BENCH_MAX_PER_THREAD") or "0")
local sent = 0

function bounded(make)
   return function()
      sent = sent + 1
      -- the request asked for now still goes out: wrk needs one
      if max > 0 and sent >= max then wrk.thread:stop() end
      return make()
   end
end
