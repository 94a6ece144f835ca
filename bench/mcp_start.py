"""`whatsagent mcp` start and memory, with the lean companion beside the binary and without it (issue 21).

Usage: python3 bench/mcp_start.py .build/release/whatsagent

Starts a daemon in a temporary home, connects one agent, then spawns `whatsagent mcp` 15 times per variant — as
built (execs whatsagent-mcp from beside the binary) and from a copy of the binary alone in a temporary folder (serves
in-process) — and prints the median time from spawn to the initialize response, the CPU used by then, and RSS / PSS.
"""
import json, os, subprocess, sys, time, statistics, shutil, tempfile
BIN = sys.argv[1]
home = tempfile.mkdtemp(prefix="wa-ms-")
env = dict(os.environ, WHATSAGENT_DAEMON_HOME=home)
def cli(*a, check=True):
    return subprocess.run([BIN, *a, "--home", home], env=env, capture_output=True, text=True, check=check)
subprocess.run([BIN, "start", "--home", home, "--port", "0"], env=env, check=True, capture_output=True)
try:
    repo = tempfile.mkdtemp()
    cli("workspace", "add", "w"); cli("repo", "add", repo, "--name", "api"); cli("agent", "add", "api:dev")
    conn = json.loads(cli("agent", "connect", "api:dev", "--json").stdout)
    senv = dict(os.environ, **conn["environment"])
    alone = os.path.join(tempfile.mkdtemp(), "whatsagent"); shutil.copy(BIN, alone)
    init = json.dumps({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"m","version":"1"}}}) + "\n"
    for label, binary in (("companion", BIN), ("in-process", alone)):
        times = []; rss = []; cpu = []
        for i in range(15):
            t0 = time.perf_counter()
            p = subprocess.Popen([binary, "mcp"], env=senv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            p.stdin.write(init.encode()); p.stdin.flush()
            p.stdout.readline()
            times.append((time.perf_counter() - t0) * 1000)
            with open(f"/proc/{p.pid}/status") as f:
                st = {l.split(":")[0]: l.split(":")[1].strip() for l in f}
            with open(f"/proc/{p.pid}/smaps_rollup") as f:
                sm = {l.split(":")[0]: l.split(":")[1].strip() for l in f if ":" in l}
            with open(f"/proc/{p.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu.append((int(fields[11]) + int(fields[12])) * 10)
            rss.append((int(st["VmRSS"].split()[0]) / 1024, int(sm["Pss"].split()[0]) / 1024))
            p.stdin.close(); p.wait()
        print(f"{label}: spawn→initialize p50 {statistics.median(times):.1f} ms; CPU to initialize {statistics.median(cpu):.0f} ms; RSS {statistics.median(r[0] for r in rss):.1f} MB, PSS {statistics.median(r[1] for r in rss):.1f} MB")
finally:
    subprocess.run([BIN, "stop", "--home", home], env=env, capture_output=True)
