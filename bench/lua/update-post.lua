-- POST /tasks/{id}: replaces title and done of a random seeded task; the new title makes every
-- request a real change, so the timestamp trigger always moves updated_at.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local headers = with_token({ ["Content-Type"] = "application/json" })

function next_request()
  local body = string.format('{"title":"updated %d","done":%s}', math.random(1, 1000000000), random_bool())
  return wrk.format("POST", "/tasks/" .. random_id(), headers, body)
end
