-- The no-database baseline: GET /livez.
local dir = (debug.getinfo(1, "S").source:sub(2)):match("(.*/)") or "./"
dofile(dir .. "wrk_report.lua")
wrk.method = "GET"
wrk.path = "/livez"
done = report
