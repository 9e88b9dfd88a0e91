#!/usr/bin/env python3
"""A chaos link for Modbus TCP (issue 16, item 4): a proxy between a controller and a field
device that delays, jitters, drops and corrupts whole frames, cuts connections and blacks out.

  tools/chaos-link.py --listen 127.0.0.1:1602 --upstream 127.0.0.1:1502 --delay-ms 5 --jitter-ms 5 \\
      --loss 0.01 --corrupt 0.002 --disconnect-every 5 --blackout 20:3 --seed 1

Frames are cut at their MBAP length, so a loss drops a whole request or reply (the client sees a
timeout) and a corruption flips one bit inside one frame (the device refuses it or drops the
connection). Each direction keeps its order: a frame leaves no earlier than the one before it.
--disconnect-every S closes every connection each S seconds; --blackout START:SECONDS drops every
frame and refuses connections for that long from START seconds after the proxy started (the
link really lost). Ctrl-C (or SIGTERM) prints what it did and stops.
"""
import argparse
import asyncio
import random
import signal
import sys
import time

stats = {"frames": 0, "dropped": 0, "corrupted": 0, "disconnects": 0, "refused": 0}


def endpoint(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


class Chaos:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.start = time.monotonic()
        self.blackout = None
        if a.blackout:
            s, d = a.blackout.split(":")
            self.blackout = (float(s), float(s) + float(d))

    def dark(self):
        if not self.blackout:
            return False
        t = time.monotonic() - self.start
        return self.blackout[0] <= t < self.blackout[1]

    async def pipe(self, reader, writer, done):
        """Copies frames from reader to writer with the link's faults, in order."""
        buffer = b""
        last = 0.0
        try:
            while not done.is_set():
                chunk = await reader.read(4096)
                if not chunk:
                    break
                buffer += chunk
                while len(buffer) >= 6:
                    length = int.from_bytes(buffer[4:6], "big")
                    size = 6 + length
                    if length > 254 or length < 2:
                        size = len(buffer)  # not Modbus: passed on as it is (the device drops it)
                    if len(buffer) < size:
                        break
                    frame, buffer = bytearray(buffer[:size]), buffer[size:]
                    stats["frames"] += 1
                    if self.dark() or self.rng.random() < self.a.loss:
                        stats["dropped"] += 1
                        continue
                    if self.rng.random() < self.a.corrupt:
                        stats["corrupted"] += 1
                        k = self.rng.randrange(len(frame))
                        frame[k] ^= 1 << self.rng.randrange(8)
                    at = max(last, time.monotonic() + (self.a.delay_ms + self.rng.uniform(0, self.a.jitter_ms)) / 1000)
                    last = at
                    wait = at - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    writer.write(bytes(frame))
                    await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            done.set()

    async def serve(self, reader, writer):
        if self.dark():
            stats["refused"] += 1
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*endpoint(self.a.upstream))
        except OSError:
            stats["refused"] += 1
            writer.close()
            return
        done = asyncio.Event()
        tasks = [asyncio.create_task(self.pipe(reader, up_writer, done)), asyncio.create_task(self.pipe(up_reader, writer, done))]
        if self.a.disconnect_every > 0:
            async def cut():
                await asyncio.sleep(self.a.disconnect_every)
                if not done.is_set():
                    stats["disconnects"] += 1
                    done.set()
            tasks.append(asyncio.create_task(cut()))
        await done.wait()
        for w in (writer, up_writer):
            w.close()
        for t in tasks:
            t.cancel()


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--delay-ms", type=float, default=0)
    ap.add_argument("--jitter-ms", type=float, default=0)
    ap.add_argument("--loss", type=float, default=0, help="share of frames dropped (each direction)")
    ap.add_argument("--corrupt", type=float, default=0, help="share of frames with one bit flipped")
    ap.add_argument("--disconnect-every", type=float, default=0, help="seconds a connection lives (0: forever)")
    ap.add_argument("--blackout", help="START:SECONDS with nothing through")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    for name in ("loss", "corrupt"):
        if not 0 <= getattr(a, name) <= 1:
            ap.error(f"--{name} is a share, 0 ... 1")
    chaos = Chaos(a)
    server = await asyncio.start_server(chaos.serve, *endpoint(a.listen))
    print(f"chaos link {a.listen} -> {a.upstream}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(s, stop.set)
    async with server:
        await stop.wait()
    print("chaos link: " + ", ".join(f"{k} {v}" for k, v in stats.items()), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
