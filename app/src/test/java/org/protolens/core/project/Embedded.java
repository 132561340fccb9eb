package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.EmbeddingPipeline;

/** Images embedded as the importer embeds them: their rows and their SHA-256 keys in the cache. */
final class Embedded {
    private Embedded() {
    }

    /** Embeds {@code files} with {@code pipeline}; their keys are added to {@code keys}, in order. */
    static FloatMatrix rows(EmbeddingPipeline pipeline, List<Path> files, List<byte[]> keys) throws IOException {
        return pipeline.embed(files, new EmbeddingPipeline.Listener() {
            @Override
            public void progress(int done, int total) {
            }

            @Override
            public void embedded(List<Path> paths, List<byte[]> sha256, FloatMatrix r) {
                keys.addAll(sha256);
            }
        }, null).embeddings();
    }
}
