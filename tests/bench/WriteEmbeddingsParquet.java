import org.apache.spark.sql.SparkSession;

/**
 * Writes N made-up D-dimensional embeddings as the Spark job writes its output (OUT/embeddings/:
 * Parquet with Spark's defaults, Snappy; the job's columns), for tests/bench/run.sh parquet. The
 * values are sin(id * 7919 + j): no Java objects per number, so that millions of rows are quick.
 *
 * <pre>  java SPARK_OPTIONS -cp SPARK_CLASSPATH tests/bench/WriteEmbeddingsParquet.java OUT N D</pre>
 */
public class WriteEmbeddingsParquet {
    public static void main(String[] args) {
        String out = args[0];
        long n = Long.parseLong(args[1]);
        int d = Integer.parseInt(args[2]);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("write embeddings")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            spark.range(n).repartition(8).selectExpr(
                    "concat('file:/collection/class-', id % 100, '/image-', id, '.jpg') as path",
                    "concat('class-', id % 100, '/image-', id, '.jpg') as relative_path",
                    "concat('class-', id % 100) as label",
                    "sha2(cast(id as string), 256) as sha256",
                    "'3ae5807cddc14d6e40e356f5fe4ed82b5490a114a1251edb36ddf9f2ed556bde' as backbone",
                    "transform(sequence(1, " + d + "), j -> cast(sin(id * 7919 + j) as float)) as embedding")
                    .write().parquet(out + "/embeddings");
        } finally {
            spark.stop();
        }
        System.out.printf("wrote %,d x %d to %s/embeddings%n", n, d, out);
    }
}
