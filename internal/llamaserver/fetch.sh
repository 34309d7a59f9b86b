#!/usr/bin/env bash
# Fetches llama.cpp's llama-server and writes a tiny model for the tests
# that run llmsam against a real inference server.
#
#	internal/llamaserver/fetch.sh [DIR]
#
# DIR (default: .cache/llamaserver at the project root, ignored by git) gets
#
#	sysroot/  Debian sid's llama.cpp-tools, libllama0, libggml0 and the C and
#	          C++ libraries they need, unpacked with dpkg -x (Debian 12 has no
#	          llama.cpp, and sid's needs sid's C library: it runs with sid's
#	          loader, see server.go)
#	python/   this system's python3-numpy and python3-yaml, unpacked, for
#	          sid's python3-gguf (in sysroot/) that writes the model
#	tiny-qwen2.gguf  the model tinymodel.py writes (byte-identical for the
#	          same inputs)
#	READY     the server's version, the packages and the model's SHA-256;
#	          PACKAGES and MODEL say what the cached files were made from
#
# Packages come from the Debian mirror the system's own APT sources name
# (or $LLMSAM_DEBIAN_MIRROR), through a private APT configuration in DIR/apt: the system's APT state is
# neither read nor changed, and root is not needed. A second run reuses
# what is there and fetches nothing.
#
# When something cannot be had, the script says what, writes it to
# DIR/UNAVAILABLE (the tests skip with that message) and exits 1.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:-${LLMSAM_LLAMA_DIR:-$root/.cache/llamaserver}}
mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || exit 1

# sid's server and the libraries it links (checked below with sid's loader).
sid_pkgs="llama.cpp-tools libllama0 libggml0 python3-gguf libc6 libstdc++6 libgcc-s1 libgomp1 libssl3t64 libzstd1 zlib1g"
# The system's own Python modules that sid's gguf writer imports, and the
# libraries numpy links (present on most systems, fetched to be sure).
host_pkgs="python3-numpy python3-yaml libblas3 liblapack3 libgfortran5 libquadmath0 libyaml-0-2"
model=tiny-qwen2.gguf
packages="sid: $sid_pkgs | host: $host_pkgs"
generator=$(sha256sum "$here/tinymodel.py" | cut -d' ' -f1)
lib=$dir/sysroot/usr/lib/x86_64-linux-gnu
loader=$lib/ld-linux-x86-64.so.2

unavailable() {
	local msg="llama-server unavailable: $*"
	printf '%s\n' "$msg" >"$dir/UNAVAILABLE"
	rm -f "$dir/READY"
	printf '%s\n' "$msg" >&2
	exit 1
}

# What a previous run left: the packages (PACKAGES names them) and the model
# (MODEL holds the SHA-256 of the tinymodel.py that wrote it).
have_packages=false have_model=false
[ "$(cat "$dir/PACKAGES" 2>/dev/null)" = "$packages" ] && [ -x "$dir/sysroot/usr/bin/llama-server" ] && have_packages=true
$have_packages && [ "$(cat "$dir/MODEL" 2>/dev/null)" = "$generator" ] && [ -f "$dir/$model" ] && have_model=true
if $have_model && [ -f "$dir/READY" ]; then
	echo "llama-server: ready in $dir (cached)"
	exit 0
fi
rm -f "$dir/READY" "$dir/UNAVAILABLE"
start=$(date +%s)

for tool in dpkg sha256sum; do
	command -v "$tool" >/dev/null || unavailable "$tool not found (a Debian system is needed)"
done
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3) || unavailable "python3 not found (apt-get install python3), needed to write the model"
pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
log=$dir/fetch.log
: >"$log"

# fetch_packages fetches and unpacks the packages into sysroot/ and python/.
fetch_packages() {
	command -v apt-get >/dev/null || unavailable "apt-get not found (a Debian system is needed)"
	# The mirror the system already uses ($LLMSAM_DEBIAN_MIRROR overrides it),
	# and its release for the Python modules.
	mirror=${LLMSAM_DEBIAN_MIRROR:-}
	[ -n "$mirror" ] || mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	[ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || unavailable "no VERSION_CODENAME in /etc/os-release: not a Debian system?"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f "$keyring" ] || unavailable "$keyring not found (apt-get install debian-archive-keyring)"

	apt=$dir/apt
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" "$apt/preferences.d" "$dir/debs"
	: >"$apt/status"
	cat >"$apt/sources.list" <<-EOF
	deb [arch=amd64 signed-by=$keyring] $mirror sid main
	deb [arch=amd64 signed-by=$keyring] $mirror $codename main
	EOF
	cat >"$apt/apt.conf" <<-EOF
	Dir::Etc::SourceList "$apt/sources.list";
	Dir::Etc::SourceParts "$apt/sources.list.d";
	Dir::Etc::Preferences "$apt/preferences";
	Dir::Etc::PreferencesParts "$apt/preferences.d";
	Dir::State::Lists "$apt/lists";
	Dir::State::status "$apt/status";
	Dir::Cache "$apt/cache";
	Acquire::Languages "none";
	Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";
	Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled "false";
	Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled "false";
	APT::Sandbox::User "$(id -un)";
	EOF
	export APT_CONFIG=$apt/apt.conf

	echo "llama-server: fetching Debian sid's llama.cpp packages from $mirror into $dir"
	# apt-get update exits 0 when an index could not be fetched; its errors say so.
	if ! apt-get -q update >>"$log" 2>&1 || grep -q -E '^(E|W): Failed to fetch|^E: ' "$log"; then
		unavailable "apt-get update of $mirror sid and $codename failed: $(grep -m2 -E '^(E|W):' "$log" | tr '\n' ' ')(log: $log)"
	fi

	# download PKG/RELEASE... into debs/, naming every package that failed.
	download() {
		local missing="" p
		(cd "$dir/debs" && apt-get -q download "$@" >>"$log" 2>&1) && return 0
		for p in "$@"; do
			(cd "$dir/debs" && apt-get -q download "$p" >>"$log" 2>&1) || missing="$missing ${p%/*}"
		done
		[ -z "$missing" ] || unavailable "could not fetch${missing} from $mirror (log: $log)"
	}
	rm -f "$dir/debs/"*.deb
	sid_args=() host_args=()
	for p in $sid_pkgs; do sid_args+=("$p/sid"); done
	for p in $host_pkgs; do host_args+=("$p/$codename"); done
	download "${sid_args[@]}"
	download "${host_args[@]}"

	rm -rf "$dir/sysroot" "$dir/python" "$dir/PACKAGES" "$dir/MODEL"
	for p in $sid_pkgs; do
		dpkg -x "$dir/debs/${p}_"*.deb "$dir/sysroot" || unavailable "could not unpack $p"
	done
	for p in $host_pkgs; do
		dpkg -x "$dir/debs/${p}_"*.deb "$dir/python" || unavailable "could not unpack $p"
	done
	(cd "$dir/debs" && ls) | tr '\n' ' ' >"$dir/debs.txt"

	# Every library the server links must be in the sysroot (sid moves: a later
	# llama.cpp may need a package this list lacks).
	[ -x "$dir/sysroot/usr/bin/llama-server" ] || unavailable "llama.cpp-tools has no usr/bin/llama-server"
	[ -x "$loader" ] || unavailable "sid's libc6 has no $loader"
	missing=$("$loader" --library-path "$lib:$lib/llama" --list "$dir/sysroot/usr/bin/llama-server" 2>&1 | sed -n 's/^[[:space:]]*\([^[:space:]]*\) => not found.*/\1/p' | tr '\n' ' ')
	[ -z "$missing" ] || unavailable "llama-server needs libraries no fetched package has: $missing(add their sid packages to sid_pkgs in $0)"
	[ -f "$lib/ggml/backends0/libggml-cpu-x64.so" ] || unavailable "libggml0 has no ggml/backends0/libggml-cpu-x64.so (the CPU backend)"
	rm -rf "$dir/debs" "$apt/cache/archives/"*.deb
	printf '%s\n' "$packages" >"$dir/PACKAGES"
}
$have_packages || fetch_packages
version=$(GGML_BACKEND_PATH="$lib/ggml/backends0/libggml-cpu-x64.so" "$loader" --library-path "$lib:$lib/llama" "$dir/sysroot/usr/bin/llama-server" --version 2>&1 | grep -m1 version) ||
	unavailable "llama-server does not start: $("$loader" --library-path "$lib:$lib/llama" "$dir/sysroot/usr/bin/llama-server" --version 2>&1 | tail -2 | tr '\n' ' ')"

# The model.
pypath=$dir/python/usr/lib/python3/dist-packages:$dir/sysroot/usr/lib/python3/dist-packages
pylib=$dir/python/usr/lib/x86_64-linux-gnu
if ! PYTHONPATH=$pypath LD_LIBRARY_PATH=$pylib:$pylib/blas:$pylib/lapack${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
	"$python" "$here/tinymodel.py" "$dir/$model.tmp" >>"$log" 2>&1; then
	unavailable "tinymodel.py failed with $python (Python $pyver): $(tail -1 "$log") (log: $log)"
fi
mv "$dir/$model.tmp" "$dir/$model"
printf '%s\n' "$generator" >"$dir/MODEL"
sum=$(sha256sum "$dir/$model" | cut -d' ' -f1)

{
	echo "server: $version"
	echo "packages: $(cat "$dir/debs.txt")"
	echo "model: $model $sum"
} >"$dir/READY"
echo "llama-server: ready in $dir in $(($(date +%s) - start)) s ($version; $model sha256 $sum)"
