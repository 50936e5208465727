-- Patient search: GET /api/v1/patients?q=..., rotating through a few name queries.
-- The bearer token comes from the environment variable BENCH_TOKEN.
local dir = (debug.getinfo(1, "S").source:sub(2)):match("(.*/)") or "./"
dofile(dir .. "wrk_report.lua")

-- Family and given names of the demo clinic (accents and case do not matter to the search), a two-word query,
-- and a prefix that matches many names.
local queries = { "garcia", "muller", "nguyen", "smith", "okonkwo", "schroder", "maria%20garcia", "lu", "kim", "zoe" }
local i = 0
local headers = {}

function init(args)
  local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
  headers["Authorization"] = "Bearer " .. token
  headers["Accept"] = "application/json"
  i = math.random(0, #queries - 1)
end

function request()
  i = (i % #queries) + 1
  return wrk.format("GET", "/api/v1/patients?q=" .. queries[i], headers)
end

done = report
