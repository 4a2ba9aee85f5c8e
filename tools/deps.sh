# shellcheck shell=bash
# Shared set-up for tools/run and tools/test. Source it (the caller sets
# `set -euo pipefail`), then call pagoda_deps and pagoda_build.

PAGODA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PAGODA_FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

pagoda_die() {
    echo "pagoda: $*" >&2
    exit 1
}

# Make sure the toolchain, QEMU and OpenSBI are there; install them (Debian)
# when running as root, otherwise say exactly what to install.
pagoda_deps() {
    local -a missing=()
    local pair cmd
    # command:debian-package
    for pair in clang:clang ld.lld:lld cmake:cmake ninja:ninja-build \
        qemu-system-riscv64:qemu-system-misc python3:python3; do
        cmd=${pair%%:*}
        command -v "$cmd" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [[ -f $PAGODA_FW ]] || missing+=(opensbi)
    # Wanted, not needed: the debugger (tools/gdb). Installed along with the
    # rest as root; otherwise only named, as building and testing work without.
    local gdb_pkg=
    if ! command -v gdb-multiarch >/dev/null 2>&1; then
        if ((EUID == 0)); then
            missing+=(gdb-multiarch)
        else
            gdb_pkg=" gdb-multiarch"
            ((${#missing[@]})) ||
                echo "pagoda: for tools/gdb: sudo apt-get install -y gdb-multiarch" >&2
        fi
    fi
    if ((${#missing[@]} == 0)); then
        return 0
    fi

    if ((EUID != 0)); then
        echo "pagoda: missing packages: ${missing[*]}" >&2
        echo "pagoda: install them with:" >&2
        echo "  sudo apt-get install -y ${missing[*]}$gdb_pkg" >&2
        exit 1
    fi
    command -v apt-get >/dev/null 2>&1 ||
        pagoda_die "missing ${missing[*]} and no apt-get to install them (Debian/Ubuntu expected)"
    echo "pagoda: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update ||
        pagoda_die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" ||
        pagoda_die "apt-get install ${missing[*]} failed"
}

# Configure once (a later `cmake --build` re-runs cmake itself when needed),
# then build everything.
pagoda_build() {
    local build="$PAGODA_ROOT/build"
    if [[ ! -f $build/build.ninja ]]; then
        cmake -S "$PAGODA_ROOT" -B "$build" -G Ninja ||
            pagoda_die "cmake configure failed (if build/ is from another generator, remove it)"
    fi
    cmake --build "$build" || pagoda_die "build failed"
}
