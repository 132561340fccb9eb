"""The Spark job in local mode against `protolens embed` on the same images, whole processes.

Rounds alternate between the three runs (embed, Spark with 1 task slot, Spark with 2), so that a
busy moment of the machine falls on all of them. Prints each run's wall time and images per
second, the job's own time without Spark's start (job.json), and the medians and ratios.

usage: spark_vs_embed.py JAVA BACKBONE IMAGES WORK ROUNDS
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time


def main():
    java, backbone, images, work, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    with open("app/spark/pom.xml") as f:
        pom = f.read()
    spark_options = pom.split("<spark.jvm.options>")[1].split("</spark.jvm.options>")[0].split()
    with open("app/spark/target/spark-classpath.txt") as f:
        spark_classpath = f.read().strip()
    jars = ",".join(sorted(os.path.join("app/spark/target/lib", j) for j in os.listdir("app/spark/target/lib")))
    count = sum(len(files) for _, _, files in os.walk(images))
    common = [java, "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Dai.djl.offline=true"]

    def embed():
        out = os.path.join(work, "embed-out")
        subprocess.run(common + ["-jar", "app/target/protolens.jar", "embed", "--backbone", backbone, "--images", images,
                                 "--out", out, "--no-cache"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return None

    def spark(slots, torch_threads=None):
        out = os.path.join(work, "spark-out")
        shutil.rmtree(out, ignore_errors=True)
        threads = [] if torch_threads is None else ["-Dai.djl.pytorch.num_threads=%d" % torch_threads]
        with open(os.path.join(work, "spark-%d.log" % slots), "w") as log:
            subprocess.run(common + threads + spark_options + ["-cp", spark_classpath, "org.apache.spark.deploy.SparkSubmit",
                                                     "--master", "local[%d]" % slots, "--conf", "spark.ui.enabled=false",
                                                     "--class", "org.protolens.spark.EmbedJob", "--jars", jars,
                                                     "app/spark/target/protolens-spark.jar", "--backbone", backbone,
                                                     "--images", images, "--out", out],
                           check=True, stdout=log, stderr=log)
        with open(os.path.join(out, "job.json")) as f:
            return json.load(f)["seconds"]

    # libtorch's forward pass takes every core by default; with one libtorch thread per task, task
    # slots are what a cluster's executors add
    runs = {"protolens embed": embed, "Spark local[1]": lambda: spark(1), "Spark local[2]": lambda: spark(2),
            "local[1], 1 thread": lambda: spark(1, 1), "local[2], 1 thread": lambda: spark(2, 1)}
    wall = {k: [] for k in runs}
    job = {k: [] for k in runs}
    for r in range(1, rounds + 1):
        for name, run in runs.items():
            start = time.monotonic()
            inner = run()
            seconds = time.monotonic() - start
            wall[name].append(seconds)
            if inner is not None:
                job[name].append(inner)
            print("round %d  %-18s %7.2f s  %7.1f images/s%s" % (r, name, seconds, count / seconds,
                  "" if inner is None else "  (the job itself %.1f s, %.1f images/s)" % (inner, count / inner)), flush=True)
    print("\n%d images, %d rounds; medians:" % (count, rounds))
    base = statistics.median(wall["protolens embed"])
    for name in runs:
        m = statistics.median(wall[name])
        extra = "" if not job[name] else "; the job itself %.1f s (%.1f images/s)" % (
            statistics.median(job[name]), count / statistics.median(job[name]))
        print("  %-18s %7.2f s  %7.1f images/s  %.2fx embed's time%s" % (name, m, count / m, m / base, extra))
    for a, b in (("Spark local[1]", "Spark local[2]"), ("local[1], 1 thread", "local[2], 1 thread")):
        ratios = [x / y for x, y in zip(wall[a], wall[b])]
        print("  %s against %s, per round: %s as fast" % (b, a, ", ".join("%.2fx" % x for x in ratios)))


if __name__ == "__main__":
    main()
