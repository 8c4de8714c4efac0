-- write_places.lua — wrk: POST /api/v1/places, one new grid per request
-- (unique names per thread), with a bearer token from FANGYI_TOKEN and
-- the village id from FANGYI_VILLAGE.
local token = os.getenv("FANGYI_TOKEN")
local village = os.getenv("FANGYI_VILLAGE")
local counter = 0
local tid = 0
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   tid = tonumber(wrk.thread:get("tid")) or math.random(1, 1000000)
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"type":"grid","name":"bench-%d-%d-%d","village_id":%s}',
      tid, counter, math.random(1, 1000000000), village)
   return wrk.format("POST", "/api/v1/places", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json"}, body)
end
