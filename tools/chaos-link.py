#!/usr/bin/env python3
"""A chaos link for Modbus TCP and RTU (issue 16, item 4): a proxy between a controller and a
field device that delays, jitters, drops and corrupts whole frames, cuts connections and blacks out.

  tools/chaos-link.py --listen 127.0.0.1:1602 --upstream 127.0.0.1:1502 --delay-ms 5 --jitter-ms 5 \\
      --loss 0.01 --corrupt 0.002 --disconnect-every 5 --blackout 20:3 --seed 1
  tools/chaos-link.py --serial out/chaos-rtu --loss 0.01 --corrupt 0.002 --blackout 20:3

Serial (--serial DIR): the link makes two pseudo-terminals, DIR/controller (the master's end:
`bmssim controller --plant rtu:DIR/controller`) and DIR/plant (`bmssim plant-server --rtu
DIR/plant`), and relays between them. An RTU frame ends with the line's silence: bytes that come
with less than --frame-gap-ms between them are one frame, and the faults act on whole frames (a
corruption flips one bit, which the receiver's CRC check catches). A serial line has no
connection to cut: --disconnect-every does not apply; a blackout drops everything.

TCP:
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

    def fault(self, received):
        """One whole frame through the link: None when lost, else the frame (one bit flipped
        when corrupted)."""
        stats["frames"] += 1
        if self.dark() or self.rng.random() < self.a.loss:
            stats["dropped"] += 1
            return None
        frame = bytearray(received)
        if self.rng.random() < self.a.corrupt:
            stats["corrupted"] += 1
            k = self.rng.randrange(len(frame))
            frame[k] ^= 1 << self.rng.randrange(8)
        return frame

    def due(self, last):
        """When a frame may leave: its delay and jitter, never before the one before it."""
        return max(last, time.monotonic() + (self.a.delay_ms + self.rng.uniform(0, self.a.jitter_ms)) / 1000)

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
                    frame, buffer = self.fault(buffer[:size]), buffer[size:]
                    if frame is None:
                        continue
                    at = last = self.due(last)
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


class SerialChaos(Chaos):
    """Relays RTU frames between two pseudo-terminals with the link's faults."""

    def __init__(self, a, loop):
        import os, pty, tty
        Chaos.__init__(self, a)
        self.os, self.loop = os, loop
        os.makedirs(a.serial, exist_ok=True)
        self.ends = {}
        for side in ("controller", "plant"):
            master, slave = pty.openpty()
            tty.setraw(slave)
            os.set_blocking(master, False)
            link = os.path.join(a.serial, side)
            if os.path.lexists(link):
                os.remove(link)
            os.symlink(os.ttyname(slave), link)
            # The slave stays open here too: the pty lives while its user reopens it.
            self.ends[side] = {"master": master, "slave": slave, "buffer": b"", "timer": None, "last": 0.0}
        for side, other in (("controller", "plant"), ("plant", "controller")):
            loop.add_reader(self.ends[side]["master"], self.readable, side, other)

    def readable(self, side, other):
        end = self.ends[side]
        try:
            chunk = self.os.read(end["master"], 4096)
        except (BlockingIOError, OSError):
            return
        end["buffer"] += chunk
        if end["timer"]:
            end["timer"].cancel()
        end["timer"] = self.loop.call_later(self.a.frame_gap_ms / 1000, self.frame_ended, side, other)

    def frame_ended(self, side, other):
        end = self.ends[side]
        received, end["buffer"], end["timer"] = end["buffer"], b"", None
        frame = self.fault(received) if received else None
        if frame is None:
            return
        at = end["last"] = self.due(end["last"])
        self.loop.call_later(max(0, at - time.monotonic()), self.deliver, other, bytes(frame))

    def deliver(self, side, frame):
        try:
            self.os.write(self.ends[side]["master"], frame)
        except OSError:
            stats["dropped"] += 1


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", help="TCP: HOST:PORT the controller connects to")
    ap.add_argument("--upstream", help="TCP: the field device's HOST:PORT")
    ap.add_argument("--serial", help="RTU: a folder for the two pseudo-terminals (controller, plant)")
    ap.add_argument("--frame-gap-ms", type=float, default=3, help="RTU: silence that ends a frame")
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
    if bool(a.serial) == bool(a.listen or a.upstream):
        ap.error("give --listen and --upstream (TCP), or --serial DIR (RTU)")
    if not a.serial and not (a.listen and a.upstream):
        ap.error("TCP needs both --listen and --upstream")
    if a.serial and a.disconnect_every:
        ap.error("--disconnect-every is for TCP (a serial line has no connection; use --blackout)")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(s, stop.set)
    if a.serial:
        SerialChaos(a, loop)
        print(f"chaos link {a.serial}/controller <-> {a.serial}/plant", flush=True)
        await stop.wait()
    else:
        chaos = Chaos(a)
        server = await asyncio.start_server(chaos.serve, *endpoint(a.listen))
        print(f"chaos link {a.listen} -> {a.upstream}", flush=True)
        async with server:
            await stop.wait()
    print("chaos link: " + ", ".join(f"{k} {v}" for k, v in stats.items()), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
