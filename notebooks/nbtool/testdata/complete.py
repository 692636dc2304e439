"""Asks a GoNB kernel for completions and contextual help, as a front end does.

Usage: python3 complete.py NOTEBOOK_DIR < requests.json > replies.json

It starts the kernel named gonb (from $JUPYTER_DATA_DIR) in NOTEBOOK_DIR,
executes the "execute" cells of the request, then sends each complete_request
and inspect_request until it is answered (or "budget" seconds have passed)
and prints every last reply's content, with the attempts made, as JSON.
The Go test (kernel_test.go) decides what is right.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel


def reply(kc, msg_id, timeout):
    while True:
        msg = kc.get_shell_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def ask(kc, send, ok, budget):
    """Sends a request until its reply is ok (gopls answers only once it has
    loaded the workspace, as a learner pressing Tab again finds) or budget
    seconds have passed; returns the last reply with the attempts made."""
    start = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        content = reply(kc, send(), 300)
        if ok(content) or time.monotonic() - start > budget:
            content["attempts"] = attempts
            content["seconds"] = round(time.monotonic() - start, 1)
            return content
        time.sleep(2)


def main():
    req = json.load(sys.stdin)
    km, kc = start_new_kernel(kernel_name="gonb", cwd=sys.argv[1], startup_timeout=120)
    out = {"execute": [], "complete": [], "inspect": []}
    try:
        for code in req["execute"]:
            outputs = []
            content = kc.execute_interactive(code, timeout=600, output_hook=lambda m: outputs.append(m["content"]))
            out["execute"].append({"status": content["content"]["status"], "outputs": outputs})
        for c in req["complete"]:
            out["complete"].append(ask(
                kc, lambda: kc.complete(c["code"], cursor_pos=c["cursor_pos"]),
                lambda r: r["status"] == "ok" and r["matches"], req["budget"]))
        for c in req["inspect"]:
            out["inspect"].append(ask(
                kc, lambda: kc.inspect(c["code"], cursor_pos=c["cursor_pos"], detail_level=0),
                lambda r: r["status"] == "ok" and r["found"], req["budget"]))
    finally:
        kc.stop_channels()
        # A shutdown_request, so GoNB stops its gopls (which runs in its own
        # process group and would outlive a killed kernel).
        km.shutdown_kernel(now=False)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
