#!/bin/sh
# make install: scripts/install.sh VIGIL DESTDIR PREFIX
# Copies the binary to DESTDIR/PREFIX/bin and writes its man page, vigil(1),
# to DESTDIR/PREFIX/share/man/man1, made from the binary's own help texts
# ('vigil --help' and 'vigil COMMAND --help'), so the page says what this
# build does. No root needed when PREFIX is writable.
set -eu
vigil=$1 destdir=$2 prefix=$3
bin="$destdir$prefix/bin"
man="$destdir$prefix/share/man/man1"
mkdir -p "$bin" "$man" || {
	echo "make install: cannot create '$bin' or '$man'; choose a PREFIX you can write to, e.g. make install PREFIX=\$HOME/.local" >&2
	exit 1
}
install -m 755 "$vigil" "$bin/vigil"

# troff: a backslash is \e, a line starting with '.' or "'" is escaped
esc() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }
version=$("$vigil" --version | sed 's/^vigil //')
commands=$("$vigil" --help | awk '/^commands:/ {on = 1; next} /^$/ {on = 0}
	on && $1 != "help" {print $1}')
{
	echo ".TH VIGIL 1 \"\" \"vigil $version\" \"User Commands\""
	echo ".SH NAME"
	echo "vigil \\- STIX 2.1 / TAXII 2.1 intelligence-sharing and travel-screening hub"
	echo ".SH SYNOPSIS"
	echo ".B vigil"
	echo "[\\-\\-data DIR] [\\-\\-purpose TEXT] COMMAND [ARGS]"
	echo ".SH DESCRIPTION"
	echo ".nf"
	"$vigil" --help | esc
	echo ".fi"
	for c in $commands; do
		echo ".SH \"vigil $c\""
		echo ".nf"
		"$vigil" "$c" --help | esc
		echo ".fi"
	done
	echo ".SH FILES"
	echo "./vigil-data (or \\-\\-data DIR, \$VIGIL_DATA): the store; DIR/vigil.conf: the server's settings."
	echo ".SH SEE ALSO"
	echo "The documents in docs/ of the source tree: operating.md, api.md, configuration.md, screening.md, security.md."
} >"$man/vigil.1"
chmod 644 "$man/vigil.1"
echo "installed $bin/vigil and $man/vigil.1"
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) [ -z "$destdir" ] && echo "note: $prefix/bin is not on your PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
exit 0
