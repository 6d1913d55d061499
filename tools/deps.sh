#!/bin/sh
# Install the Debian packages vidport needs to build, run and test, when
# any is missing. Safe to run often: it only calls apt when needed.
set -e

# The fuzz targets need clang with libFuzzer and the sanitizers' runtimes,
# and a 32-bit C and C++ library to link them as the kernel's i386 type sizes.
# Bochs (with its SDL2 display, BIOS and LGPL VGABIOS) is the second emulator.
PACKAGES="gcc make binutils nasm python3 grub-pc-bin grub-efi-amd64-bin grub-common
xorriso mtools qemu-system-x86 ovmf gnu-efi console-setup-linux libcmocka-dev cppcheck
clang libclang-rt-14-dev libc6-dev-i386 lib32gcc-12-dev lib32stdc++-12-dev
bochs bochs-sdl bochsbios vgabios"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q --no-install-recommends $missing >&2
