package org.protolens.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Each label's summed embedding and count, by Spark's own aggregation (partial sums per partition,
 * combined across the cluster), in double precision: the mean of a label is its base prototype.
 */
final class ClassMeans {
    private ClassMeans() {
    }

    /** A label's running sum of embeddings and its number of images; added to in place. */
    static final class Sum implements Serializable {
        private final double[] sum;
        private long count;

        Sum(int dim) {
            sum = new double[dim];
        }

        Sum add(List<Float> v) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += v.get(j);
            }
            count++;
            return this;
        }

        Sum add(Sum o) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += o.sum[j];
            }
            count += o.count;
            return this;
        }

        double[] sum() {
            return sum;
        }

        long count() {
            return count;
        }
    }

    /**
     * @param rows rows with a non-null "label" and "embedding"
     * @return one sum per label, in label order
     */
    static List<Tuple2<String, Sum>> of(Dataset<Row> rows) {
        List<Tuple2<String, Sum>> sums = new ArrayList<>(rows.select("label", "embedding").javaRDD()
                .mapToPair(r -> new Tuple2<String, List<Float>>(r.getString(0), r.getList(1)))
                .combineByKey(v -> new Sum(v.size()).add(v), Sum::add, Sum::add)
                .collect());
        sums.sort(Comparator.comparing(Tuple2::_1));
        return sums;
    }
}
