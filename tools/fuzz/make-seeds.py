#!/usr/bin/env python3
"""Writes the seed corpus of bmssim-fuzz (tools/fuzz/corpus): for each target, inputs that reach
its interesting paths (every point read and written, the boundary values, each function code
the server knows and some it does not, frames split and joined). The input layout each target
reads is documented in Sources/FuzzTargets; a double is one byte below 128 here (a small value,
or NaN, an infinity, ... for 0 ... 13). Rerun after changing a target's input layout:
    python3 tools/fuzz/make-seeds.py
"""
import os, struct, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

def mbap(tid, pdu, unit=1):
    return struct.pack(">HHHB", tid, 0, len(pdu) + 1, unit) + pdu

def read(fn, addr, count): return struct.pack(">BHH", fn, addr, count)
def write1(addr, value): return struct.pack(">BHH", 6, addr, value)
def writen(addr, values): return struct.pack(">BHHB", 16, addr, len(values), 2 * len(values)) + b"".join(struct.pack(">H", v) for v in values)
def mask(addr, and_, or_): return struct.pack(">BHHH", 0x16, addr, and_, or_)
def readwrite(raddr, rcount, waddr, values):
    return struct.pack(">BHHHHB", 0x17, raddr, rcount, waddr, len(values), 2 * len(values)) + b"".join(struct.pack(">H", v) for v in values)

def stream(pdus):
    return b"".join(mbap(i + 1, p) for i, p in enumerate(pdus))

def field_header(cells, modules, flags, doubles=b"\x46"):
    m4, m2, c8 = min(modules, 4), min(modules, 2), min(cells, 8)
    # kind, cells-1, modules-1, flags, time, current, pack, link, second, temps, edges, cells, contacts, heater, seed
    return (bytes([0]) + struct.pack(">H", cells - 1) + bytes([modules - 1, flags]) + b"\x00\x01\x00\x02"
            + doubles * 4 + b"\x50" * m4 + b"\x00" * m2 + b"\x49" * c8 + b"\x03" + b"\x41" + bytes([7]))

FIELD_STREAMS = {
    "reads": [read(4, 0, 20), read(4, 100, 4), read(4, 1000, 20), read(3, 0, 6), read(3, 100, 2), read(3, 200, 2)],
    "commands": [write1(0, 7), writen(1, [0, 5000, 0, 5000]), write1(5, 10), writen(100, [500, 250]), write1(200, 0xFFFF), write1(5, 1000)],
    "boundaries": [write1(0, 16), write1(0, 15), write1(5, 0), write1(5, 1001), write1(100, 1001), writen(1, [0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF]),
                   write1(6, 1), write1(99, 1), write1(300, 1), read(4, 0, 125), read(4, 0, 126), read(3, 0, 0)],
    "functions": [mask(0, 0, 3), readwrite(0, 6, 0, [3]), struct.pack(">B", 0x11), read(1, 0, 1), read(2, 0, 1),
                  struct.pack(">BHH", 5, 0, 0xFF00), struct.pack(">B", 0x2B) + b"\x0e\x01\x00", struct.pack(">B", 0x07)],
}

SUNSPEC_BASE, BATTERY = 40000, 40000 + 2 + 2 + 66 + 2
SUNSPEC_STREAMS = {
    "reads": [read(3, SUNSPEC_BASE, 125), read(3, SUNSPEC_BASE + 125, 100), read(3, 0, 1)],
    "controls": [write1(BATTERY + 7, 900), write1(BATTERY + 8, 100), write1(BATTERY + 17, 42), write1(BATTERY + 18, 1),
                 write1(BATTERY + 48, 1), write1(BATTERY + 49, 2), writen(BATTERY + 7, [800, 200])],
    "boundaries": [write1(BATTERY + 7, 1001), write1(BATTERY + 8, 950), write1(BATTERY + 18, 2), write1(BATTERY + 9, 500),
                   write1(SUNSPEC_BASE, 0), writen(BATTERY + 6, [1, 2, 3]), mask(BATTERY + 17, 0, 7)],
}

def sunspec_header(flags):
    name = b"\x05ABCDE"
    nameplate = bytes([0]) + name + b"\x50\x60\x70" + b"\x01"       # flags, text, capacity, energy, power, cells/module
    snapshot = b"\x00\x01\x00\x02\x00\x03" + b"\x40" * 8 + b"\x00\x05\x00\x09" + b"\x50\x50" + b"\x02" + b"\x00" * 10 + b"\x41\x41" + b"\x01" + b"\x00\x01\x00\x00\x00\x01" + b"\x01" + b"\x00\x01\x00\x02\x00\x03"
    return bytes([1, flags]) + nameplate + snapshot + bytes([11])

def main():
    if os.path.isdir(OUT): shutil.rmtree(OUT)
    os.makedirs(OUT)
    def put(name, data):
        with open(os.path.join(OUT, name), "wb") as f: f.write(data)
    for name, pdus in FIELD_STREAMS.items():
        for cells, modules, flags, tag in [(20, 4, 0, "lockstep"), (240, 24, 1, "realtime"), (17, 1, 2, "neighbour"), (16, 2, 4, "two-masters")]:
            put(f"field-{name}-{tag}", field_header(cells, modules, flags) + stream(pdus))
    put("field-hostile-readings", field_header(1000, 100, 0, doubles=b"\x00") + stream(FIELD_STREAMS["reads"]))
    put("field-garbage", field_header(8, 1, 0) + bytes(range(256)))
    put("field-bad-mbap", field_header(8, 1, 0) + b"\x00\x01\x00\x07\x00\x06\x01\x03\x00\x00\x00\x01" + stream(FIELD_STREAMS["reads"]))
    for name, pdus in SUNSPEC_STREAMS.items():
        for flags, tag in [(0, "writer"), (1, "neighbour"), (2, "two-clients")]:
            put(f"sunspec-{name}-{tag}", sunspec_header(flags) + stream(pdus))
    put("codec-field-extremes", bytes([2]) + struct.pack(">H", 999) + bytes([99]) + b"\xff" * 6 + bytes(range(14)) * 3)
    put("codec-field-small", bytes([2, 0, 3, 1]) + b"\x00" * 6 + b"\x45" * 40)
    put("codec-sunspec-nan", bytes([3]) + b"\x00\x00" + b"\x00\x00\x00" + b"\x00" * 80)
    put("codec-sunspec-extremes", bytes([3]) + b"\x01\x03ABC\x05\x06\x05\x7f" + bytes(range(14)) * 8)

if __name__ == "__main__":
    main()
