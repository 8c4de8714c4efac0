-- get.lua — wrk: GET requests with a bearer token (FANGYI_TOKEN, none if
-- unset).  BENCH_PATH is the path; a "{id}" in it is replaced by the next
-- of BENCH_IDS (comma-separated), taken in a fixed scattered order so
-- successive requests read different records.
dofile("bench/wrk/bounded.lua")
local token = os.getenv("FANGYI_TOKEN")
local path = os.getenv("BENCH_PATH")
local ids = {}
for x in string.gmatch(os.getenv("BENCH_IDS") or "", "[^,]+") do
   ids[#ids + 1] = x
end
local headers = {}
if token and token ~= "" then
   headers["Authorization"] = "Bearer " .. token
end
local n = 0

function setup(thread)
   thread:set("offset", math.random(0, 1000000))
end

function init(args)
   n = tonumber(wrk.thread:get("offset")) or 0
end

request = bounded(function()
   local p = path
   if #ids > 0 then
      n = n + 1
      -- 7919 is prime: the walk visits every id before repeating one
      p = string.gsub(path, "{id}", ids[(n * 7919) % #ids + 1])
   end
   return wrk.format("GET", p, headers)
end)
