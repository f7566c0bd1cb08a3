-- GET /tasks/{id}/history: the first page of a random seeded task's audit trail.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function next_request()
  return wrk.format("GET", "/tasks/" .. random_id() .. "/history")
end
