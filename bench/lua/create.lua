-- POST /tasks: a new task per request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local headers = with_token({ ["Content-Type"] = "application/json" })

function next_request()
  local body = string.format('{"title":"bench %d","done":false}', math.random(1, 1000000000))
  return wrk.format("POST", "/tasks", headers, body)
end
