package org.protolens.core.analysis;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FewShotEpisodes;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.TeenCalibration;

/**
 * Few-shot episodes ({@link FewShotEpisodes}) over an open project's labelled images: each
 * episode draws its shots and queries among the labelled images (shots included) of the new
 * classes, or of every class; TEEN calibrates towards the project's base prototypes, leaving out
 * those of the base classes an episode draws, at the project's alpha and tau.
 *
 * @param classNames per label of the report's classes, its name in the project
 */
public record ProjectEpisodes(FewShotEpisodes.Report report, List<String> classNames, TeenCalibration calibration) {
    /** Runs the episodes on {@code s} (the shots, queries and classes drawn with the setting's seed). */
    public static ProjectEpisodes of(WorkspaceState s, FewShotEpisodes.Setting setting, boolean newClassesOnly, BooleanSupplier cancelled) {
        int[] labelled = IntStream.range(0, s.imageCount()).filter(i -> s.label(i) >= 0).toArray();
        int[] y = IntStream.of(labelled).map(s::label).toArray();
        int[] among = IntStream.range(0, s.classCount()).filter(k -> !newClassesOnly || !s.isBase(k)).toArray();
        int[] base = IntStream.range(0, s.classCount()).filter(s::isBase).toArray();
        FloatMatrix prototypes = base.length == 0 ? null : s.basePrototypes();
        TeenCalibration calibration = s.calibration();
        FewShotEpisodes.Report r = FewShotEpisodes.run(s.embeddings().selectRows(labelled), y, among, prototypes, base, calibration,
                setting, cancelled);
        return new ProjectEpisodes(r, s.classNames(), calibration);
    }
}
