-- GET /tasks/changes?limit=100: the first 100 entries of the change feed.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function next_request()
  return wrk.format("GET", "/tasks/changes?limit=100")
end
