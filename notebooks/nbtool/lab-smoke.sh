#!/usr/bin/env bash
# Smoke check of the image's JupyterLab, run at build time: start it as the
# image does, wait until it answers, then check that the lab page is
# served and that the kernelspec API lists our GoNB kernel (with its tools
# on PATH and the repository as its Go workspace). Exit 1 on any failure.
set -euo pipefail
port=8899 token=smoke-$$
log=$(mktemp)
jupyter lab --no-browser --ip=127.0.0.1 --port=$port --ServerApp.token=$token >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
python3 - "$port" "$token" "$BACKPROP_DIR" "$GOPATH/bin" <<'PY' || { cat "$log"; exit 1; }
import json, sys, time, urllib.request
port, token, repo, tools = sys.argv[1:]
base = f"http://127.0.0.1:{port}"
def get(path):
    with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=10) as r:
        return r.status, r.read().decode()
for _ in range(120):
    try:
        get("/api/status"); break
    except OSError:
        time.sleep(1)
else:
    sys.exit("JupyterLab did not answer on port %s within 120 s" % port)
status, page = get("/lab")
assert status == 200 and "jupyter-config-data" in page, "GET /lab did not serve JupyterLab"
specs = json.loads(get("/api/kernelspecs")[1])["kernelspecs"]
assert "gonb" in specs, "kernelspecs: %s, no gonb" % sorted(specs)
spec = specs["gonb"]["spec"]
assert "-go_work=" + repo in spec["argv"], "gonb kernel argv %s lacks -go_work=%s" % (spec["argv"], repo)
assert tools in spec.get("env", {}).get("PATH", ""), "gonb kernel env %s lacks the tools" % spec.get("env")
print("JupyterLab serves /lab and lists the gonb kernel:", spec["display_name"], spec["argv"][0])
PY
