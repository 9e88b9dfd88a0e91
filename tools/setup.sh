#!/usr/bin/env bash
# Installs what bmssim needs on a Debian machine that has Swift, gcc and apt, and nothing else.
# Idempotent: installs only the packages that are missing, and runs `apt-get update` only then.
#   libmodbus-dev  the Modbus library (CModbus links it; REFERENCE.md section 7)
#   pkgconf        lets SwiftPM find libmodbus through pkg-config
#   binutils       readelf/size for the Embedded build report (normally already there with gcc)
#   socat          a pty pair for Modbus RTU without hardware (hil/, interop tests)
#   mbpoll         a third-party Modbus master for the interop tests
#
# `tools/setup.sh firmware` adds what the firmware image needs (`make firmware`):
#   qemu-system-arm        runs the image on an emulated mps2-an386 (Cortex-M4F)
#   picolibc-arm-none-eabi the C library the image links (memcpy, sqrtf, roundf, ...)
#   gcc-arm-none-eabi      its libgcc (64-bit division, the software doubles) and arm-none-eabi-size;
#                          the Swift toolchain's own clang and lld compile and link
set -euo pipefail

packages=(libmodbus-dev pkgconf binutils socat mbpoll)
if [ "${1:-}" = "firmware" ]; then
    packages+=(qemu-system-arm picolibc-arm-none-eabi gcc-arm-none-eabi)
fi

missing=()
for p in "${packages[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all system packages present (${packages[*]})"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
