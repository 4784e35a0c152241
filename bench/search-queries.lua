-- wrk script: every request searches the API for one of many queries, chosen at random, so
-- no two requests in a row need to ask the same of the index. The queries are a file, one
-- percent-encoded `q` value a line (bench/generate-catalogue --queries writes one):
--   wrk ... -s bench/search-queries.lua http://HOST:PORT -- QUERIES_FILE
local queries = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("seed", thread_count)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then queries[#queries + 1] = line end
  end
  math.randomseed(os.time() * 100 + (seed or 0))
end

function request()
  local q = queries[math.random(#queries)]
  -- One request in ten asks for the second page, as a person paging on does.
  local page = math.random(10) == 1 and "&page=2" or ""
  return wrk.format("GET", "/api/v1/services?q=" .. q .. page)
end
