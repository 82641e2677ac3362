-- wrk script for bench/http --pace MS: each connection waits WRK_PACE_MS milliseconds after each
-- response before it sends its next request (wrk's delay()), so the offered load is at most
-- connections x 1000 / MS requests a second and neither the server nor wrk runs flat out.
local ms = tonumber(os.getenv("WRK_PACE_MS"))
if not ms or ms < 1 then
  error("bench/lib/pace.lua: WRK_PACE_MS must be a whole number of milliseconds >= 1")
end

function delay()
  return ms
end
