-- write_passes.lua — wrk: POST /api/v1/passes, a car with two people per
-- request (one admitted, one a new returnee handed over to a village's
-- register, every 50th a fever at 37.6 sent to the fever clinic), each
-- with a fresh client id and fresh valid ID numbers.  FANGYI_TOKEN is a
-- bearer token, FANGYI_POINTS and FANGYI_VILLAGES comma-separated ids;
-- BENCH_SERIAL (default 0) shifts the ID numbers and names the client
-- ids, so systems measured one after another on the same database do
-- not register the same people.
dofile("bench/wrk/bounded.lua")
local token = os.getenv("FANGYI_TOKEN")
local serial = tonumber(os.getenv("BENCH_SERIAL") or "0")
local points, villages = {}, {}
for x in string.gmatch(os.getenv("FANGYI_POINTS") or "", "%d+") do
   points[#points + 1] = x
end
for x in string.gmatch(os.getenv("FANGYI_VILLAGES") or "", "%d+") do
   villages[#villages + 1] = x
end
local counter = 0
local tid = 0
local threads = 0
local W = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local C = "10X98765432"
local PROV = {"鲁", "京", "苏", "浙", "鄂", "粤"}

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   tid = tonumber(wrk.thread:get("tid")) or math.random(1, 100)
end

-- a valid ID number from a serial: birth dates 1950-1999, sequences 000-999
local function idnum(k)
   local seq = k % 1000
   local d = math.floor(k / 1000)
   local s = string.format("370724%04d%02d%02d%03d", 1950 + d % 50,
      1 + math.floor(d / 50) % 12, 1 + math.floor(d / 600) % 28, seq)
   local sum = 0
   for i = 1, 17 do sum = sum + tonumber(s:sub(i, i)) * W[i] end
   local m = sum % 11 + 1
   return s .. C:sub(m, m)
end

request = bounded(function()
   counter = counter + 1
   local k = serial + tid * 4000000 + counter * 2
   local point = points[(counter % #points) + 1]
   local village = villages[(counter % #villages) + 1]
   local fever = counter % 50 == 0
   local plate = string.format("%sA%05d", PROV[(counter % #PROV) + 1],
      (tid * 37 + counter) % 100000)
   local body = string.format(
      '{"client_id":"b%d-%d-%d-%d","point_id":%s,"direction":"in",' ..
      '"vehicle":"car","plate":"%s","persons":[' ..
      '{"name":"司机%d","id_number":"%s","phone":"13%09d",' ..
      '"temperature":%s,"outcome":"%s","to_village_id":%s},' ..
      '{"name":"返乡%d","id_number":"%s","from":"湖北省武汉市",' ..
      '"to_village_id":%s,"address":"%d排","temperature":36.6,' ..
      '"reason":"返乡","outcome":"new_returnee"}]}',
      serial, tid, counter, math.random(1, 1000000000), point, plate,
      counter, idnum(k), k % 1000000000, fever and "37.6" or "36.4",
      fever and "fever_clinic" or "admitted", village,
      counter, idnum(k + 1), village, counter % 50)
   return wrk.format("POST", "/api/v1/passes", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json"}, body)
end)
