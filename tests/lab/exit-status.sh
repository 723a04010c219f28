#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `lab run` exits with the status of the script it ran in the guest, and
# passes the script its arguments.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/script" <<'SCRIPT'
#!/bin/bash
[ "$#" -eq 2 ] && [ "$1" = "two words" ] && [ "$2" = "x'y" ] || exit 9
[ -n "$RNFS_SRV1" ] && [ -n "$RNFS_SRV2" ] && [ -n "$RNFS_EXPORT" ] || exit 8
[ -d "$RNFS_BACKING" ] || exit 7
exit 3
SCRIPT
"$top/tools/lab/lab" run --quiet "$tmp/script" "two words" "x'y"
rc=$?
[ $rc -eq 3 ] || { echo "want exit status 3, got $rc"; exit 1; }
