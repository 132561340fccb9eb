package org.protolens.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.protolens.core.analysis.NovelFlow;
import org.protolens.core.analysis.PrototypeRefinement;
import org.protolens.core.analysis.SessionTable;
import org.protolens.core.analysis.Suggestions;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;
import org.protolens.core.proto.PrototypeHead;

/**
 * What the analysis tabs compute on each change, on the window benchmark's synthetic project
 * (100,000 embeddings of 512 dimensions, 60 base and 40 novel classes) with every other image
 * unlabelled: the suggestion rankings (200 shown), one accepted suggestion with the re-ranking
 * after it, the refinement of the new prototypes by each transductive head, the confusion counts
 * and the session table. JMH's sample mode prints the medians.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx6g", "-XX:G1HeapRegionSize=16m", "--add-modules=jdk.incubator.vector"})
public class AnalysisBenchmark {
    /** images (the window benchmark's 100,000 by default; {@code -p n=1000000 -p d=64} for a million) */
    @Param("100000")
    public int n;
    @Param("512")
    public int d;
    private Workspace w;
    private History history;
    private String novel;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("protolens-analysis-bench");
        WindowBenchmark.makeProject(dir, n, d);
        w = Workspace.open(dir);
        int[] half = IntStream.range(0, w.imageCount()).filter(i -> i % 2 == 0 && !w.isShot(i)).toArray();
        w.setLabels(half, IntStream.range(0, half.length).map(i -> -1).toArray(), new boolean[half.length]);
        history = new History(w);
        novel = w.classNames().getLast();
    }

    /** The project written for the run (some 300 MB at 100,000 x 512) goes with it. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        AtomicFiles.deleteTree(dir);
    }

    @Benchmark
    public List<Suggestions.Suggestion> mostUncertain() {
        return Suggestions.uncertain(w.state(), 200, false);
    }

    @Benchmark
    public List<Suggestions.Suggestion> mostUncertainDiverse() {
        return Suggestions.uncertain(w.state(), 200, true);
    }

    @Benchmark
    public List<Suggestions.Suggestion> likelyMembers() {
        return Suggestions.likelyMembers(w.state(), w.classNames().size() - 1, 200, false);
    }

    /** A likely member of a new class accepted as a shot (its prototype moves), then the list ranked again; undone after. */
    @Benchmark
    public List<Suggestions.Suggestion> acceptAndReRank() {
        int image = Suggestions.likelyMembers(w.state(), w.classNames().size() - 1, 1, false).getFirst().image();
        history.apply(History.relabel("accept", new int[] {image}, novel, true));
        List<Suggestions.Suggestion> next = Suggestions.likelyMembers(w.state(), w.classNames().size() - 1, 200, false);
        history.undo();
        return next;
    }

    /** Soft k-means refinement of the 40 new prototypes from the unlabelled images (up to 20,000 read), applied. */
    @Benchmark
    public boolean refineSoftKMeans() {
        return refine(PrototypeHead.SOFT_KMEANS);
    }

    /** TIM refinement of the 40 new prototypes (150 rounds over up to 5,000 images), applied. */
    @Benchmark
    public boolean refineTim() {
        return refine(PrototypeHead.TIM);
    }

    private boolean refine(PrototypeHead head) {
        w.setHead(head);
        PrototypeRefinement r = PrototypeRefinement.of(w.state(), head);
        boolean applied = w.applyRefinement(head, r.revision(), r.prototypes());
        w.setHead(PrototypeHead.CALIBRATED);
        return applied;
    }

    @Benchmark
    public int[][] confusion() {
        return NovelFlow.of(w.state()).confusion(true);
    }

    @Benchmark
    public SessionTable.Result sessionTable() {
        return SessionTable.of(w.state());
    }
}
