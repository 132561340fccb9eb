package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.SoftKMeans;
import org.protolens.core.proto.Tim;

/**
 * A transductive head's refinement of an open project's new-class prototypes, made from one
 * state: the base prototypes held fixed, the new classes' prototypes as calibrated as the start,
 * their shots, and the images that are no shots as the unlabelled images (their labels unread;
 * beyond {@link PrototypeHead#maxImages} an evenly spaced sample of them).
 *
 * @param revision   the predictions' revision it was made from ({@code Workspace.applyRefinement} takes it)
 * @param prototypes per class, its refined prototype; null for base classes
 * @param imagesRead how many unlabelled images the head read
 */
public record PrototypeRefinement(PrototypeHead head, long revision, float[][] prototypes, int imagesRead) {
    /** Refines {@code s}'s new classes with {@code head} (seconds at most for the heads' image limits). */
    public static PrototypeRefinement of(WorkspaceState s, PrototypeHead head) {
        int classes = s.classCount();
        int d = s.dim();
        int[] novel = IntStream.range(0, classes).filter(k -> !s.isBase(k)).toArray();
        float[][] out = new float[classes][];
        long revision = s.predictionsRevision();
        if (novel.length == 0 || !head.refines()) {
            return new PrototypeRefinement(head, revision, out, 0);
        }
        int[] read = evenly(IntStream.range(0, s.imageCount()).filter(i -> !s.isShot(i)).toArray(), head.maxImages());
        // every class's shots, in one pass over the images
        List<List<Integer>> shotRows = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            shotRows.add(new ArrayList<>());
        }
        for (int i = 0; i < s.imageCount(); i++) {
            if (s.isShot(i) && s.label(i) >= 0) {
                shotRows.get(s.label(i)).add(i);
            }
        }
        float[] startData = new float[novel.length * d];
        List<FloatMatrix> shots = new ArrayList<>();
        for (int c = 0; c < novel.length; c++) {
            int k = novel[c];
            System.arraycopy(s.predictions().calibratedPrototype(k), 0, startData, c * d, d);
            shots.add(s.embeddings().selectRows(shotRows.get(k).stream().mapToInt(Integer::intValue).toArray()));
        }
        FloatMatrix baseMatrix = s.basePrototypes();
        FloatMatrix start = new FloatMatrix(novel.length, d, startData);
        FloatMatrix unlabelled = s.embeddings().selectRows(read);
        FloatMatrix refined = switch (head) {
            case CALIBRATED -> start;
            case SOFT_KMEANS -> SoftKMeans.refine(baseMatrix, start, shots, unlabelled, SoftKMeans.DEFAULT_BETA,
                    SoftKMeans.DEFAULT_ITERATIONS);
            case TIM -> Tim.refine(baseMatrix, start, shots, unlabelled, Tim.Settings.DEFAULT, Tim.DEFAULT_ITERATIONS);
        };
        for (int c = 0; c < novel.length; c++) {
            out[novel[c]] = refined.row(c);
        }
        return new PrototypeRefinement(head, revision, out, read.length);
    }

    /** At most {@code max} of {@code rows}, evenly spaced (all of them when there are fewer). */
    static int[] evenly(int[] rows, int max) {
        if (rows.length <= max) {
            return rows;
        }
        int[] out = new int[max];
        for (int j = 0; j < max; j++) {
            out[j] = rows[(int) ((long) j * rows.length / max)];
        }
        return out;
    }
}
