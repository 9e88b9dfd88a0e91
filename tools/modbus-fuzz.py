#!/usr/bin/env python3
"""Network fuzz of bmssim's Modbus servers (issue 16, item 3).

Sends frames to the field device (plant-server) and the EMS face (controller --ems) over TCP:
valid and boundary reads and writes, random function codes, wrong MBAP lengths and protocol
identifiers, truncated and over-long frames, garbage. With --field-rtu it also sends RTU frames
down a serial line to a plant-server --rtu (one end of a socat pty pair; the fuzzer is the
line's master): valid and boundary requests, bad CRCs, other unit IDs, broadcasts, truncated
frames and garbage, with the line's silence between them. After every batch it checks, on a fresh
connection, that each server answers within the timeout (else a hang; a refused connection is a
crash), that no read-only point with a fixed value changed, and that every writable point holds
a value its declaration accepts. With --audit it reads the servers' write logs at the end and
counts writes accepted from the fuzzer's own address (unauthorised: run it from an address the
servers' --writers does not list, such as 127.0.0.2).

The maps come from the code: `bmssim hil-map --json [--sunspec]`.

  tools/modbus-fuzz.py --bmssim .build/release/bmssim --field 127.0.0.1:1502 --ems 127.0.0.1:1503 \\
      --frames 1000000 --source 127.0.0.2 --audit out/hil/field-writes.csv --audit out/hil/ems-writes.csv
  tools/modbus-fuzz.py --field-rtu out/fuzz-rtu/master --rtu-frames 20000     (hil/README.md "Fuzzing")

Exit status 1 when it found a crash, a hang, a changed fixed point, an invalid writable value or
an unauthorised write.
"""
import argparse
import csv
import json
import random
import socket
import struct
import subprocess
import sys
import time


def load_map(bmssim, sunspec):
    args = [bmssim, "hil-map", "--json"] + (["--sunspec"] if sunspec else [])
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


class Target:
    def __init__(self, name, endpoint, points, source):
        host, port = endpoint.rsplit(":", 1)
        self.name, self.host, self.port, self.points, self.source = name, host, int(port), points, source
        holding = [p for p in points if p["table"] == "holding"]
        inputs = [p for p in points if p["table"] == "input"]
        self.holding = (min((p["address"] for p in holding), default=0), max((p["address"] + p["count"] * p["words"] for p in holding), default=0))
        self.input = (min((p["address"] for p in inputs), default=0), max((p["address"] + p["count"] * p["words"] for p in inputs), default=0))
        self.writable = [p for p in holding if p["writable"]]
        self.sock = None
        self.tid = 0

    def connect(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if self.source:
            s.bind((self.source, 0))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(2.0)
        s.connect((self.host, self.port))
        s.setblocking(False)
        return s

    def frame(self, unit, pdu, protocol=0, length=None):
        self.tid = (self.tid + 1) & 0xFFFF
        return struct.pack(">HHHB", self.tid, protocol, len(pdu) + 1 if length is None else length, unit) + pdu

    def request(self, s, pdu, timeout):
        """Sends one valid request on blocking socket `s`; returns the reply PDU or None on timeout."""
        s.settimeout(timeout)
        s.sendall(self.frame(1, pdu))
        data = b""
        deadline = time.monotonic() + timeout
        while len(data) < 7 or len(data) < 6 + struct.unpack(">H", data[4:6])[0]:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(left)
            chunk = s.recv(512)
            if not chunk:
                return None
            data += chunk
        return data[7:]


def random_frame(t, rng):
    """One frame of a random kind (bytes)."""
    kind = rng.random()
    address = lambda lo, hi: rng.choice([lo, hi - 1, hi, rng.randrange(0, 65536), rng.randrange(max(0, lo - 5), hi + 5)])
    if kind < 0.25:  # valid and boundary reads
        table, (lo, hi) = rng.choice([(3, t.holding), (4, t.input)])
        count = rng.choice([1, 2, 125, 126, 0, rng.randrange(1, 130)])
        return t.frame(1, struct.pack(">BHH", table, address(lo, hi) & 0xFFFF, count))
    if kind < 0.45:  # writes: to writable points with boundary values, or anywhere
        if t.writable and rng.random() < 0.7:
            p = rng.choice(t.writable)
            a = p["address"] + rng.randrange(0, p["count"] * p["words"])
        else:
            a = address(*t.holding) & 0xFFFF
        values = [rng.choice([0, 1, 2, 0xFFFF, 0x7FFF, 0x8000, rng.randrange(0, 65536)]) for _ in range(rng.choice([1, 1, 2, 5, 123]))]
        if len(values) == 1 and rng.random() < 0.5:
            return t.frame(1, struct.pack(">BHH", 6, a, values[0]))
        return t.frame(1, struct.pack(">BHHB", 16, a, len(values), 2 * len(values)) + b"".join(struct.pack(">H", v) for v in values))
    if kind < 0.55:  # random function code and body
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12)))
        return t.frame(rng.randrange(256), bytes([rng.randrange(256)]) + body)
    if kind < 0.65:  # wrong MBAP length
        pdu = struct.pack(">BHH", 3, 0, 1)
        return t.frame(1, pdu, length=rng.choice([0, 1, 2, 3, 5, 7, 255, 256, 0xFFFF, rng.randrange(65536)]))
    if kind < 0.72:  # wrong protocol identifier
        return t.frame(1, struct.pack(">BHH", 4, 0, 1), protocol=rng.randrange(1, 65536))
    if kind < 0.82:  # truncated
        f = t.frame(1, struct.pack(">BHH", 3, 0, 2))
        return f[: rng.randrange(1, len(f))]
    if kind < 0.9:  # over-long: a frame with extra bytes (length field matching, or not)
        extra = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        pdu = struct.pack(">BHH", 3, 0, 1) + extra
        return t.frame(1, pdu[:253]) if rng.random() < 0.5 else t.frame(1, struct.pack(">BHH", 3, 0, 1)) + extra
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))  # garbage


def crc16(data):
    """Modbus RTU CRC (polynomial 0xA001, initial 0xFFFF), low byte first on the line."""
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return struct.pack("<H", crc)


class RTUTarget(Target):
    """The field device on a serial line (the master end of a pty pair); the fuzzer is the master."""

    def __init__(self, device, points):
        Target.__init__(self, "field device (RTU)", "rtu:0", points, None)
        import os, termios, tty
        self.fd = os.open(device, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(self.fd)
        self.os = os

    def adu(self, unit, pdu, crc_ok=True):
        body = bytes([unit]) + pdu
        crc = crc16(body)
        if not crc_ok:
            crc = bytes([crc[0] ^ (1 << random.randrange(8)), crc[1]])
        return body + crc

    def drain(self, wait):
        """Reads what arrives within `wait` s of silence; returns the bytes."""
        import select
        data = b""
        while True:
            r, _, _ = select.select([self.fd], [], [], wait)
            if not r:
                return data
            try:
                chunk = self.os.read(self.fd, 512)
            except BlockingIOError:
                continue
            if not chunk:
                return data
            data += chunk

    def request(self, s, pdu, timeout):
        """A valid request to unit 1; the reply PDU (CRC checked) or None. Retries twice: a frame
        that arrives while the server flushes the line after a garbled one is lost, as on a real line."""
        for _ in range(3):
            self.drain(0.06)
            self.os.write(self.fd, self.adu(1, pdu))
            reply = self.drain(0.1 if timeout > 0.1 else timeout)
            deadline = time.monotonic() + timeout
            while not reply and time.monotonic() < deadline:
                reply = self.drain(0.05)
            if len(reply) >= 4 and reply[0] == 1 and crc16(reply[:-2]) == reply[-2:]:
                return reply[1:-2]
        return None

    def send_random(self, rng):
        """One RTU frame of a random kind, then the silence the line needs; returns nothing."""
        kind = rng.random()
        tcp = random_frame(self, rng)
        pdu = tcp[7:] if len(tcp) > 7 else bytes([3, 0, 0, 0, 1])
        if kind < 0.45:  # valid framing: whatever request the TCP generator made, answered or refused
            frame = self.adu(1, pdu[:252])
        elif kind < 0.65:  # bad CRC
            frame = self.adu(1, pdu[:252], crc_ok=False)
        elif kind < 0.75:  # another unit (ignored) or a broadcast (acted on, never answered)
            frame = self.adu(rng.choice([0, 2, 247, 255]), pdu[:252])
        elif kind < 0.88:  # truncated
            f = self.adu(1, pdu[:252])
            frame = f[: rng.randrange(1, len(f))]
        else:  # garbage
            frame = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 260)))
        self.os.write(self.fd, frame)
        # The reply, if any, then the silence that ends a frame (the server's 50 ms byte timeout
        # for a frame left short).
        self.drain(0.06 if kind >= 0.75 else 0.004)


def check(t, baseline, timeout):
    """A fresh connection answers; fixed points unchanged; writable points valid. Returns problems."""
    problems = []
    if isinstance(t, RTUTarget):
        import contextlib
        s = contextlib.nullcontext()
    else:
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            if t.source:
                s.bind((t.source, 0))
            s.settimeout(timeout)
            s.connect((t.host, t.port))
        except ConnectionRefusedError:
            return ["crash: connection refused"]
        except OSError as e:
            return [f"hang: cannot connect ({e})"]
    with s:
        def read(fc, a, n):
            out = []
            while n > 0:
                k = min(125, n)
                r = t.request(s, struct.pack(">BHH", fc, a, k), timeout)
                if r is None:
                    raise TimeoutError(f"no answer to function {fc} at {a}")
                if r[0] & 0x80:
                    raise ValueError(f"exception {r[1]} to function {fc} at {a}")
                out += list(struct.unpack(f">{k}H", r[2:2 + 2 * k]))
                a, n = a + k, n - k
            return out
        values = {}
        try:
            for p in t.points:
                if p["table"] != "holding":
                    continue
                n = p["count"] * p["words"]
                try:
                    values[p["name"], p["address"]] = read(3, p["address"], n)
                except ValueError:
                    # An array longer than this device has (heaters per module, balancing per
                    # cell): the instances it has, one by one.
                    got = []
                    for i in range(p["count"]):
                        try:
                            got += read(3, p["address"] + i * p["words"], p["words"])
                        except ValueError:
                            break
                    values[p["name"], p["address"]] = got
            head = read(4, 0, 3) if t.input[1] > 0 else []
        except TimeoutError as e:
            return [f"hang: {e}"]
        except (ValueError, OSError) as e:
            return [f"bad answer: {e}"]
    if baseline is not None and head != baseline:
        problems.append(f"read-only header changed: {baseline} -> {head}")
    for p in t.points:
        if p["table"] != "holding":
            continue
        words = values[p["name"], p["address"]]
        if not p["writable"] and "fixed" in p and p["words"] <= 4 and p["encoding"] not in ("string8", "string16"):
            value = 0
            for w in words[: p["words"]]:
                value = value << 16 | w
            if value != p["fixed"]:
                problems.append(f"fixed point {p['name']} reads {value}, declared {p['fixed']}")
        # A writable point holds a value its declaration accepts, or its resting value (a lockstep
        # advance reads 0 once done; SetInvState reads 0xFFFF until written).
        if p["writable"] and "write_min" in p and p["words"] == 1:
            for i, w in enumerate(words):
                if not p["write_min"] <= w <= p["write_max"] and w != p.get("fixed"):
                    problems.append(f"{p['name']}[{i}] holds {w}, outside {p['write_min']} ... {p['write_max']}")
    return problems, head


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bmssim", default=".build/release/bmssim")
    ap.add_argument("--field", help="plant-server HOST:PORT")
    ap.add_argument("--ems", help="controller EMS face HOST:PORT")
    ap.add_argument("--field-rtu", help="the master end of a pty pair whose other end a plant-server --rtu serves")
    ap.add_argument("--rtu-frames", type=int, default=20_000, help="frames down the serial line (it needs silence between frames)")
    ap.add_argument("--frames", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--source", default="127.0.0.2", help="local address to send from ('' for any)")
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--audit", action="append", default=[], help="a server's write log (field-writes.csv, ems-writes.csv)")
    a = ap.parse_args()
    targets = []
    if a.field:
        targets.append(Target("field device", a.field, load_map(a.bmssim, False), a.source))
    if a.ems:
        targets.append(Target("EMS face", a.ems, load_map(a.bmssim, True), a.source))
    rtu = RTUTarget(a.field_rtu, load_map(a.bmssim, False)) if a.field_rtu else None
    if not targets and not rtu:
        ap.error("give --field, --ems and/or --field-rtu")
    rng = random.Random(a.seed)
    found = {"crashes": 0, "hangs": 0, "invalid": 0}
    baselines = {}
    for t in targets:
        r = check(t, None, a.timeout)
        if isinstance(r, list):
            sys.exit(f"{t.name}: {r[0]} before fuzzing")
        baselines[t.name] = r[1]
    sent = 0
    if not targets:
        a.frames = 0
    start = time.monotonic()
    scratch = bytearray(65536)
    while sent < a.frames:
        for t in targets:
            n = min(a.batch, a.frames - sent)
            for _ in range(n):
                if t.sock is None:
                    try:
                        t.sock = t.connect()
                    except OSError:
                        t.sock = None
                        continue
                try:
                    t.sock.send(random_frame(t, rng))
                    try:
                        while t.sock.recv_into(scratch) > 0:
                            pass
                    except BlockingIOError:
                        pass
                except (BlockingIOError, ConnectionError, OSError):
                    t.sock.close()
                    t.sock = None  # dropped (as it should be for garbage): reconnect
                sent += 1
            if t.sock is not None:
                t.sock.close()
                t.sock = None
            r = check(t, baselines[t.name], a.timeout)
            problems = r if isinstance(r, list) else r[0]
            for p in problems:
                print(f"{t.name} after {sent} frames: {p}", file=sys.stderr)
                key = "crashes" if p.startswith("crash") else "hangs" if p.startswith("hang") else "invalid"
                found[key] += 1
            if any(p.startswith("crash") for p in problems):
                sent = a.frames
                break
    wall = time.monotonic() - start
    rtu_sent, rtu_wall = 0, 0.0
    if rtu:
        random.seed(a.seed)
        r = check(rtu, None, a.timeout)
        if isinstance(r, list):
            sys.exit(f"{rtu.name}: {r[0]} before fuzzing")
        rtu_baseline = r[1]
        rtu_start = time.monotonic()
        batch = max(1, min(a.batch, 500))
        while rtu_sent < a.rtu_frames:
            for _ in range(min(batch, a.rtu_frames - rtu_sent)):
                rtu.send_random(rng)
                rtu_sent += 1
            r = check(rtu, rtu_baseline, a.timeout)
            for p in (r if isinstance(r, list) else r[0]):
                print(f"{rtu.name} after {rtu_sent} frames: {p}", file=sys.stderr)
                found["hangs" if p.startswith("hang") or p.startswith("bad answer") else "invalid"] += 1
        rtu_wall = time.monotonic() - rtu_start
        print(f"RTU frames {rtu_sent}, {rtu_sent / rtu_wall:.0f} frames/s over {rtu_wall:.1f} s")
    unauthorised = 0
    for path in a.audit:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row["outcome"] == "accepted" and a.source and row["peer"].split(":")[0] == a.source:
                    unauthorised += 1
    print(f"TCP frames {sent}, {sent / max(wall, 1e-9):.0f} frames/s over {wall:.1f} s; RTU frames {rtu_sent}; in all: crashes {found['crashes']}, hangs {found['hangs']}, "
          f"invalid or changed points {found['invalid']}, unauthorised writes {unauthorised if a.audit else 'not checked (no --audit)'}")
    sys.exit(1 if any(found.values()) or unauthorised else 0)


if __name__ == "__main__":
    main()
