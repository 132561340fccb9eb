#!/usr/bin/env bash
# Screenshots of the window on a sample project, as the app draws it (smoke mode under Xvfb):
# light and dark, at 1024 x 700, 1280 x 800 and 1920 x 1080. Writes OUT_DIR/window-THEME-WxH.png
# (default OUT_DIR: tests/target/screenshots). Needs JDK 25, xvfb-run.
#
#   tests/screenshots.sh [OUT_DIR] [PROJECT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-tests/target/screenshots}
project=${2:-sample-projects/cifar10-fewshot}
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f app/target/protolens.jar ] || ./mvnw -q -B package -DskipTests -pl app -am
mkdir -p "$out"
for theme in light dark; do
  for size in 1024x700 1280x800 1920x1080; do
    home=$(mktemp -d)
    xvfb-run -a -s "-screen 0 ${size}x24" "$java" -Duser.home="$home" -Dprotolens.data="$home/data" \
      -Dprotolens.theme=$theme -Dprotolens.window=$size -jar app/target/protolens.jar \
      --screenshot "$out/window-$theme-$size.png" "$project" 2>/dev/null | grep "window ready"
    rm -rf "$home"
  done
done
