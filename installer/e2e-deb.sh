#!/usr/bin/env bash
# End-to-end test of the Linux package, as a user installs it: dpkg installs the .deb; the
# installed launcher opens the bundled sample project under Xvfb in smoke mode (the window with
# its map drawn, written to a PNG, exit 0); the screenshot must not be blank; dpkg purges the
# package and nothing of it may be left on the system. Prints the package's size, the installed
# size and the time from launch to window. Needs root (dpkg), xvfb-run and ImageMagick.
#
#   installer/e2e-deb.sh [PACKAGE.deb]     (default: the one installer/build.sh made)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls "$root"/installer/target/dist/protolens_*.deb 2>/dev/null | head -1)}
fail() { echo "e2e: FAILED: $*" >&2; exit 1; }
[ -f "$deb" ] || fail "no .deb to test (run installer/build.sh deb first)"
[ "$(id -u)" = 0 ] || fail "installing a package needs root"
for tool in dpkg xvfb-run identify; do
  command -v $tool >/dev/null || fail "$tool is missing (apt-get install xvfb imagemagick)"
done

# what of ProtoLens is on the system outside the package's own folder, to compare after purging
traces() {
  find /opt /usr/share/applications /usr/share/mime /usr/share/icons /usr/share/doc /usr/local/share /etc \
    -iname '*protolens*' 2>/dev/null | sort
}
if dpkg -s protolens >/dev/null 2>&1; then
  dpkg --purge protolens >/dev/null
fi
before=$(traces)

# the libraries the package depends on (GTK and the like) come from the system's repositories
depends=$(dpkg-deb -f "$deb" Depends)
apt-get satisfy -y -qq --no-install-recommends "$depends" >/dev/null 2>&1 \
  || echo "e2e: apt-get could not check the dependencies ($depends); dpkg will say what is missing"
dpkg -i "$deb"
launcher=/opt/protolens/bin/ProtoLens
[ -x $launcher ] || fail "$launcher is not installed"
if command -v xdg-desktop-menu >/dev/null && [ -d /etc/xdg/menus ] && [ -d /usr/share/desktop-directories ]; then
  ls /usr/share/applications/*protolens*.desktop >/dev/null 2>&1 || fail "no menu entry although the desktop has a menu"
  entry=$(ls /usr/share/applications/*protolens*.desktop)
  grep -q '^Exec=.* %f$' "$entry" || fail "$entry does not pass a double-clicked file to the launcher"
  [ "$(xdg-mime query default application/x-protolens-project)" = "$(basename "$entry")" ] \
    || fail "project files (application/x-protolens-project) do not open with ProtoLens"
  echo "e2e: menu entry $entry, project files open with it"
else
  echo "e2e: no desktop menu here (no xdg-utils, or no system menu: /etc/xdg/menus, /usr/share/desktop-directories): installed without a menu entry"
fi

# a home of its own: the app keeps the user's copy of the sample under XDG_DATA_HOME
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
start=$(date +%s%N)
# as a double click on a project file starts it: with the path of the sample's project.protolens
project=/opt/protolens/lib/app/sample-projects/cifar10-fewshot/project.protolens
[ -f $project ] || fail "the sample project is not installed ($project)"
# org.sqlite.tmpdir names a folder that is not there: the catalog opens only if SQLite's library is
# loaded from the app-image, as the launcher says, instead of being written to a temporary folder
JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$home/classes.txt -Dorg.sqlite.tmpdir=$home/no-such-folder" \
XDG_DATA_HOME="$home/data" xvfb-run -a -s "-screen 0 1280x800x24" $launcher --screenshot "$home/window.png" $project \
  > "$home/out.txt" 2> "$home/err.txt" || { cat "$home/out.txt" "$home/err.txt" >&2; fail "the installed launcher exited with an error"; }
wall=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$home/out.txt"
ready=$(sed -n 's/^window ready \([0-9]*\) ms.*/\1/p' "$home/out.txt")
[ -n "$ready" ] || fail "the launcher did not report a drawn window"
[ -f "$home/window.png" ] || fail "no screenshot written"
size=$(identify -format '%w %h' "$home/window.png")
colours=$(identify -format '%k' "$home/window.png")
echo "e2e: screenshot $size, $colours colours"
[ "${colours:-0}" -ge 64 ] || fail "the screenshot is blank ($colours colours)"
[ -d "$home/data/protolens/projects/cifar10-fewshot" ] || fail "the sample project was not opened as the user's copy"
# the app-image's AOT cache, where the build made one, is used where the package installed it
if grep -q 'AOTCache=' /opt/protolens/lib/app/ProtoLens.cfg; then
  grep -q '^\[.*\] org.protolens.Main source: shared objects file' "$home/classes.txt" \
    || fail "the launcher names an AOT cache but did not load ProtoLens's classes from it"
  echo "e2e: $(grep -c 'source: shared objects file' "$home/classes.txt") classes came from the AOT cache"
fi

installed=$(du -sm /opt/protolens | cut -f1)
dpkg --purge protolens
[ ! -e /opt/protolens ] || fail "/opt/protolens is left after purging"
after=$(traces)
[ "$before" = "$after" ] || fail "left after purging: $(diff <(echo "$before") <(echo "$after") | sed -n 's/^> //p' | tr '\n' ' ')"
echo "e2e: package $(( $(stat -c %s "$deb") / 1048576 )) MB, installed ${installed} MB, window ready ${ready} ms after launch (launcher to exit ${wall} ms)"
echo "e2e: passed"
