# SPDX-License-Identifier: GPL-2.0
#
# copy_bin SRC ROOT [DST]: copy the program SRC to ROOT/DST (default: the
# same path) together with every shared library it loads, including the
# dynamic loader itself, keeping soname symlinks.

copy_lib() {
	local lib=$1 root=$2 real
	[ -e "$root/$lib" ] && return 0
	mkdir -p "$root/$(dirname "$lib")"
	real=$(readlink -f "$lib")
	if [ "$(basename "$real")" != "$(basename "$lib")" ]; then
		cp "$real" "$root/$(dirname "$lib")/"
		ln -sf "$(basename "$real")" "$root/$lib"
	else
		cp "$lib" "$root/$lib"
	fi
}

copy_bin() {
	local src=$1 root=$2 dst=${3:-$1} lib
	mkdir -p "$root/$(dirname "$dst")"
	rm -f "$root/$dst"
	cp -L "$src" "$root/$dst"
	ldd "$src" 2>/dev/null |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
		while read -r lib; do
			copy_lib "$lib" "$root"
		done
}
