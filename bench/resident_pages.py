"""Which parts of an executable a live process holds resident (issue 21's memory rows).

Usage: python3 bench/resident_pages.py PID [--symbols N]

Reads /proc/PID/maps and /proc/PID/pagemap (root: pagemap's present bit is per process, so it counts the pages this
process mapped, which is what RSS counts), and prints the resident kB of the process's executable by ELF section
and, within them, by symbol (the N largest, from `nm -S`; a symbol's pages are the pages its bytes fall on, so
neighbours can share one). Shared libraries and anonymous memory are summed by mapping.
"""
import bisect
import collections
import os
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def maps(pid):
    for line in open(f"/proc/{pid}/maps"):
        fields = line.split()
        start, end = (int(x, 16) for x in fields[0].split("-"))
        offset = int(fields[2], 16)
        path = fields[5] if len(fields) > 5 else "[anon]"
        yield start, end, offset, path


def resident(pid, start, end):
    """The virtual addresses of the resident pages in [start, end)."""
    with open(f"/proc/{pid}/pagemap", "rb") as f:
        f.seek(start // PAGE * 8)
        data = f.read((end - start) // PAGE * 8)
    pages = []
    for index in range(len(data) // 8):
        (entry,) = struct.unpack_from("<Q", data, index * 8)
        if entry >> 63 & 1:
            pages.append(start + index * PAGE)
    return pages


def sections(binary):
    """(file offset, size, virtual address, name) of each allocated ELF section."""
    out = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    result = []
    for line in out.splitlines():
        line = line.replace("[ ", "[")
        fields = line.split()
        if len(fields) > 6 and fields[0].startswith("[") and fields[0] != "[Nr]":
            name, address, offset, size = fields[1], int(fields[3], 16), int(fields[4], 16), int(fields[5], 16)
            if address:
                result.append((offset, size, address, name))
    return result


def symbols(binary):
    out = subprocess.run(["nm", "-S", "--defined-only", "-C", binary], capture_output=True, text=True).stdout
    table = []
    for line in out.splitlines():
        fields = line.split(" ", 3)
        if len(fields) == 4:
            try:
                table.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
            except ValueError:
                pass
    table.sort()
    return table


def main():
    pid = int(sys.argv[1])
    top = int(sys.argv[sys.argv.index("--symbols") + 1]) if "--symbols" in sys.argv else 25
    binary = os.readlink(f"/proc/{pid}/exe")
    by_mapping = collections.Counter()
    executable_pages = []  # (virtual address of the page - load bias) as link-time addresses
    bias = None
    for start, end, offset, path in maps(pid):
        pages = resident(pid, start, end)
        by_mapping[path] += len(pages) * PAGE // 1024
        if path == binary:
            if bias is None:
                bias = start - offset  # the first mapping maps file offset 0; link-time address 0 for a PIE
            executable_pages += [page - bias for page in pages]
    print(f"{sum(by_mapping.values())} kB resident in all")
    for path, kb in by_mapping.most_common():
        if kb:
            print(f"{kb:8d} kB  {path}")
    if not executable_pages:
        return
    section_list = sections(binary)
    by_section = collections.Counter()
    for page in executable_pages:
        for _, size, address, name in section_list:
            if address <= page < address + size or page <= address < page + PAGE:
                by_section[name] += PAGE // 1024
                break
    print(f"\n{binary}: resident kB by section")
    for name, kb in by_section.most_common():
        print(f"{kb:8d} kB  {name}")
    table = symbols(binary)
    big = [entry for entry in table if entry[1] >= 64 * 1024]
    small = [entry for entry in table if entry[1] < 64 * 1024]
    starts = [entry[0] for entry in small]
    by_symbol = collections.Counter()

    def count(address, size, name, page):
        overlap = min(address + size, page + PAGE) - max(address, page)
        if overlap > 0:
            by_symbol[name] += overlap / 1024

    for page in executable_pages:
        for address, size, name in big:
            count(address, size, name, page)
        index = bisect.bisect_right(starts, page + PAGE - 1) - 1
        while index >= 0 and small[index][0] > page - 64 * 1024:
            count(*small[index], page)
            index -= 1
    print(f"\n{binary}: the {top} symbols with the most resident bytes (kB)")
    for name, kb in by_symbol.most_common(top):
        print(f"{kb:8.0f} kB  {name[:140]}")


if __name__ == "__main__":
    main()
