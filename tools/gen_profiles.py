#!/usr/bin/env python3
"""Generate the bundled duty-cycle profiles (seeded, standard library only).

Profiles are CSV: a header `time_s,power_pu` then one row per change, values held until the next
row; positive = discharge; power_pu is normalised to the scenario's power rating (-1 ... 1).

pulse-test-38Ah.csv
    HPPC-like current pulses (time_s,current_A) on a 38 Ah cell at 7 SoC steps: for comparing the
    plant with other equivalent-circuit tools and for identifying resistances.

frequency-regulation-24h.csv
    A synthetic RegD-like signal (PJM dynamic regulation, REFERENCE.md section 6): 2 s updates,
    |value| <= 1, energy-neutral over every 30 min block. Each block is a sum of sinusoids with
    periods of 40 s to 10 min and random phases plus first-order filtered noise; the block mean is
    removed, the block is scaled so its peak is 0.6 ... 1.0, and the mean is removed again after
    rounding so the block's energy sums to zero within the 0.001 pu resolution.

peak-shaving-24h.csv
    A commercial site's load (night base 0.35, a working-day plateau, an afternoon peak, AR(1)
    noise with a 10 min memory, 60 s rows) is held below a threshold: the battery discharges the
    part above it (pu of the battery rating), then recharges from 20:00 at a flat rate that puts
    the day's energy back at 90 % round trip. Starts idle at midnight.

pv-firming-24h.csv
    A PV plant rated 2 pu with a clear-sky bell (06:00-18:00) and seeded cloud passages (Markov
    on/off, 30 s to 10 min, 30-70 % attenuation), 10 s rows. The battery (a) limits the plant's
    ramp to 10 % of PV rating per minute, discharging into dips and charging on recoveries, and
    (b) caps export at 1.3 pu, storing the excess and releasing it, at 90 % round trip, between
    18:00 and 21:00.

daily-arbitrage-24h.csv
    Two price peaks and two valleys, 60 s rows with 10 min ramps: charge 00:00-03:00 (night
    valley), discharge 07:00-08:30 (morning peak), charge 11:00-14:00 (solar valley), discharge
    17:30-21:00 (evening peak), charge 21:30-24:00. Each block's level is drawn +/-10 % around
    its nominal (-0.5, 0.7, -0.25, 0.8, -0.7 pu). From 60 % SoC at 0.2 C per pu this swings
    about 90 % -> 30 % -> 60 %.

standby-thermal-hold-24h.csv
    Zero power for 24 h: a reserve unit held at temperature by its heaters (for thermally managed
    packs the test is the heater energy and the estimate's drift at rest).

multi-day-mix-7d.csv
    A week: frequency regulation, arbitrage, peak shaving, PV firming, frequency regulation,
    standby, arbitrage; each day drawn from its own seed (seed + day), rows at 2 s where a day
    needs them and at 60 s elsewhere.

pulse-test-38Ah.csv goes to profiles/characterisation (a characterisation profile in amperes for
one cell size, not a duty cycle); the duty cycles go to profiles/duty. Every duty cycle is
normalised power (time_s,power_pu), so any chemistry and pack size can run it.

Usage: tools/gen_profiles.py [--seed N] [--out-dir profiles]
"""
import argparse
import math
import os
import random

STEP_S = 2
BLOCK_S = 30 * 60


def regulation_block(rng: random.Random) -> list[float]:
    n = BLOCK_S // STEP_S
    components = []
    for _ in range(5):
        period = rng.uniform(40, 600)
        components.append((rng.uniform(0.2, 1.0), 2 * math.pi / period, rng.uniform(0, 2 * math.pi)))
    noise = 0.0
    raw = []
    for k in range(n):
        t = k * STEP_S
        noise = 0.9 * noise + 0.1 * rng.gauss(0, 1)
        raw.append(sum(a * math.sin(w * t + p) for a, w, p in components) + 0.8 * noise)
    mean = sum(raw) / n
    raw = [x - mean for x in raw]
    peak = max(abs(x) for x in raw)
    target = rng.uniform(0.6, 1.0)
    values = [round(x / peak * target, 3) for x in raw]
    # Rounding leaves a small mean: spread the residual in 0.001 steps over the largest samples.
    residual = round(sum(values) * 1000)
    order = sorted(range(n), key=lambda i: -abs(values[i]))
    i = 0
    while residual != 0:
        j = order[i % n]
        delta = -1 if residual > 0 else 1
        candidate = round(values[j] + delta / 1000, 3)
        if abs(candidate) <= 1:
            values[j] = candidate
            residual += delta
        i += 1
    return values


DAY_S = 86_400


def clip(x: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def regulation_day(rng: random.Random) -> list[tuple[int, float]]:
    values = []
    for _ in range(DAY_S // BLOCK_S):
        values.extend(regulation_block(rng))
    return [(k * STEP_S, v) for k, v in enumerate(values)]


def peak_shaving_day(rng: random.Random) -> list[tuple[int, float]]:
    """Site load (pu of the battery rating x 4) held below a threshold; recharge from 20:00."""
    step = 60
    noise = 0.0
    discharge = []
    for k in range(DAY_S // step):
        h = k * step / 3600
        # Base 0.35 at night, working-day plateau 0.75 from 07:00, afternoon peak to ~1.0 at 15:00.
        day = 0.40 / (1 + math.exp(-(h - 7) * 2)) - 0.40 / (1 + math.exp(-(h - 19) * 1.5))
        peak = 0.25 * math.exp(-((h - 15) / 2.2) ** 2)
        noise = 0.90 * noise + 0.10 * rng.gauss(0, 0.25)
        load = 0.35 + day + peak + 0.1 * noise
        # The battery (rated 1/4 of the site peak) takes what exceeds 0.85.
        discharge.append(clip(max(0.0, load - 0.85) * 4, 0.0, 1.0))
    energy = sum(discharge) * step
    start, end = 20 * 3600 // step, DAY_S // step
    level = energy / 0.9 / ((end - start) * step)
    values = [round(d, 3) for d in discharge]
    for k in range(start, end):
        values[k] = round(values[k] - level, 3)
    return [(k * step, v) for k, v in enumerate(values)]


def pv_firming_day(rng: random.Random) -> list[tuple[int, float]]:
    """Ramp-rate limiting and an export cap on a 2 pu PV plant, 10 s rows."""
    step = 10
    n = DAY_S // step
    rating = 2.0
    cloudy, attenuation, remaining = False, 1.0, 0
    pv = []
    for k in range(n):
        h = k * step / 3600
        clear = rating * math.sin(math.pi * (h - 6) / 12) ** 1.5 if 6 <= h <= 18 else 0.0
        if remaining <= 0:
            cloudy = (not cloudy) and rng.random() < 0.6
            remaining = rng.randint(3, 60)  # 30 s ... 10 min
            attenuation = rng.uniform(0.3, 0.7) if cloudy else 1.0
        remaining -= 1
        pv.append(clear * attenuation)
    ramp = 0.10 * rating / 60 * step  # pu per row
    cap = 1.3
    out = pv[0]
    battery = []
    stored = 0.0
    for k in range(n):
        out = min(max(pv[k], out - ramp), out + ramp)
        export = min(out, cap)
        battery.append(export - pv[k])  # > 0: discharge into a dip; < 0: charge
        out = export
        stored -= battery[-1] * step
    # Release what is stored (at 90 %) from 18:00 to 21:00, on top of any ramp support.
    start, end = 18 * 3600 // step, 21 * 3600 // step
    level = max(0.0, stored) * 0.9 / ((end - start) * step)
    for k in range(start, end):
        battery[k] += level
    return [(k * step, round(clip(v), 3)) for k, v in enumerate(battery)]


def arbitrage_day(rng: random.Random) -> list[tuple[int, float]]:
    """Charge in price valleys, discharge at peaks; 60 s rows with 10 min ramps."""
    blocks = [(0.0, 3.0, -0.5), (7.0, 8.5, 0.7), (11.0, 14.0, -0.25), (17.5, 21.0, 0.8), (21.5, 24.0, -0.7)]
    blocks = [(a, b, level * rng.uniform(0.9, 1.1)) for a, b, level in blocks]
    step = 60
    rows = []
    for k in range(DAY_S // step):
        h = k * step / 3600
        v = 0.0
        for a, b, level in blocks:
            if a <= h < b:
                ramp_in = 1.0 if a == 0 else min(1.0, (h - a) * 6)
                ramp_out = 1.0 if b == 24 else min(1.0, (b - h) * 6)
                v = level * min(ramp_in, ramp_out)
        rows.append((k * step, round(clip(v), 3)))
    return rows


def standby_day(rng: random.Random) -> list[tuple[int, float]]:
    return [(0, 0.0)]


def drop_repeats(rows: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Keeps a row only where the value changes (a profile holds each value to the next row)."""
    out = []
    for t, v in rows:
        if not out or out[-1][1] != v:
            out.append((t, v))
    return out


def write_power_pu(path: str, comments: list[str], rows: list[tuple[int, float]]) -> None:
    with open(path, "w", encoding="ascii") as f:
        for c in comments:
            f.write(f"# {c}\n")
        f.write("time_s,power_pu\n")
        for t, v in drop_repeats(rows):
            f.write(f"{t},{v:.3f}\n")


DAYS = {
    "regulation": regulation_day,
    "arbitrage": arbitrage_day,
    "peak-shaving": peak_shaving_day,
    "pv-firming": pv_firming_day,
    "standby": standby_day,
}


def write_day(path: str, kind: str, seed: int, what: str) -> None:
    rows = DAYS[kind](random.Random(seed))
    write_power_pu(path, [what, f"generated by tools/gen_profiles.py --seed {seed}; do not edit by hand"], rows)


def write_mix(path: str, seed: int) -> None:
    week = ["regulation", "arbitrage", "peak-shaving", "pv-firming", "regulation", "standby", "arbitrage"]
    rows = []
    for day, kind in enumerate(week):
        rows.extend((t + day * DAY_S, v) for t, v in DAYS[kind](random.Random(seed + day)))
    write_power_pu(path, ["a week of grid duty: " + ", ".join(week),
                          f"generated by tools/gen_profiles.py --seed {seed}; do not edit by hand"], rows)


def write_regulation(path: str, seed: int, hours: int) -> None:
    rng = random.Random(seed)
    values = []
    for _ in range(hours * 3600 // BLOCK_S):
        values.extend(regulation_block(rng))
    with open(path, "w", encoding="ascii") as f:
        f.write(f"# synthetic RegD-like frequency regulation, {hours} h, 2 s updates, energy-neutral per 30 min\n")
        f.write(f"# generated by tools/gen_profiles.py --seed {seed}; do not edit by hand\n")
        f.write("time_s,power_pu\n")
        for k, v in enumerate(values):
            f.write(f"{k * STEP_S},{v:.3f}\n")


def write_pulse_test(path: str) -> None:
    """HPPC-like current pulses on a 38 Ah cell: at each of 7 SoC steps, 10 s discharge at 1C, 40 s
    rest, 10 s charge at 0.75C, 40 s rest, then a 0.5C discharge of 10 % SoC (720 s) and 1 h rest."""
    rows = [(0, 0.0)]
    t = 600  # 10 min rest first
    for _ in range(7):
        for duration, current in ((10, 38.0), (40, 0.0), (10, -28.5), (40, 0.0), (720, 19.0), (3600, 0.0)):
            rows.append((t, current))
            t += duration
    rows.append((t, 0.0))
    with open(path, "w", encoding="ascii") as f:
        f.write("# HPPC-like pulse test for a 38 Ah cell: 1C / 0.75C pulses at 7 SoC steps of 10 %\n")
        f.write("# generated by tools/gen_profiles.py; do not edit by hand\n")
        f.write("time_s,current_A\n")
        for time_s, current in rows:
            f.write(f"{time_s},{current:.1f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out-dir", default=os.path.join(os.path.dirname(__file__), "..", "profiles"))
    args = parser.parse_args()
    duty = os.path.join(args.out_dir, "duty")
    characterisation = os.path.join(args.out_dir, "characterisation")
    os.makedirs(duty, exist_ok=True)
    os.makedirs(characterisation, exist_ok=True)
    write_regulation(os.path.join(duty, "frequency-regulation-24h.csv"), args.seed, 24)
    write_day(os.path.join(duty, "peak-shaving-24h.csv"), "peak-shaving", args.seed + 1,
              "peak shaving of a commercial site: afternoon discharge above the threshold, recharge from 20:00")
    write_day(os.path.join(duty, "pv-firming-24h.csv"), "pv-firming", args.seed + 2,
              "PV firming: ramp-rate limit (10 %/min of a 2 pu plant), export cap 1.3 pu, evening release")
    write_day(os.path.join(duty, "daily-arbitrage-24h.csv"), "arbitrage", args.seed + 3,
              "daily arbitrage: two valleys charged, two peaks discharged, 10 min ramps")
    write_day(os.path.join(duty, "standby-thermal-hold-24h.csv"), "standby", args.seed + 4,
              "standby with thermal hold: no power for 24 h, the heaters keep the pack hot")
    write_mix(os.path.join(duty, "multi-day-mix-7d.csv"), args.seed + 10)
    write_pulse_test(os.path.join(characterisation, "pulse-test-38Ah.csv"))


if __name__ == "__main__":
    main()
