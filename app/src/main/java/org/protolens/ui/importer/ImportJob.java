package org.protolens.ui.importer;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.EmbeddingCache;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.project.ImportPlan;

/**
 * Embeds import items off the JavaFX thread. Each batch is handed to {@code onBatch} on the JavaFX
 * thread as soon as it is embedded, so points appear while the rest is still running; files that
 * cannot be read are collected, the rest goes on. Cancelling keeps what was embedded so far.
 */
public final class ImportJob extends Task<ImportJob.Outcome> {
    /** What happened: images added, files that failed (with the reason), whether it was cancelled. */
    public record Outcome(int added, List<EmbeddingPipeline.Failure> failures, boolean cancelled) {
    }

    /** Receives one embedded batch on the JavaFX thread. */
    public interface Batch {
        void accept(List<ImportPlan.Item> items, List<byte[]> sha256, FloatMatrix rows);
    }

    private final List<ImportPlan.Item> items;
    private final Supplier<Backbone> backbone;
    private final EmbeddingCache cache;
    private final Batch onBatch;

    /**
     * @param backbone gives the project's backbone (loaded on first use, on this job's thread)
     * @param cache    the project's embedding cache: images embedded before cost nothing
     */
    public ImportJob(List<ImportPlan.Item> items, Supplier<Backbone> backbone, EmbeddingCache cache, Batch onBatch) {
        this.items = List.copyOf(items);
        this.backbone = backbone;
        this.cache = cache;
        this.onBatch = onBatch;
    }

    @Override
    protected Outcome call() throws Exception {
        int total = items.size();
        updateMessage("Loading the backbone to import " + total + " images…");
        updateProgress(-1, 1);
        Backbone b = backbone.get();
        Map<Path, Deque<ImportPlan.Item>> byPath = new HashMap<>();
        List<Path> files = new ArrayList<>(total);
        for (ImportPlan.Item it : items) {
            byPath.computeIfAbsent(it.file(), p -> new ArrayDeque<>()).add(it);
            files.add(it.file());
        }
        List<EmbeddingPipeline.Failure> failures = new ArrayList<>();
        int[] added = {0};
        EmbeddingPipeline pipeline = new EmbeddingPipeline(b, cache, 32, EmbeddingPipeline.defaultDecodeThreads());
        try {
            pipeline.embed(files, new EmbeddingPipeline.Listener() {
                @Override
                public void progress(int done, int all) {
                    updateProgress(done, all);
                    updateMessage("Importing: " + done + " of " + all + " images embedded"
                            + (failures.isEmpty() ? "" : ", " + failures.size() + " unreadable"));
                }

                @Override
                public void failed(EmbeddingPipeline.Failure failure) {
                    failures.add(failure);
                }

                @Override
                public void embedded(List<Path> paths, List<byte[]> sha256, FloatMatrix rows) {
                    List<ImportPlan.Item> batch = new ArrayList<>(paths.size());
                    for (Path p : paths) {
                        batch.add(byPath.get(p).removeFirst());
                    }
                    added[0] += batch.size();
                    Platform.runLater(() -> onBatch.accept(batch, sha256, rows));
                }
            }, this::isCancelled);
        } catch (java.util.concurrent.CancellationException e) {
            return new Outcome(added[0], failures, true);
        }
        return new Outcome(added[0], failures, false);
    }
}
