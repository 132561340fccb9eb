package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.io.AtomicFiles;

/**
 * Killed with SIGKILL at a random moment while it writes, a project keeps every edit whose write
 * had returned: a separate process edits (relabels and new classes, imports, Save As) through the
 * same code as the window and says after each write returns what the person then sees; this test
 * kills it, opens the project again and finds what was last said, or the edit being written.
 */
class KilledMidWriteTest {
    @TempDir
    Path dir;

    /** What a person sees of a project, as a hash: classes in order, every image's file, label and shot flag. */
    static String seen(Workspace w) {
        MessageDigest md = EmbeddingPipeline.sha256();
        StringBuilder b = new StringBuilder(String.join("|", w.classNames())).append('\n');
        List<String> paths = w.imagePaths();
        for (int i = 0; i < w.imageCount(); i++) {
            b.append(paths.get(i)).append('\t').append(w.label(i) < 0 ? "" : w.classNames().get(w.label(i)))
                    .append('\t').append(w.isShot(i)).append('\n');
        }
        return HexFormat.of().formatHex(md.digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The editing process: {@code label DIR SEED} relabels images and adds classes for ever;
     * {@code import DIR DROP} imports DROP's images four at a time; {@code saveas DIR TARGET}
     * saves the project as TARGET. Each comes after the log file's name, where it says "pending HASH"
     * before each write and "ack HASH" after it.
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(args[0], true), true, StandardCharsets.UTF_8);
        args = Arrays.copyOfRange(args, 1, args.length);
        Path project = Path.of(args[1]);
        if (args[0].equals("saveas")) {
            out.println("copying");
            OpenProject.copyWhole(project, Path.of(args[2]));
            out.println("copied");
            return;
        }
        try (OpenProject p = OpenProject.open(project)) {
            Workspace w = p.workspace();
            ProjectWriter writer = new ProjectWriter(p, Runnable::run, problem -> {
                if (problem != null) {
                    throw new IllegalStateException(problem);
                }
            });
            out.println("ack " + seen(w));
            if (args[0].equals("label")) {
                relabelForEver(w, writer, new Random(Long.parseLong(args[2])), out);
            } else {
                importAll(p, writer, Path.of(args[2]), out);
            }
        }
    }

    private static void relabelForEver(Workspace w, ProjectWriter writer, Random random, PrintStream out) {
        History h = new History(w);
        for (int n = 0; ; n++) {
            int i = random.nextInt(w.imageCount());
            History.Edit e = n % 7 == 6
                    ? History.newClass("Kind " + n, new int[] {i})
                    : History.relabel("Relabel", new int[] {i}, w.classNames().get(random.nextInt(w.classNames().size())), false);
            try {
                h.apply(e);
            } catch (IllegalArgumentException refused) {
                continue; // a class would lose its last shot: the window refuses that too
            }
            out.println("pending " + seen(w));
            writer.changed(w.state(), e.description());
            out.println("ack " + seen(w));
        }
    }

    private static void importAll(OpenProject p, ProjectWriter writer, Path drop, PrintStream out) throws IOException {
        Workspace w = p.workspace();
        List<Path> files;
        try (Stream<Path> s = Files.list(drop)) {
            files = s.sorted().toList();
        }
        try (Backbone b = BackboneLoader.folder(w.dir().resolve(w.manifest().backbone()), null)) {
            EmbeddingPipeline pipeline = new EmbeddingPipeline(b, p.cache(), 4, 1);
            for (int from = 0; from < files.size(); from += 4) {
                List<Path> batch = files.subList(from, Math.min(files.size(), from + 4));
                List<byte[]> keys = new ArrayList<>();
                FloatMatrix rows = Embedded.rows(pipeline, batch, keys);
                List<ImportPlan.Item> items = new ArrayList<>();
                for (int j = 0; j < batch.size(); j++) {
                    items.add(new ImportPlan.Item(batch.get(j), "Satchel", Workspace.Kind.NOVEL, from + j < 3));
                }
                w.addImported(items, keys, rows);
                out.println("pending " + seen(w));
                writer.changed(w.state(), "Imported " + batch.size() + " images");
                out.println("ack " + seen(w));
            }
        }
        out.println("done");
    }

    /**
     * A running editor: what it last said was stored, and what it was storing. It says so in a log
     * file, one line per write() call, which a kill cannot take back (a pipe's last lines can be
     * lost to the reader when the process dies).
     */
    private final class Editor {
        final Process process;
        final Path log;
        String acked;
        String pending;
        int acks;
        List<String> said = List.of();

        Editor(String... args) throws IOException {
            log = Files.createTempFile(dir, "editor", ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                    "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED"));
            for (String prop : List.of("ai.djl.offline", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR")) {
                if (System.getProperty(prop) != null) {
                    cmd.add("-D" + prop + "=" + System.getProperty(prop));
                }
            }
            // sqlite-jdbc writes its native library to a temporary folder and deletes it on exit: a killed
            // editor's copy (1.1 MB) goes with this test's folder instead of staying in the system's
            cmd.add("-Dorg.sqlite.tmpdir=" + dir);
            cmd.add(KilledMidWriteTest.class.getName());
            cmd.add(log.toString());
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        }

        /** Reads what it has said so far (whole lines only). */
        private void read() throws IOException {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            said = List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n", -1)).stream()
                    .filter(line -> !line.isEmpty()).toList();
            acked = null;
            pending = null;
            acks = 0;
            for (String line : said) {
                if (line.startsWith("ack ")) {
                    acked = line.substring(4);
                    pending = null;
                    acks++;
                } else if (line.startsWith("pending ")) {
                    pending = line.substring(8);
                }
            }
        }

        /** Waits until it has acknowledged {@code count} writes (or ended), then kills it after {@code delayMillis}. */
        void killAfter(int count, int delayMillis) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (read(); acks < count && process.isAlive() && System.nanoTime() < deadline; read()) {
                Thread.sleep(5);
            }
            Thread.sleep(delayMillis);
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            read();
        }

        List<String> allowed() {
            return pending == null ? List.of(acked) : List.of(acked, pending);
        }
    }

    private Path fashionCopy(String name) throws IOException {
        Path project = dir.resolve(name);
        OpenProject.copy(TestResources.samples().resolve("fashion-fewshot"), project);
        return project;
    }

    private static String seenOnOpen(Path project) throws IOException {
        try (OpenProject p = OpenProject.open(project)) {
            return seen(p.workspace());
        }
    }

    /** What opening the project says, for a failure's message: its images and classes, and its problems. */
    private static String openedAs(Path project) throws IOException {
        try (OpenProject p = OpenProject.open(project)) {
            return p.workspace().imageCount() + " images, classes " + p.workspace().classNames() + ", problems " + p.problems();
        }
    }

    @Test
    void labelsWrittenBeforeAKillAreAllThere() throws Exception {
        Path project = fashionCopy("labels");
        Random random = new Random(7);
        for (int kill = 0; kill < 6; kill++) {
            Editor e = new Editor("label", project.toString(), Long.toString(random.nextLong()));
            e.killAfter(2 + random.nextInt(30), random.nextInt(25));
            assertTrue(e.acks > 1, "the editor stored edits before it was killed: " + e.said);
            String after = seenOnOpen(project);
            if (!e.allowed().contains(after)) {
                List<String> tail = e.said.subList(Math.max(0, e.said.size() - 6), e.said.size());
                fail("kill " + kill + ": the project opens as it was last stored, or with the edit being stored; it said " + tail
                        + " (" + e.said.size() + " lines); opened as " + after + ": " + openedAs(project));
            }
        }
    }

    @Test
    void anImportKilledHalfwayKeepsEveryBatchStoredAndTheLabelsBefore() throws Exception {
        Path project = fashionCopy("import");
        Path drop = dir.resolve("drop");
        Files.createDirectories(drop);
        try (Stream<Path> bags = Files.list(TestResources.samples().resolve("fashion-fewshot/images/Bag"))) {
            for (Path p : bags.sorted().limit(40).toList()) {
                Files.copy(p, drop.resolve(p.getFileName()));
            }
        }
        Random random = new Random(11);
        int kills = 0;
        for (; kills < 3; kills++) {
            Editor e = new Editor("import", project.toString(), drop.toString());
            e.killAfter(2 + random.nextInt(3), random.nextInt(40));
            String after = seenOnOpen(project);
            if (!e.allowed().contains(after)) {
                fail("kill " + kills + ": the import's stored batches are there: " + e.said + "; opened as " + after + ": "
                        + openedAs(project));
            }
            if (e.said.contains("done")) {
                break;
            }
        }
        assertTrue(kills > 0, "at least one import was killed before it was done");
    }

    @Test
    void aSaveAsKilledHalfwayLeavesTheProjectAndNoHalfCopy() throws Exception {
        Path project = fashionCopy("original");
        Editor labeller = new Editor("label", project.toString(), "3");
        labeller.killAfter(20, 0);
        String made = seenOnOpen(project);
        Random random = new Random(5);
        Path target = dir.resolve("saved-as");
        for (int kill = 0; kill < 4; kill++) {
            Editor e = new Editor("saveas", project.toString(), target.toString());
            e.killAfter(0, random.nextInt(300));
            assertEquals(made, seenOnOpen(project), "the project is as it was");
            if (Files.exists(target)) {
                assertEquals(made, seenOnOpen(target), "a Save As that got its folder has all of it");
                assertTrue(e.said.contains("copied") || Files.exists(target.resolve(ProjectCatalog.FILE_NAME)));
                AtomicFiles.deleteTree(target);
            }
        }
        OpenProject.copyWhole(project, target);
        assertEquals(made, seenOnOpen(target), "Save As after the kills makes the whole copy");
        try (Stream<Path> left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".copying")), "no half copy is left behind");
        }
    }
}
