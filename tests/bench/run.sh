#!/usr/bin/env bash
# Benchmarks of ProtoLens, printing medians and ratios (see README, "Speed").
#   tests/bench/run.sh embedding   ResNet-18 at 224 px: model alone vs the whole pipeline from JPEG files
#   tests/bench/run.sh resnet20    the CIFAR sample's ResNet-20 (DJL's built-in blocks) against the same network traced to
#                                  TorchScript, run by ProtoLens and by PyTorch: forward passes alone, 32 px, batch 128,
#                                  one process per measurement, rounds alternating (ROUNDS, default 5)
#   tests/bench/run.sh live        JMH: re-predicting 100,000 x 512 embeddings, 100 classes, after one change, in rounds
#                                  alternating with one streaming pass over the same matrix in C (gcc, OpenMP)
#   tests/bench/run.sh open        opening a project of 100,000 x 512 embeddings (60 base, 40 new classes) in a fresh
#                                  JVM, as the window does before its first frame (ROUNDS processes)
#   tests/bench/run.sh spark       the Spark job in local mode (1 and 2 task slots) against protolens embed on the
#                                  CIFAR-10 test set with the CIFAR sample's backbone, whole processes, rounds alternating
#   tests/bench/run.sh parquet     the Spark job's Parquet output as the app reads it (Import Embeddings) against the same
#                                  rows as .npy; ROWS x DIM made-up embeddings (default 1,000,000 x 64) written by Spark
#   tests/bench/run.sh analysis    JMH: what the analysis tabs compute per change on 100,000 x 512 embeddings
#                                  (IMAGES and DIMS for another size, here and for 'window': IMAGES=1000000 DIMS=64)
#   tests/bench/run.sh saliency    ResNet-18 at 224 px: occlusion saliency (729 copies) batched and one at a time,
#                                  the standard probes per image, and the same occlusion in PyTorch
#   tests/bench/run.sh gradcam     the CIFAR sample's ResNet-20 at 32 px: Grad-CAM against occlusion per map, in
#                                  alternating rounds with the same Grad-CAM in PyTorch; memory after 2,000 more maps
#   tests/bench/run.sh window      the window with 100,000 images: map frame times (Canvas vs JFreeChart),
#                                  hover hit-test, alpha steps (JavaFX thread time, change to frame) and
#                                  a dragged alpha slider (needs xvfb-run for a display)
#   tests/bench/run.sh placement   placing images on a t-SNE or UMAP map (imports, and images beyond the 250,000 a map lays
#                                  out): the random-projection forest against measuring every laid-out image, time and the
#                                  share of the true 5 nearest found; Fashion-MNIST (installed with apt: 60,000 laid out,
#                                  10,000 placed) beside pynndescent (umap-learn's index) on the same search, then made-up
#                                  embeddings as at a million images (250,000 and 750,000)
#   tests/bench/run.sh peers       against the tools users would pick instead, in interleaved rounds on the same inputs:
#                                  the CIFAR-10 test set (10,000 images) embedded with the CIFAR sample's backbone and
#                                  laid out by `protolens map` and by Rtsne, uwot, umap-learn, umap-js and scikit-learn
#                                  (medians, ratios, trustworthiness, 10-NN accuracy); ProtoLens's embedding pipeline
#                                  against PyTorch's DataLoader on ResNet-18 (installs what it needs with apt and npm);
#                                  METHODS=pca (or tsne,umap) for some maps only, ROWS=100000 for more rows (the
#                                  embeddings repeated with 1% noise)
# Needs JDK 25 (JAVA_HOME), and for 'embedding' Debian's python3-torch and python3-torchvision
# (to write the TorchScript model) and ../shared/data/cifar10-jpg.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
./mvnw -q -B package -DskipTests
cp="tests/target/classes:$(cat tests/target/classpath.txt)"
work=tests/target/bench
mkdir -p "$work"
case "${1:-all}" in
  embedding|all)
    [ -f "$work/resnet18.pt" ] || /usr/bin/python3 tests/bench/make_resnet18.py "$work/resnet18.pt"
    [ -d "$work/cifar10-jpg" ] || tar -xzf "$root/../shared/data/cifar10-jpg.tar.gz" -C "$work"
    "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dai.djl.offline=true -cp "$cp" org.protolens.bench.EmbeddingThroughput \
      "$work/resnet18.pt" "$work/cifar10-jpg/test" "${COUNT:-640}" "${ROUNDS:-5}"
    ;;&
  saliency|all)
    [ -f "$work/resnet18.pt" ] || /usr/bin/python3 tests/bench/make_resnet18.py "$work/resnet18.pt"
    [ -d "$work/cifar10-jpg" ] || tar -xzf "$root/../shared/data/cifar10-jpg.tar.gz" -C "$work"
    "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dai.djl.offline=true -cp "$cp" org.protolens.bench.SaliencyBenchmark \
      "$work/resnet18.pt" "$work/cifar10-jpg/test" "${ROUNDS:-3}" "${PROBE_IMAGES:-8}"
    /usr/bin/python3 tests/bench/occlusion_peer.py "$work/resnet18.pt" "${ROUNDS:-3}"
    ;;&
  gradcam|all)
    [ -d "$work/cifar10-jpg" ] || tar -xzf "$root/../shared/data/cifar10-jpg.tar.gz" -C "$work"
    # rounds alternate between the two processes, so that a busy moment of the machine falls on both
    for r in $(seq "${ROUNDS:-3}"); do
      "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dai.djl.offline=true -cp "$cp" org.protolens.bench.GradCamBenchmark \
        sample-projects/cifar10-fewshot/backbone "$work/cifar10-jpg/test" 1 "${IMAGES:-20}" "$([ "$r" = 1 ] && echo 2000 || echo 0)"
      /usr/bin/python3 tests/bench/gradcam_peer.py 1 "${IMAGES:-20}" "${THREADS:-$(nproc)}"
    done
    ;;&
  resnet20|all)
    /usr/bin/python3 -c 'import torch' 2>/dev/null || { sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo); "${sudo[@]}" apt-get install -y -q python3-torch >/dev/null; }
    [ -f "$work/resnet20-traced.pt" ] || /usr/bin/python3 tests/bench/resnet20_peer.py trace "$work/resnet20-traced.pt"
    for r in $(seq "${ROUNDS:-5}"); do
      echo "round $r"
      "$java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "$cp" org.protolens.bench.ModelThroughput \
        sample-projects/cifar10-fewshot/backbone 2>/dev/null
      "$java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "$cp" org.protolens.bench.ModelThroughput \
        "$work/resnet20-traced.pt" 2>/dev/null
      /usr/bin/python3 tests/bench/resnet20_peer.py run "$work/resnet20-traced.pt"
    done
    ;;&
  live|all)
    # rounds alternate between the C floor (one streaming pass, 2 threads) and ProtoLens's updates,
    # so that a busy moment of the machine falls on both
    if ! command -v gcc >/dev/null; then
      sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
      "${sudo[@]}" apt-get install -y -q gcc libgomp1 >/dev/null
    fi
    gcc -O3 -march=native -ffast-math -fopenmp tests/bench/stream_pass.c -o "$work/stream_pass"
    for r in $(seq "${ROUNDS:-2}"); do
      OMP_NUM_THREADS="${THREADS:-$(nproc)}" "$work/stream_pass" 100000 512 60
      "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main LivePredictionsBenchmark
      OMP_NUM_THREADS="${THREADS:-$(nproc)}" "$work/stream_pass" 100000 512 60
    done
    ;;&
  open|all)
    for r in $(seq "${ROUNDS:-3}"); do
      "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -XX:G1HeapRegionSize=16m -cp "$cp" org.protolens.bench.OpenBenchmark \
        "$work/open-100k" 100000 512 1
    done
    ;;&
  spark|all)
    [ -d "$work/cifar10-jpg" ] || tar -xzf "$root/../shared/data/cifar10-jpg.tar.gz" -C "$work"
    /usr/bin/python3 tests/bench/spark_vs_embed.py "$java" sample-projects/cifar10-fewshot/backbone "$work/cifar10-jpg/test" \
      "$work" "${ROUNDS:-3}"
    ;;&
  parquet|all)
    # the Spark job's output read by the app (File > Import Embeddings), against the same rows as .npy
    out="$work/parquet-${ROWS:-1000000}x${DIM:-64}"
    if [ ! -d "$out/embeddings" ]; then
      spark_opts=$(sed -n 's/.*<spark.jvm.options>\(.*\)<\/spark.jvm.options>.*/\1/p' app/spark/pom.xml)
      # shellcheck disable=SC2086
      "$java" $spark_opts -Xmx4g -cp "$(cat app/spark/target/spark-classpath.txt)" tests/bench/WriteEmbeddingsParquet.java \
        "$out" "${ROWS:-1000000}" "${DIM:-64}"
    fi
    "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Xmx6g -cp "$cp" org.protolens.bench.ParquetReadBenchmark \
      "$out" "${ROUNDS:-5}"
    ;;&
  analysis|all)
    "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main AnalysisBenchmark \
      -p n="${IMAGES:-100000}" -p d="${DIMS:-512}"
    ;;&
  window|all)
    run=()
    [ -n "${DISPLAY:-}" ] || run=(xvfb-run -a -s "-screen 0 1280x800x24")
    "${run[@]}" "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Xmx6g -XX:G1HeapRegionSize=16m -Djavafx.animation.fullspeed=true \
      -Dprotolens.data="$work/user-data" -cp "$cp" org.protolens.bench.WindowBenchmark "$work" "${FRAMES:-120}" \
      "${IMAGES:-100000}" "${DIMS:-512}"
    ;;&
  placement|all)
    if [ ! -d /usr/share/datasets/fashion-mnist ]; then
      sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
      "${sudo[@]}" apt-get install -y -q dataset-fashion-mnist >/dev/null
    fi
    /usr/bin/python3 -c 'import pynndescent, sklearn' 2>/dev/null || { sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
      "${sudo[@]}" apt-get install -y -q python3-pynndescent python3-sklearn >/dev/null; }
    # the same search by pynndescent (umap-learn's index), between two runs of ProtoLens's
    for run in java python java; do
      if [ $run = java ]; then
        "$java" --add-modules=jdk.incubator.vector -Xmx10g -XX:G1HeapRegionSize=16m -cp "$cp" org.protolens.core.map.PlacementBenchmark \
          fashion "${ROUNDS:-3}"
      else
        /usr/bin/python3 tests/bench/placement_peer.py "${ROUNDS:-3}"
      fi
    done
    "$java" --add-modules=jdk.incubator.vector -Xmx10g -XX:G1HeapRegionSize=16m -cp "$cp" org.protolens.core.map.PlacementBenchmark \
      250000 750000 "${ROUNDS:-3}"
    ;;&
  peers|all)
    if ! Rscript -e 'library(Rtsne); library(uwot)' >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import sklearn, umap, torchvision' 2>/dev/null \
        || ! command -v npm >/dev/null; then
      sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
      "${sudo[@]}" apt-get install -y -q r-base-core r-cran-rtsne r-cran-uwot python3-sklearn umap-learn python3-torch \
        python3-torchvision nodejs npm >/dev/null
    fi
    [ -d "$work/node/node_modules/umap-js" ] || (mkdir -p "$work/node" && cd "$work/node" && npm install --silent --no-audit --no-fund umap-js@1)
    [ -d "$work/cifar10-jpg" ] || tar -xzf "$root/../shared/data/cifar10-jpg.tar.gz" -C "$work"
    [ -f "$work/cifar-test.npy" ] || "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dai.djl.offline=true -jar app/target/protolens.jar \
      embed --backbone sample-projects/cifar10-fewshot/backbone --images "$work/cifar10-jpg/test" --cache "$work/embed-cache" \
      --out "$work/cifar-test"
    NODE_PATH="$work/node/node_modules" /usr/bin/python3 tests/bench/maps_peers.py app/target/protolens.jar "$work/cifar-test.npy" \
      "$work/cifar-test.paths.txt" "$work/maps" "${ROUNDS:-3}" "${THREADS:-$(nproc)}"
    [ -f "$work/resnet18.pt" ] || /usr/bin/python3 tests/bench/make_resnet18.py "$work/resnet18.pt"
    /usr/bin/python3 tests/bench/dataloader_peer.py "$work/resnet18.pt" "$work/cifar10-jpg/test" "${COUNT:-640}" "${ROUNDS:-3}" \
      "${THREADS:-$(nproc)}" -- "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dai.djl.offline=true -cp "$cp" \
      org.protolens.bench.EmbeddingThroughput
    ;;&
  embedding|saliency|gradcam|resnet20|live|open|spark|parquet|analysis|window|placement|peers|all) ;;
  *) echo "usage: tests/bench/run.sh [embedding|saliency|gradcam|resnet20|live|open|spark|parquet|analysis|window|placement|peers|all]" >&2
     exit 2 ;;
esac
