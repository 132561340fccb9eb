package org.protolens.ui.importer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.interop.ProjectExport;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.History;
import org.protolens.core.project.ImportPlan;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;

/**
 * Imports dropped or chosen files and folders into the open project: the folders are walked in
 * the background, the person is asked how the images join (the import dialog), then they are
 * embedded with the project's backbone on the import lane, one import after another, listed with
 * progress and cancel. Each embedded batch joins the workspace at once (the points appear on the
 * map), as one undoable import; files that cannot be read are listed and the rest goes in.
 */
public final class Importer {
    /** What happened: images added, files that failed (with the reason), whether it was cancelled. */
    public record Outcome(int added, List<EmbeddingPipeline.Failure> failures, boolean cancelled) {
    }

    private final ProjectState project;
    private final Commands commands;
    private final Tasks tasks;
    private final Supplier<Window> owner;
    private Consumer<Refused> newProjectFor;
    private Runnable onFinished = () -> { };
    private int running;

    public Importer(ProjectState project, Commands commands, Tasks tasks, Supplier<Window> owner) {
        this.project = project;
        this.commands = commands;
        this.tasks = tasks;
        this.owner = owner;
    }

    /**
     * Rows refused because another backbone made them.
     *
     * @param rows        what the person chose (X.npy, a job's job.json, a .parquet file)
     * @param imagesRoot  where their images are, or null (their paths as written)
     * @param fingerprint the fingerprint of the backbone that made them
     */
    public record Refused(Path rows, Path imagesRoot, String fingerprint) {
    }

    /** What the refusal notice's New Project button does when rows of another backbone are refused: makes a project for them. */
    public void setOnOtherBackbone(Consumer<Refused> newProject) {
        this.newProjectFor = newProject;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> kind) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return kind.cast(t);
            }
        }
        return null;
    }

    /** What happens when the last queued import has finished (the map is laid out again). */
    public void setOnFinished(Runnable action) {
        onFinished = action;
    }

    /** Whether an import is queued or running. */
    public boolean busy() {
        return running > 0;
    }

    /** Plans the import of {@code files} in the background, asks how they join, and queues their embedding. */
    public void importFiles(List<Path> files) {
        WorkspaceState s = project.workspace().get();
        OpenProject open = commands.project();
        if (s == null || open == null) {
            project.notices().problem(Messages.get("import.noProject"), List.of());
            return;
        }
        Path dir = s.dir();
        List<String> paths = s.imagePaths();
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("import.planning"), job -> {
            Set<Path> present = new HashSet<>();
            for (String p : paths) {
                present.add(dir.resolve(p).toAbsolutePath().normalize());
            }
            return ImportPlan.of(files, present);
            // the question waits for the person: it is asked after the job is done, not inside it
        }).onDone(plan -> Platform.runLater(() -> ask(open, plan, files)))
                .onFailure(e -> project.notices().problem(Messages.get("import.nothing"), List.of(String.valueOf(e.getMessage())))), false);
    }

    /** Asks how a planned import joins the project (the JavaFX thread), then queues its embedding. */
    private void ask(OpenProject open, ImportPlan plan, List<Path> dropped) {
        WorkspaceState s = project.workspace().get();
        if (s == null || commands.project() != open) {
            return;
        }
        List<String> skipped = plan.skipped().stream().map(sk -> sk.file() + ": " + sk.reason()).toList();
        if (plan.imageCount() == 0) {
            project.notices().problem(Messages.get("import.noImages"), skipped.isEmpty()
                    ? dropped.stream().map(f -> Messages.get("import.noImagesIn", f)).toList() : skipped);
            return;
        }
        Map<String, Workspace.Kind> existing = new LinkedHashMap<>();
        for (int k = 0; k < s.classCount(); k++) {
            existing.put(s.classNames().get(k), s.kind(k));
        }
        ImportDialog.ask(owner.get(), plan, s.dir(), existing).ifPresent(a -> embed(open, a.items(), skipped, a.copy()));
    }

    /**
     * Queues the embedding of planned items; each batch joins the workspace as it is embedded. A
     * cancelled import says how many images it kept, once its last batch has joined.
     */
    public Tasks.Job<Outcome> embed(OpenProject open, List<ImportPlan.Item> items, List<String> skipped) {
        return embed(open, items, skipped, false);
    }

    /**
     * The same, with the images outside the project folder copied into it first when {@code copy}
     * ({@link ImportPlan#copiedInto}): a file that cannot be copied is listed and left out.
     */
    public Tasks.Job<Outcome> embed(OpenProject open, List<ImportPlan.Item> items, List<String> skipped, boolean copy) {
        Object token = new Object();
        int total = items.size();
        int[] joined = {0};
        // filled on the import lane before the job ends; read by its handler after
        List<String> uncopied = new ArrayList<>();
        WorkspaceState shown = project.workspace().get();
        Path projectDir = shown == null ? null : shown.dir();
        // 0: not started, 1: started, 2: cancelled before it started
        AtomicInteger begun = new AtomicInteger();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Tasks.Job<Outcome> job = tasks.job(Tasks.Lane.IMPORT, Messages.get("import.job", total), j -> {
            if (!begun.compareAndSet(0, 1)) {
                return null;
            }
            try {
                List<ImportPlan.Item> taken = items;
                if (copy && projectDir != null) {
                    j.say(Messages.get("import.copying", total));
                    j.progress(0, -1);
                    List<ImportPlan.NotCopied> notCopied = new ArrayList<>();
                    taken = ImportPlan.copiedInto(projectDir, items, notCopied, j::isCancelled);
                    notCopied.forEach(f -> uncopied.add(f.file() + ": " + f.reason()));
                }
                return embedAll(open, taken, token, joined, j);
            } finally {
                ended.complete(null);
            }
        });
        // with the files skipped before the import began
        Runnable sayKept = () -> project.notices().note(Messages.get("import.cancelled", joined[0], total), skipped);
        running++;
        job.onDone(o -> finished(o, Stream.concat(skipped.stream(), uncopied.stream()).toList()))
                .onFailure(e -> {
                    project.notices().problem(Messages.get("import.stopped"), List.of(String.valueOf(e.getMessage())));
                    finished(null, skipped);
                })
                .onCancel(() -> {
                    finished(null, List.of());
                    if (begun.compareAndSet(0, 2)) {
                        sayKept.run();
                    } else {
                        // once the batches embedded before the cancel have joined
                        ended.thenRun(() -> tasks.later(() -> commands.settled().thenRun(sayKept)));
                    }
                });
        return tasks.start(job, true);
    }

    private Outcome embedAll(OpenProject open, List<ImportPlan.Item> items, Object token, int[] joined, Tasks.Progress j)
            throws Exception {
        int total = items.size();
        j.say(Messages.get("import.loading", total));
        j.progress(0, -1);
        var backbone = open.backbone();
        ImportPlan.Progress progress = new ImportPlan.Progress(items);
        List<Path> files = items.stream().map(ImportPlan.Item::file).toList();
        List<EmbeddingPipeline.Failure> failures = new ArrayList<>();
        int[] added = {0};
        EmbeddingPipeline pipeline = new EmbeddingPipeline(backbone, open.cache(), 32, EmbeddingPipeline.defaultDecodeThreads());
        try {
            pipeline.embed(files, new EmbeddingPipeline.Listener() {
                @Override
                public void progress(int done, int all) {
                    j.progress(done, all);
                    j.say(Messages.get("import.progress", done, all, failures.size()));
                }

                @Override
                public void failed(EmbeddingPipeline.Failure failure) {
                    failures.add(failure);
                    progress.failed(failure.file());
                }

                @Override
                public void embedded(List<Path> paths, List<byte[]> sha256, FloatMatrix rows) {
                    List<ImportPlan.Item> batch = progress.embedded(paths);
                    added[0] += batch.size();
                    tasks.later(() -> {
                        if (commands.project() == open) {
                            joined[0] += batch.size();
                            commands.imported(token, batch, sha256, rows);
                        }
                    });
                }
            }, j::isCancelled);
        } catch (CancellationException e) {
            return new Outcome(added[0], failures, true);
        }
        return new Outcome(added[0], failures, false);
    }

    private void finished(Outcome outcome, List<String> skipped) {
        running--;
        List<String> lines = new ArrayList<>(skipped);
        if (outcome != null) {
            outcome.failures().forEach(f -> lines.add(f.file() + ": " + f.problem()));
        }
        if (!lines.isEmpty()) {
            project.notices().problem(Messages.get("import.failedFiles", lines.size()), lines);
        }
        if (running == 0) {
            // once the last batches are in the workspace
            commands.settled().thenRun(() -> {
                if (running == 0) {
                    onFinished.run();
                }
            });
        }
    }

    /**
     * File > Import Embeddings, once the person has chosen what: for the Parquet output of a Spark
     * job that read its images from a cluster's storage (job.json names a root that is not a folder
     * here), asks first where those images are on this computer; then {@link #importEmbeddings(Path, Path)}.
     */
    public void chooseAndImportEmbeddings(Path chosen, Path startIn) {
        Path root = null;
        if (EmbeddingsImport.isParquet(chosen)) {
            String remote;
            try {
                remote = EmbeddingsImport.remoteImagesRoot(chosen);
            } catch (IOException e) {
                project.notices().problem(Messages.get("embeddingsImport.failed", chosen.getFileName()), List.of(e.getMessage()));
                return;
            }
            if (remote != null) {
                DirectoryChooser where = new DirectoryChooser();
                where.setTitle(Messages.get("embeddingsImport.where", remote));
                if (startIn != null && Files.isDirectory(startIn)) {
                    where.setInitialDirectory(startIn.toFile());
                }
                File folder = where.showDialog(owner.get());
                if (folder == null) {
                    return;
                }
                root = folder.toPath();
            }
        }
        importEmbeddings(chosen, root);
    }

    /**
     * Rows embedded elsewhere by this project's backbone join as one undoable import, without
     * being embedded again: {@code X.npy} with {@code X.paths.txt}, {@code X.json} and, if there is
     * one, {@code X.labels.csv}; or Parquet rows (a Spark job's output, with their images below
     * {@code imagesRoot} when given). The files are read and each image hashed in the background
     * (listed, with progress and cancel); rows of another backbone are refused with a notice naming
     * the file, unreadable or changed images and those in the project already are listed and left
     * out, the rest goes in.
     */
    public void importEmbeddings(Path npy, Path imagesRoot) {
        WorkspaceState s = project.workspace().get();
        OpenProject open = commands.project();
        if (s == null || open == null) {
            project.notices().problem(Messages.get("import.noProject"), List.of());
            return;
        }
        String name = EmbeddingsImport.nameOf(npy);
        running++;
        tasks.start(tasks.job(Tasks.Lane.IMPORT, Messages.get("embeddingsImport.job", name), j -> {
            j.say(Messages.get("embeddingsImport.reading", name));
            j.progress(0, -1);
            EmbeddingsImport.Source source = EmbeddingsImport.read(npy, imagesRoot);
            j.say(Messages.get("embeddingsImport.hashing", source.files().size()));
            return EmbeddingsImport.prepare(open, s, source, j::progress, j::isCancelled);
        }).onDone(prepared -> {
            WorkspaceState now = project.workspace().get();
            if (commands.project() != open || now == null) {
                finished(null, List.of());
                return;
            }
            EmbeddingsImport.Prepared taken = prepared.notIn(now);
            if (taken.items().isEmpty()) {
                project.notices().problem(Messages.get("embeddingsImport.none", name), taken.skipped());
                finished(null, List.of());
                return;
            }
            commands.imported(new Object(), taken.items(), taken.sha256(), taken.rows()).whenComplete((v, e) -> {
                if (e != null) {
                    project.notices().problem(Messages.get("embeddingsImport.failed", name), List.of(String.valueOf(e.getMessage())));
                } else if (taken.skipped().isEmpty()) {
                    project.notices().note(Messages.get("embeddingsImport.done", taken.items().size(), name), List.of());
                } else {
                    project.notices().problem(Messages.get("embeddingsImport.doneSkipped", taken.items().size(), name,
                            taken.skipped().size()), taken.skipped());
                }
                finished(null, List.of());
            });
        }).onFailure(e -> {
            EmbeddingsImport.OtherBackboneException other = causeOf(e, EmbeddingsImport.OtherBackboneException.class);
            if (other != null && newProjectFor != null) {
                // the way on: a project of the backbone that made them, which then takes them
                project.notices().problem(Messages.get("embeddingsImport.failed", name), List.of(String.valueOf(e.getMessage())),
                        Messages.get("embeddingsImport.newProject"),
                        () -> newProjectFor.accept(new Refused(npy, imagesRoot, other.fingerprint())));
            } else {
                project.notices().problem(Messages.get("embeddingsImport.failed", name), List.of(String.valueOf(e.getMessage())));
            }
            finished(null, List.of());
        }).onCancel(() -> finished(null, List.of())), true);
    }

    /**
     * File > Import Labels: reads {@code path,label} rows in the background and applies them as one
     * undoable edit; a file with any problem is listed line by line and nothing of it is applied.
     */
    public void importLabels(Path file) {
        WorkspaceState s = project.workspace().get();
        if (s == null) {
            return;
        }
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("labels.reading", file.getFileName()), j -> ProjectExport.readLabels(s, file))
                .onDone(read -> commands.edit(History.assign(Messages.get("edit.labelsFrom", read.images().length, file.getFileName()),
                        read.images(), read.labels())).whenComplete((v, e) -> {
                            if (e != null) {
                                project.notices().problem(Messages.get("labels.none"), List.of(file + ": " + e.getMessage()));
                            } else {
                                project.notices().note(Messages.get("labels.done", read.images().length, file.getFileName()), List.of());
                            }
                        }))
                .onFailure(e -> {
                    if (e instanceof ProjectExport.LabelsException le) {
                        project.notices().problem(Messages.get("labels.problems", file.getFileName(), le.problems().size()), le.problems());
                    } else {
                        project.notices().problem(Messages.get("labels.none"), List.of(file + ": " + e.getMessage()));
                    }
                }), false);
    }
}
