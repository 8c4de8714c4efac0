-- read_places.lua — wrk: GET /api/v1/places?limit=50 with a bearer token
-- from the environment (FANGYI_TOKEN).
local token = os.getenv("FANGYI_TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.path = "/api/v1/places?type=point&limit=50"
