# Sourced by .ci/run and installer/build.sh: jdk25 prints the home of a JDK 25 ($JAVA_HOME first).
jdk25() {
  local d
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 \
           /Library/Java/JavaVirtualMachines/temurin-25.jdk/Contents/Home; do
    if [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "25'; then
      echo "$d"; return 0
    fi
  done
  return 1
}
