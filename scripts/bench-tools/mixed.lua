-- wrk script for the bench's mixed runs (tools/ElectionResults.Bench): each connection cycles through the paths given after `--`
-- (wrk ... -s mixed.lua http://127.0.0.1:PORT -- /v1/a /v1/b ...), plain GETs with no If-None-Match, as a
-- poller that always wants the full document would send. Prints the same BENCH line as report.lua.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local requests = {}
local counter = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  -- args[0] is the URL; the paths follow it.
  for i, path in ipairs(args) do
    requests[i] = wrk.format("GET", path)
  end
  if #requests == 0 then
    requests[1] = wrk.format("GET", wrk.path)
  end
  -- Threads start at different points of the cycle.
  counter = thread_number or 0
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
