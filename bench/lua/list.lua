-- GET /tasks?size=50: the first page, most recently updated first.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function next_request()
  return wrk.format("GET", "/tasks?size=50")
end
