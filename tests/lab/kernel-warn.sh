#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kernel WARN in the guest fails `lab run` even when the script itself
# would succeed: the lab boots with panic_on_warn=1.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$("$top/tools/kver")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp "$top"/tests/lab/warn/{Kbuild,lab_warn.c} "$tmp/"
make -s -C "${KDIR:-/usr/src/linux-headers-$kver}" M="$tmp" modules >/dev/null ||
	{ echo "cannot build the test module"; exit 1; }
printf '#!/bin/bash\ninsmod /lab/files/lab_warn.ko\nexit 0\n' > "$tmp/script"
"$top/tools/lab/lab" run --quiet --log "$tmp/log" --copy "$tmp/lab_warn.ko" "$tmp/script"
rc=$?
grep -q 'lab_warn: deliberate warning' "$tmp/log" || { echo "the WARN never happened"; exit 1; }
[ $rc -ne 0 ] || { echo "lab run exited 0 despite a WARN"; exit 1; }
echo "lab run exited $rc"
