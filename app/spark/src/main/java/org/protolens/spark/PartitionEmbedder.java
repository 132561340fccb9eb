package org.protolens.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageReadException;
import org.protolens.core.embed.Preprocessing;

/**
 * What one partition does: reads each image's bytes from the cluster's storage, hashes them,
 * decodes and resizes them in plain Java as the app does, and embeds them in batches with the
 * shipped backbone. An image that cannot be read or decoded becomes a row with its problem; the
 * partition goes on.
 */
final class PartitionEmbedder implements FlatMapFunction<Iterator<Row>, Row>, Serializable {
    /** Input rows: the image's path (a Hadoop path or URI), its path below the images' root, its label or null. */
    static final StructType LISTED = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("relative_path", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true);

    /** Output rows: an embedding, or a problem and no embedding. */
    static final StructType EMBEDDED = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("relative_path", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("sha256", DataTypes.StringType, true)
            .add("backbone", DataTypes.StringType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("problem", DataTypes.StringType, true);

    /** Files larger than this are not read into memory: no image ProtoLens decodes is that large. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private final ShippedBackbone backbone;
    private final int batchSize;
    private final Map<String, String> hadoopSettings;

    /**
     * @param hadoopSettings the driver's Hadoop configuration, so that executors reach the same
     *                       storage with the same credentials
     */
    PartitionEmbedder(ShippedBackbone backbone, int batchSize, Map<String, String> hadoopSettings) {
        this.backbone = backbone;
        this.batchSize = batchSize;
        this.hadoopSettings = hadoopSettings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws IOException {
        if (!rows.hasNext()) {
            return List.<Row>of().iterator();
        }
        Configuration conf = new Configuration(false);
        hadoopSettings.forEach(conf::set);
        Backbone b = backbone.take();
        try {
            List<Row> out = new ArrayList<>();
            List<Row> batch = new ArrayList<>(batchSize);
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == batchSize || !rows.hasNext()) {
                    embedBatch(b, conf, batch, out);
                    batch.clear();
                }
            }
            return out.iterator();
        } finally {
            backbone.giveBack(b);
        }
    }

    private void embedBatch(Backbone b, Configuration conf, List<Row> batch, List<Row> out) throws IOException {
        Preprocessing pre = b.preprocessing();
        int per = pre.valuesPerImage();
        float[] input = new float[batch.size() * per];
        String[] sha = new String[batch.size()];
        String[] problem = new String[batch.size()];
        int[] slot = new int[batch.size()];
        int decoded = 0;
        MessageDigest md = EmbeddingPipeline.sha256();
        for (int i = 0; i < batch.size(); i++) {
            String path = batch.get(i).getString(0);
            slot[i] = -1;
            byte[] bytes;
            try {
                bytes = read(conf, path);
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                problem[i] = "cannot be read (" + describe(e) + ")";
                continue;
            }
            sha[i] = HexFormat.of().formatHex(md.digest(bytes));
            try {
                ImageDecoder.writeInput(ImageDecoder.decode(bytes, path), pre, input, decoded * per);
                slot[i] = decoded++;
            } catch (ImageReadException e) {
                problem[i] = e.problem();
            } catch (OutOfMemoryError e) {
                problem[i] = "is too large for the memory the executor was given (spark.executor.memory)";
            }
        }
        FloatMatrix embedded = decoded == 0 ? null : b.embed(input, decoded);
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            float[] v = null;
            if (slot[i] >= 0) {
                v = embedded.row(slot[i]);
                for (float x : v) {
                    if (!Float.isFinite(x)) {
                        throw new IOException("the backbone " + b.name() + " returned " + x + " in its embedding of " + r.getString(0)
                                + ": the model is broken (check its weights and that it runs in eval mode)");
                    }
                }
            }
            out.add(RowFactory.create(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getString(2), sha[i],
                    backbone.fingerprint(), v, problem[i]));
        }
    }

    private static byte[] read(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus status = fs.getFileStatus(p);
        if (status.getLen() > MAX_FILE_BYTES) {
            throw new IOException("it is " + (status.getLen() >> 20) + " MB; image files above " + (MAX_FILE_BYTES >> 20)
                    + " MB are not read");
        }
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
