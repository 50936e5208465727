-- Authenticated, audited chart read: GET /api/v1/patients/{id}, rotating through the ids in a file.
-- Usage: wrk ... -s chart.lua http://127.0.0.1:PORT -- IDS_FILE
-- The bearer token comes from the environment variable BENCH_TOKEN.
local dir = (debug.getinfo(1, "S").source:sub(2)):match("(.*/)") or "./"
dofile(dir .. "wrk_report.lua")

local ids = {}
local n = 0
local i = 0
local headers = {}

function init(args)
  local path = args[1] or error("chart.lua needs an ids file after --")
  for line in io.lines(path) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  n = #ids
  if n == 0 then error("no ids in " .. path) end
  local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
  headers["Authorization"] = "Bearer " .. token
  headers["Accept"] = "application/json"
  -- Each thread starts at a different place in the list.
  i = math.random(0, n - 1)
end

function request()
  i = (i % n) + 1
  return wrk.format("GET", "/api/v1/patients/" .. ids[i], headers)
end

done = report
