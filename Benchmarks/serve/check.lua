-- wrk script: POST /v1/check with a shipped dossier (as YAML). Run by Benchmarks/serve/run.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/yaml"
local f = assert(io.open("examples/products/cl-hidden-fee.yaml", "rb"))
wrk.body = f:read("*a")
f:close()
