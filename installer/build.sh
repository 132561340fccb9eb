#!/usr/bin/env bash
# Builds ProtoLens's installers with jpackage: an app-image (the application folder with its own
# Java 25 runtime, JavaFX, DJL's CPU libtorch, the sample projects and the icons), then the
# packages this system can make: .deb (and .rpm where rpmbuild is present) on Linux, .msi on
# Windows (WiX on the PATH), .dmg on macOS. Everything lands in installer/target/dist.
#
#   installer/build.sh                  build the jar, then the app-image and this system's packages
#   installer/build.sh deb              the app-image and only these packages (deb, rpm, msi, dmg)
#   installer/build.sh app-image        the app-image alone
#   PROTOLENS_SKIP_BUILD=1 ...          use the jar and libraries already in app/target
#   PROTOLENS_AOT=0 ...                 no AOT cache in the app-image (see aot_cache below)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. installer/jdk25.sh
if ! JAVA_HOME=$(jdk25); then
  echo "installer: no JDK 25 found (looked at \$JAVA_HOME and the usual places); set JAVA_HOME to one" >&2
  exit 1
fi
export JAVA_HOME
exe=""
case "$(uname -s)" in
  Linux) os=linux; fx=linux; types_here=deb; if command -v rpmbuild >/dev/null; then types_here="deb rpm"; fi ;;
  Darwin) os=mac; fx=mac; types_here=dmg ;;
  MINGW*|MSYS*|CYGWIN*) os=windows; fx=win; exe=.exe; types_here=msi ;;
  *) echo "installer: $(uname -s) is not a platform jpackage builds for" >&2; exit 1 ;;
esac
types=("$@")
[ ${#types[@]} -gt 0 ] || types=($types_here)
# every package is made from the app-image, built first
[ "${types[0]}" = app-image ] || types=(app-image "${types[@]}")

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
# installers want plain numbers: 0.1.0-SNAPSHOT installs as 0.1.0
app_version=${version%%-*}

if [ "${PROTOLENS_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -ntp package -DskipTests -pl app -am
fi
[ -f app/target/protolens.jar ] || { echo "installer: app/target/protolens.jar is missing (build it first)" >&2; exit 1; }

out=installer/target
rm -rf "$out/input" "$out/runtime" "$out/dist"
mkdir -p "$out/input/lib" "$out/dist"

# The application: the jar and its libraries for this platform only (natives of other platforms
# are left out); JavaFX goes into the runtime instead, as modules.
cp app/target/protolens.jar "$out/input/"
# the libraries the jar's manifest names (app/target/lib may hold stale ones from older builds)
classpath=$(unzip -p app/target/protolens.jar META-INF/MANIFEST.MF | tr -d '\r' | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' \
  | sed -n 's/^Class-Path: //p')
for entry in $classpath; do
  f=app/target/$entry
  b=$(basename "$f")
  case "$b" in
    javafx-*) continue ;;
    *-linux-x86_64.jar|*-linux-arm64.jar|*-linux-aarch64.jar) [ $os = linux ] || continue ;;
    *-macosx-*.jar|*-osx-*.jar) [ $os = mac ] || continue ;;
    *-windows-*.jar|*-win-*.jar) [ $os = windows ] || continue ;;
  esac
  cp "$f" "$out/input/lib/"
done
# SQLite's native library for this platform, unpacked once here: the launcher points sqlite-jdbc at it
# (org.sqlite.lib.path), which otherwise writes a copy of it to the temporary folder at every start
# (about 0.1 s; a copy is left behind whenever the app is killed). Without it, sqlite-jdbc does that again.
case "$(uname -m)" in
  x86_64|amd64|AMD64) sqlite_arch=x86_64 ;;
  aarch64|arm64) sqlite_arch=aarch64 ;;
  *) sqlite_arch="" ;;
esac
sqlite_os=$(case $os in linux) echo Linux ;; mac) echo Mac ;; windows) echo Windows ;; esac)
sqlite_jar=$(ls "$out"/input/lib/sqlite-jdbc-*.jar 2>/dev/null | head -1)
mkdir -p "$out/input/sqlite"
if [ -n "$sqlite_arch" ] && [ -n "$sqlite_jar" ]; then
  unzip -q -o -j "$sqlite_jar" "org/sqlite/native/$sqlite_os/$sqlite_arch/*" -d "$out/input/sqlite" 2>/dev/null \
    || echo "installer: no SQLite library for $sqlite_os/$sqlite_arch in $sqlite_jar: sqlite-jdbc unpacks it at each start" >&2
fi
# the sample projects, without anything a run left in them
mkdir -p "$out/input/sample-projects"
for p in sample-projects/*/; do
  name=$(basename "$p")
  mkdir -p "$out/input/sample-projects/$name"
  (cd "$p" && tar cf - --exclude='catalog.db*' --exclude=embedding-cache .) | (cd "$out/input/sample-projects/$name" && tar xf -)
done
cp sample-projects/README.md "$out/input/sample-projects/"

# A Java 25 runtime with what the app uses (jdeps) and JavaFX as modules.
cp_sep=$( [ $os = windows ] && echo ';' || echo ':')
fxjars=$(for entry in $classpath; do case "$entry" in lib/javafx-*-"$fx"*.jar) printf '%s%s' "app/target/$entry" "$cp_sep" ;; esac; done)
deps=$("$JAVA_HOME/bin/jdeps$exe" --print-module-deps --ignore-missing-deps --multi-release 25 --recursive \
  --class-path "$(ls "$out"/input/lib/*.jar | tr '\n' "$cp_sep")" "$out/input/protolens.jar")
modules="$deps,jdk.incubator.vector,java.logging,java.naming,java.net.http,java.xml,jdk.unsupported.desktop,jdk.zipfs,jdk.crypto.ec,jdk.charsets,javafx.base,javafx.graphics,javafx.controls,javafx.fxml,javafx.swing"
echo "installer: runtime modules $modules"
"$JAVA_HOME/bin/jlink$exe" --module-path "$fxjars" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress zip-6 --output "$out/runtime"
# JavaFX's native libraries where it looks first, so that it need not unpack them into the home folder
fxnatives="$out/runtime/lib"; [ $os = windows ] && fxnatives="$out/runtime/bin"
for jar in ${fxjars//$cp_sep/ }; do
  unzip -q -o -j "$jar" '*.so' '*.dylib' '*.dll' -d "$fxnatives" 2>/dev/null || true
done

# The app-image's AOT cache (JEP 483/514): one training run of the image's own launcher opens the
# bundled sample in smoke mode (window, map, screenshot, exit) and records the classes it loaded
# and linked; the launcher then starts with -XX:AOTCache, which brings the window up about 1.5x
# sooner. The cache belongs to this runtime and class path ($APPDIR-relative, so it survives
# installation elsewhere); where it cannot be used (another JVM, other heap settings) Java starts
# without it. The run needs a display: this one, or Xvfb on Linux.
aot_cache() {
  local image=$1 launcher cfg
  case $os in
    linux) launcher=$image/bin/ProtoLens; cfg=$image/lib/app/ProtoLens.cfg ;;
    mac) launcher=$image/Contents/MacOS/ProtoLens; cfg=$image/Contents/app/ProtoLens.cfg ;;
    windows) launcher=$image/ProtoLens.exe; cfg=$image/app/ProtoLens.cfg ;;
  esac
  local appdir cache run=()
  appdir=$(dirname "$cfg")
  cache=$appdir/protolens.aot
  if [ "${PROTOLENS_AOT:-1}" = 0 ]; then
    echo "installer: no AOT cache (PROTOLENS_AOT=0)"; return
  fi
  if [ $os = linux ] && [ -z "${DISPLAY:-}" ]; then
    if ! command -v xvfb-run >/dev/null; then
      echo "installer: no display and no xvfb-run: the app-image goes without its AOT cache (a slower start)" >&2; return
    fi
    run=(xvfb-run -a -s "-screen 0 1280x800x24")
  fi
  local home
  home=$(mktemp -d)
  # its own home, so that nothing of the training run is left in the builder's (preferences, the user's copy of the sample)
  if JAVA_TOOL_OPTIONS="-XX:AOTCacheOutput=$cache -Duser.home=$home" XDG_DATA_HOME="$home/data" \
      "${run[@]}" "$launcher" --screenshot "$home/window.png" > "$home/out.txt" 2>&1 && [ -s "$cache" ]; then
    echo 'java-options=-XX:AOTCache=$APPDIR/protolens.aot' >> "$cfg"
    echo "installer: AOT cache $(( $(stat -c %s "$cache" 2>/dev/null || stat -f %z "$cache") / 1048576 )) MB"
  else
    tail -n 20 "$home/out.txt" >&2
    rm -f "$cache" "$cache.config"
    echo "installer: the training run failed: the app-image goes without its AOT cache (a slower start)" >&2
  fi
  rm -rf "$home"
}

jpackage=("$JAVA_HOME/bin/jpackage$exe")
case $os in
  linux) icon=icons/protolens-256.png ;;
  mac) icon=icons/protolens.icns ;;
  windows) icon=icons/protolens.ico ;;
esac
for t in "${types[@]}"; do
  start=$(date +%s)
  if [ "$t" = app-image ]; then
    rm -rf "$out/dist/ProtoLens" "$out/dist/ProtoLens.app"
    "${jpackage[@]}" @installer/jpackage/metadata.args @installer/jpackage/launcher.args --type app-image --app-version "$app_version" \
      --input "$out/input" --runtime-image "$out/runtime" --icon "$icon" --dest "$out/dist"
    aot_cache "$out/dist/ProtoLens$( [ $os = mac ] && echo .app)"
  else
    image="$out/dist/ProtoLens"; [ $os = mac ] && image="$out/dist/ProtoLens.app"
    extra=(); [ -f "installer/jpackage/$t.args" ] && extra=("@installer/jpackage/$t.args")
    "${jpackage[@]}" @installer/jpackage/metadata.args @installer/jpackage/$os.args "${extra[@]}" --type "$t" --app-version "$app_version" \
      --app-image "$image" --dest "$out/dist"
  fi
  echo "installer: $t built in $(( $(date +%s) - start )) s"
done
ls -l "$out/dist"
