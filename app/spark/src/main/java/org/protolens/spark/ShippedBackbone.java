package org.protolens.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.DjlBackbone;
import org.protolens.core.embed.Preprocessing;

/**
 * A backbone as the job ships it to the executors: its files go with the job (Spark's file
 * distribution), so an executor needs no download and no shared storage, and it is opened from the
 * copy with the same loader as the app. Each executor keeps the backbones it opened for the tasks
 * that follow, one per task running at a time (a backbone is not thread-safe).
 *
 * @param kind        how the shipped files are opened
 * @param shipped     the file or folder name the executors find with {@link SparkFiles#get}
 * @param fingerprint the backbone's fingerprint on the driver; a copy that differs is refused
 * @param name        the backbone's name for people
 * @param dim         the embedding's length
 */
record ShippedBackbone(Kind kind, String shipped, String fingerprint, String name, int dim) implements Serializable {

    enum Kind { FOLDER, TORCHSCRIPT, ZOO }

    private static final ConcurrentHashMap<String, Queue<Backbone>> IDLE = new ConcurrentHashMap<>();

    /**
     * Opens the backbone on the driver (which checks it and downloads a zoo model once) and adds
     * its files to the job.
     *
     * @param spec a backbone folder, a TorchScript file with its MODEL.json, or a model URL, as
     *             {@code protolens embed --backbone} takes
     */
    static ShippedBackbone ship(SparkContext sc, String spec) throws IOException {
        try (Backbone b = BackboneLoader.open(spec, null, null)) {
            List<Path> files = new ArrayList<>();
            Kind kind;
            Path main;
            if (b instanceof DjlBackbone djl && !Files.exists(Path.of(spec))) {
                kind = Kind.ZOO;
                main = djl.model().getModelPath();
                files.add(main);
            } else {
                main = Path.of(spec).toAbsolutePath();
                kind = Files.isDirectory(main) ? Kind.FOLDER : Kind.TORCHSCRIPT;
                files.add(main);
                if (kind == Kind.TORCHSCRIPT) {
                    files.add(BackboneLoader.sidecarOf(main));
                }
            }
            for (Path f : files) {
                sc.addFile(f.toUri().toString(), Files.isDirectory(f));
            }
            return new ShippedBackbone(kind, main.getFileName().toString(), b.fingerprint(), b.name(), b.embeddingDim());
        }
    }

    /** A backbone for this task: one the executor opened before and is idle, or a new one. */
    Backbone take() throws IOException {
        Backbone idle = IDLE.computeIfAbsent(fingerprint, k -> new ConcurrentLinkedQueue<>()).poll();
        if (idle != null) {
            return idle;
        }
        Path copy = Path.of(SparkFiles.get(shipped));
        Backbone b = switch (kind) {
            case FOLDER -> BackboneLoader.folder(copy, null);
            case TORCHSCRIPT -> BackboneLoader.torchScript(copy, null);
            case ZOO -> BackboneLoader.zoo(copy.toUri().toString(), Preprocessing.imagenet(224), null);
        };
        if (!b.fingerprint().equals(fingerprint)) {
            String got = b.fingerprint();
            b.close();
            throw new IOException(copy + ": the executor's copy of the backbone " + name + " has the fingerprint " + got
                    + ", the driver's " + fingerprint + "; its files changed while the job was starting");
        }
        return b;
    }

    /** Keeps a backbone for the executor's next task. */
    void giveBack(Backbone b) {
        IDLE.computeIfAbsent(fingerprint, k -> new ConcurrentLinkedQueue<>()).add(b);
    }
}
