-- PATCH /tasks/{id} (JSON merge patch): changes only the title of a random seeded task.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local headers = with_token({ ["Content-Type"] = "application/merge-patch+json" })

function next_request()
  local body = string.format('{"title":"patched %d"}', math.random(1, 1000000000))
  return wrk.format("PATCH", "/tasks/" .. random_id(), headers, body)
end
