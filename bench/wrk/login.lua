-- login.lua — wrk: POST /api/v1/login with BENCH_USER and BENCH_PASSWORD
-- (every request signs in anew: a password check and a new session).
dofile("bench/wrk/bounded.lua")
local body = string.format('{"username":"%s","password":"%s"}',
   os.getenv("BENCH_USER"), os.getenv("BENCH_PASSWORD"))

request = bounded(function()
   return wrk.format("POST", "/api/v1/login",
      {["Content-Type"] = "application/json"}, body)
end)
