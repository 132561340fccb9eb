package org.protolens.spark;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.protolens.core.embed.EmbeddingPipeline;

/**
 * Hashes each listed image's bytes (SHA-256, the key of the desktop cache), so that a re-run finds
 * the images an earlier run embedded; an image that cannot be read gets its problem instead.
 */
final class PartitionHasher implements FlatMapFunction<Iterator<Row>, Row> {
    static final StructType HASHED = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("relative_path", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("sha256", DataTypes.StringType, true)
            .add("problem", DataTypes.StringType, true);

    private final Map<String, String> hadoopSettings;

    PartitionHasher(Map<String, String> hadoopSettings) {
        this.hadoopSettings = hadoopSettings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Configuration conf = new Configuration(false);
        hadoopSettings.forEach(conf::set);
        MessageDigest md = EmbeddingPipeline.sha256();
        byte[] buf = new byte[1 << 16];
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row r = rows.next();
                String label = r.isNullAt(2) ? null : r.getString(2);
                Path p = new Path(r.getString(0));
                try (InputStream in = p.getFileSystem(conf).open(p)) {
                    md.reset();
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                    return RowFactory.create(r.getString(0), r.getString(1), label, HexFormat.of().formatHex(md.digest()), null);
                } catch (IOException | RuntimeException e) {
                    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    return RowFactory.create(r.getString(0), r.getString(1), label, null, "cannot be read (" + why + ")");
                }
            }
        };
    }
}
