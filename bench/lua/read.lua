-- GET /tasks/{id}: a random seeded task.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function next_request()
  return wrk.format("GET", "/tasks/" .. random_id())
end
