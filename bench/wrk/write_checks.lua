-- write_checks.lua — wrk: POST /api/v1/measures/{id}/checks, each request
-- a slot no other request fills: the threads share out the (day, slot,
-- measure) triples, today's evening first, then the slots of the days
-- before.  A thread stops when its share is used up.  Environment:
-- FANGYI_TOKEN (bearer), BENCH_MEASURES (a file of measure ids, one a
-- line), FANGYI_DAYS (comma-separated, today first), FANGYI_THREADS (wrk's
-- -t).  Every 50th temperature is a fever (37.6), so alerts are opened
-- too.  done() prints one line: CHECKS created=... refused=... seconds=...
local token = os.getenv("FANGYI_TOKEN")
local measures = {}
for line in io.lines(os.getenv("BENCH_MEASURES")) do
   measures[#measures + 1] = line
end
local count = #measures
local days = {}
for d in string.gmatch(os.getenv("FANGYI_DAYS"), "[^,]+") do days[#days + 1] = d end
-- today's evening, today's morning, then both slots of each earlier day
local slots = {}
for i, d in ipairs(days) do
   slots[#slots + 1] = {d, 2}
   slots[#slots + 1] = {d, 1}
end
local total = count * #slots
local threads = {}
local n, step

function setup(thread)
   threads[#threads + 1] = thread
   thread:set("tid", #threads)
end

function init(args)
   local tid = tonumber(wrk.thread:get("tid"))
   -- the number of threads is known once every setup has run: wrk's -t
   step = tonumber(os.getenv("FANGYI_THREADS"))
   n = tid - 1 - step
   -- wrk calls request() once on the first thread to check the script
   -- (that request is never sent): let it take a slot of its own
   if tid == 1 then n = n - step end
end

function request()
   n = n + step
   if n >= total then
      -- this thread's share is used up: stop (a harmless read goes out
      -- on the connection that asked, and is not counted)
      wrk.thread:stop()
      return wrk.format("GET", "/api/v1/health")
   end
   if n < 0 then return wrk.format("GET", "/api/v1/health") end
   local k = math.floor(n / count)
   local m = measures[n % count + 1]
   local s = slots[k + 1]
   local t = (n % 50 == 49) and "37.6" or "36.5"
   local body = string.format(
      '{"temperature":%s,"slot":%d,"day":"%s","method":"phone"}',
      t, s[2], s[1])
   return wrk.format("POST", "/api/v1/measures/" .. m .. "/checks", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json"}, body)
end

created = 0
refused = 0
function response(status, headers, body)
   if status == 201 then
      created = created + 1
   elseif status ~= 200 then
      refused = refused + 1
   end
end

-- one line for the caller: checks stored, refusals, seconds
function done(summary, latency, requests)
   local c, r = 0, 0
   for _, t in ipairs(threads) do
      c = c + t:get("created")
      r = r + t:get("refused")
   end
   io.write(string.format("CHECKS created=%d refused=%d seconds=%.3f p50_us=%d p99_us=%d\n",
      c, r, summary.duration / 1e6, latency:percentile(50), latency:percentile(99)))
end
