package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.proto.L2;

/** The bundled sample projects open, and what they store agrees with their own images. */
class SampleProjectsTest {
    @ParameterizedTest
    // Omniglot: a character's 5 held-out drawings (by other people) average less close to its prototype than 100 images
    // do, and its Greek and Latin alphabets share letters (Greek and Latin "O"): a few base means are nearest another's
    @CsvSource({"cifar10-fewshot, 6, 10, 100, 0.9, 0", "fashion-fewshot, 6, 10, 100, 0.9, 0", "shapes-shortcut, 4, 6, 100, 0.9, 0",
        "omniglot-manyclass, 90, 135, 5, 0.8, 2"})
    void sampleOpensAndItsStoredEmbeddingsAndPrototypesMatchItsImages(String name, int baseClasses, int classes, int perBaseClass,
                                                                       double closeCosine, int elsewhere) throws IOException {
        Path dir = TestResources.samples().resolve(name);
        ProjectManifest m = ProjectManifest.read(dir);
        List<ProjectManifest.ClassEntry> base = m.baseClasses();
        assertEquals(baseClasses, base.size());
        assertEquals(classes, m.classes().size());
        BackboneSpec spec = BackboneSpec.read(dir.resolve(m.backbone()).resolve(BackboneSpec.FILE_NAME));
        assertEquals(base.stream().map(ProjectManifest.ClassEntry::name).toList(), spec.classNames(),
                "the backbone was trained on the base classes");
        assertTrue(spec.provenance().get("heldOutBaseAccuracy").asDouble() > 0.8, "base accuracy in the provenance");
        for (ProjectManifest.ClassEntry c : m.classes()) {
            long shots = m.images().stream().filter(i -> i.shot() && i.label().equals(c.name())).count();
            assertEquals(c.isBase() ? 0 : 5, shots, c.name());
        }

        FloatMatrix stored = m.embeddings(dir);
        FloatMatrix recomputed;
        try (Backbone b = BackboneLoader.open(dir.resolve(m.backbone()).toString(), null, null)) {
            List<Path> files = m.images().stream().map(i -> dir.resolve(i.path())).toList();
            var result = new EmbeddingPipeline(b, null, 64, 2).embed(files, null, null);
            assertTrue(result.failures().isEmpty(), result.failures().toString());
            recomputed = result.embeddings();
        }
        for (int r = 0; r < stored.rows(); r++) {
            double cos = L2.cosine(stored.row(r), recomputed.row(r));
            assertTrue(cos > 0.9999, m.images().get(r).path() + ": stored embedding differs from the recomputed one, cos " + cos);
        }

        // every base prototype (mean over the full training set) is nearest to the mean of its
        // class's held-out images in the sample, and close to it
        FloatMatrix protos = m.basePrototypes(dir);
        List<String> nearestAnother = new ArrayList<>();
        for (int c = 0; c < base.size(); c++) {
            String cls = base.get(c).name();
            float[] mean = new float[stored.cols()];
            int n = 0;
            for (int r = 0; r < stored.rows(); r++) {
                if (cls.equals(m.images().get(r).label())) {
                    float[] row = recomputed.row(r);
                    for (int j = 0; j < mean.length; j++) {
                        mean[j] += row[j];
                    }
                    n++;
                }
            }
            assertEquals(perBaseClass, n, cls);
            int best = -1;
            double bestCos = -2;
            for (int k = 0; k < protos.rows(); k++) {
                double cos = L2.cosine(mean, protos.row(k));
                if (cos > bestCos) {
                    bestCos = cos;
                    best = k;
                }
            }
            if (best != c) {
                nearestAnother.add(cls + " -> " + base.get(best).name());
                continue;
            }
            assertTrue(bestCos > closeCosine, cls + ": cosine " + bestCos);
        }
        assertTrue(nearestAnother.size() <= elsewhere, "sample images' means nearest to another class's prototype: " + nearestAnother);
    }
}
