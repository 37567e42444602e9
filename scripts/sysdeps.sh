#!/bin/sh
# Installs the Debian packages yibao-desk needs (Qt's platform libraries, a Chinese
# TrueType font, poppler) when run as root on Debian; otherwise prints the exact command.
# Usage: sysdeps.sh run|test
set -eu
purpose=${1:-run}

run_pkgs="fonts-wqy-microhei fonts-arphic-uming libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 \
libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
# more Chinese fonts for the OCR measurement's cards ("make bench"); tests need only one
# strace: the no-network test traces every thread's socket calls, native ones included
test_pkgs="$run_pkgs strace poppler-utils poppler-data xvfb xauth fonts-wqy-zenhei fonts-arphic-ukai"
[ "$purpose" = test ] && pkgs=$test_pkgs || pkgs=$run_pkgs

# A Debian python3 without ensurepip cannot create the virtual environment.
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    pkgs="$pkgs python3-venv"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "sysdeps: not a Debian system; make sure Qt 6's platform libraries and a Chinese TrueType font are installed." >&2
    exit 0
fi

missing=""
for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "sysdeps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "sysdeps: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
