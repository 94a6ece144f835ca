"""The profiles behind docs/benchmarks.md's messaging rows (issue 21): where the CPU and the resident pages go.

Usage: python3 bench/profile.py RELEASE_DIR [--out DIR] [--throughput-messages N] [--frequency HZ] [--call-graph]

RELEASE_DIR holds whatsagent, whatsagent-mcp and whatsagent-bench (a release build). The script runs
`whatsagent-bench --only messaging --runs 1 --history 0` and follows its progress on stderr:

- when the push-latency row starts, it reads the daemon's idle memory map (RSS by mapping, from /proc/PID/smaps);
- while the throughput row sends (its `whatsagent mcp` processes initialized), it records `perf record` of the daemon and of one `whatsagent mcp` (flat by
  default, with call graphs with --call-graph), reads that process's memory map too, and stops when the next row
  starts;
- then writes, into DIR (default /tmp/wa-profile): daemon.txt and mcp.txt (perf report by symbol and by shared
  object), daemon-smaps.txt and mcp-smaps.txt (resident kB by mapping), and bench.txt (the bench's table).

Needs perf (Debian's linux-perf, which `make bench` installs) and permission to trace the processes (root, or
kernel.perf_event_paranoid <= 1).
"""
import argparse
import os
import signal
import subprocess
import sys


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def find(predicate):
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and predicate(cmdline(int(p)))]


def is_daemon(args):
    return len(args) > 3 and args[1] == b"start" and b"--foreground" in args and any(a.startswith(b"/tmp/wab-") for a in args)


def is_mcp(args):
    return len(args) > 1 and args[0].endswith(b"whatsagent") and args[1] == b"mcp"


def smaps(pid):
    """Resident kB by mapping (path, or [heap], [anon] …), largest first."""
    totals = {}
    name = "[anon]"
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if fields and "-" in fields[0] and len(fields) >= 5 and ":" not in fields[0]:
                name = fields[5] if len(fields) > 5 else "[anon]"
            elif fields and fields[0] == "Rss:":
                totals[name] = totals.get(name, 0) + int(fields[1])
    lines = [f"{kb:8d} kB  {path}" for path, kb in sorted(totals.items(), key=lambda item: -item[1]) if kb]
    return f"{sum(totals.values())} kB resident in all\n" + "\n".join(lines) + "\n"


def record(pid, output, frequency, call_graph):
    command = ["perf", "record", "-F", str(frequency), "-p", str(pid), "-o", output]
    if call_graph:
        command[2:2] = ["--call-graph", "dwarf,16384"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def report(data, text):
    with open(text, "w") as out:
        for sort in ("dso", "sym"):
            out.write(f"=== perf report --sort {sort} ===\n")
            out.flush()
            subprocess.run(
                ["perf", "report", "-i", data, "--no-children", "--sort", sort, "--stdio", "--percent-limit", "0.5"],
                stdout=out,
                stderr=subprocess.DEVNULL,
                check=False,
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("release")
    parser.add_argument("--out", default="/tmp/wa-profile")
    parser.add_argument("--throughput-messages", type=int, default=20000)
    parser.add_argument("--frequency", type=int, default=499)
    parser.add_argument("--call-graph", action="store_true")
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    release = os.path.abspath(options.release)
    bench = subprocess.Popen(
        [
            os.path.join(release, "whatsagent-bench"),
            "--whatsagent", os.path.join(release, "whatsagent"),
            "--only", "messaging", "--runs", "1", "--history", "0",
            "--throughput-messages", str(options.throughput_messages),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    recorders = []
    for line in bench.stderr:
        sys.stderr.write(line)
        if "push latency:" in line:
            daemons = find(is_daemon)
            if len(daemons) != 1:
                sys.exit(f"expected one bench daemon, found {daemons}")
            daemon = daemons[0]
            with open(os.path.join(options.out, "daemon-smaps.txt"), "w") as f:
                f.write(smaps(daemon))
        elif "throughput: sending" in line:
            mcps = find(is_mcp)
            if not mcps:
                sys.exit("no whatsagent mcp process is running")
            with open(os.path.join(options.out, "mcp-smaps.txt"), "w") as f:
                f.write(smaps(mcps[0]))
            recorders = [
                record(daemon, os.path.join(options.out, "daemon.data"), options.frequency, options.call_graph),
                record(mcps[0], os.path.join(options.out, "mcp.data"), options.frequency, options.call_graph),
            ]
        elif recorders and ("backlog:" in line or "`whatsagent mcp` start:" in line):
            for recorder in recorders:
                recorder.send_signal(signal.SIGINT)
            for recorder in recorders:
                recorder.wait()
            recorders = []
    table = bench.stdout.read()
    bench.wait()
    with open(os.path.join(options.out, "bench.txt"), "w") as f:
        f.write(table)
    report(os.path.join(options.out, "daemon.data"), os.path.join(options.out, "daemon.txt"))
    report(os.path.join(options.out, "mcp.data"), os.path.join(options.out, "mcp.txt"))
    print(table)
    print(f"profiles in {options.out}")
    return bench.returncode


if __name__ == "__main__":
    sys.exit(main())
