#!/usr/bin/env bash
# Renders the icons from their SVG sources: PNGs from 16 to 512 px (ImageMagick), a Windows .ico
# and a macOS .icns (PNG entries, written with Python's standard library) for the application and
# for project files.
set -euo pipefail
cd "$(dirname "$0")"
for name in protolens protolens-project; do
  for s in 16 32 48 64 128 256 512; do
    convert -background none -density 300 "$name.svg" -resize "${s}x${s}" "PNG32:$name-$s.png"
  done
  convert "$name-16.png" "$name-32.png" "$name-48.png" "$name-64.png" "$name-128.png" "$name-256.png" "$name.ico"
  /usr/bin/python3 - "$name" <<'PY'
import struct, sys
name = sys.argv[1]
# icns entry types that hold PNG data, by pixel size (ic10 is 512@2x; 512 serves as its source)
types = [("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512)]
body = b""
for t, s in types:
    png = open(f"{name}-{s}.png", "rb").read()
    body += t.encode() + struct.pack(">I", 8 + len(png)) + png
open(f"{name}.icns", "wb").write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
PY
done
