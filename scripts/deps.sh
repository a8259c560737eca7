#!/bin/sh
# Installs the Debian packages of the given sections of scripts/packages.txt
# that are missing; does nothing when all are present.
set -eu
here=$(dirname "$0")
missing=""
for section in "$@"; do
  pkgs=$(awk -v s="[$section]" '/^\[/{on=($0==s); next} on && !/^#/ {print}' "$here/packages.txt")
  for p in $pkgs; do
    # a node from elsewhere (NodeSource's nodejs carries npm, and Debian's
    # npm would not install beside it) does as well as Debian's
    case $p in nodejs|npm)
      command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Packages with services (nginx for the benchmark) must not start them on
# install: a temporary policy-rc.d says so, removed afterwards.
prc=/usr/sbin/policy-rc.d
if [ ! -e $prc ]; then
  $sudo sh -c "printf '#!/bin/sh\nexit 101\n' > $prc && chmod +x $prc"
  trap "$sudo rm -f $prc" EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends $missing
