package org.protolens.core.io;

import io.airlift.compress.v3.Decompressor;
import io.airlift.compress.v3.lz4.Lz4JavaDecompressor;
import io.airlift.compress.v3.snappy.SnappyJavaDecompressor;
import io.airlift.compress.v3.zstd.ZstdJavaDecompressor;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.protolens.core.FloatMatrix;

/**
 * Image embeddings stored as Apache Parquet, as ProtoLens's Spark job writes them and as pandas,
 * pyarrow or Spark write them anywhere else: a column of image paths ({@code path}, or
 * {@code filepath} as FiftyOne names it), a list-of-numbers column of embeddings
 * ({@code embedding} or {@code embeddings}, float or double) and, where present, {@code label},
 * {@code relative_path}, {@code sha256} (hex of the image's bytes) and {@code backbone} (the
 * fingerprint of the backbone that made the row).
 * <p>Read without Hadoop: Parquet's own footer structures and column decoders; the schema, the
 * column chunks and their pages are read here and decompressed in plain Java (uncompressed,
 * Snappy, gzip, zstd, LZ4). A file from
 * someone else is untrusted: every offset and size is checked against the file before it is
 * used, and any problem is an {@link IOException} naming the file.
 */
public final class ParquetEmbeddings {
    /** The largest page (decompressed) or column chunk read into memory at once. */
    private static final int MAX_BLOCK = 1 << 30;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> PATH_COLUMNS = List.of("path", "filepath");
    private static final List<String> EMBEDDING_COLUMNS = List.of("embedding", "embeddings");

    private ParquetEmbeddings() {
    }

    /**
     * The rows of one or more Parquet files, in file order.
     *
     * @param paths         each row's image path as written (a plain path or a URI such as {@code file:/...} or {@code hdfs://...})
     * @param relativePaths each row's path below the collection's root, or null when the files have no such column
     * @param labels        each row's label (null entries: none), or null when the files have no label column
     * @param sha256        each row's SHA-256 in hex (null entries: unknown), or null when there is no such column
     * @param backbones     each row's backbone fingerprint, or null when there is no such column
     * @param embeddings    one row per image
     */
    public record Table(List<String> paths, List<String> relativePaths, List<String> labels, List<String> sha256,
                        List<String> backbones, FloatMatrix embeddings) {
    }

    /**
     * Reads {@code files} (the parts of one dataset; the same columns in each).
     *
     * @throws IOException naming the file and the problem: not Parquet, damaged, no path or embedding
     *                     column, embeddings of different lengths, a compression this reader lacks
     */
    public static Table read(List<Path> files) throws IOException {
        List<Part> parts = new ArrayList<>();
        long values = 0;
        int[] offsets = new int[files.size() + 1];
        for (Path f : files) {
            Part p = Part.open(f);
            parts.add(p);
            values += p.embeddingValues();
            if (values > Integer.MAX_VALUE - 8) {
                throw new IOException(f + ": more than about 2 billion numbers in the embeddings of " + files.size()
                        + " files; more than one table can hold: import the rows in parts");
            }
            offsets[parts.size()] = (int) values;
        }
        // the files side by side, each into its own stretch of one array (the footers say how long)
        float[] data = new float[(int) values];
        List<Columns> read = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            read.add(new Columns(parts.getFirst(), data, offsets[i], offsets[i + 1]));
        }
        try {
            IntStream.range(0, parts.size()).parallel().forEach(i -> {
                try {
                    parts.get(i).readInto(read.get(i));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (int i = 0; i < read.size(); i++) {
            if (read.get(i).filled != offsets[i + 1]) {
                throw new IOException(files.get(i) + ": fewer numbers in its embeddings than its footer counts (null values in"
                        + " them, or a damaged file)");
            }
        }
        Columns all = read.getFirst();
        for (int i = 1; i < read.size(); i++) {
            all.append(read.get(i), files.get(i));
        }
        return all.table();
    }

    /** Where the rows of one file are gathered: its strings, and its numbers in its stretch of the shared array. */
    private static final class Columns {
        final List<String> paths = new ArrayList<>();
        final List<String> relative;
        final List<String> labels;
        final List<String> sha;
        final List<String> backbones;
        final float[] data;
        final int limit;
        int filled;
        int dim = -1;

        Columns(Part first, float[] data, int start, int limit) {
            relative = first.has("relative_path") ? new ArrayList<>() : null;
            labels = first.has("label") ? new ArrayList<>() : null;
            sha = first.has("sha256") ? new ArrayList<>() : null;
            backbones = first.has("backbone") ? new ArrayList<>() : null;
            this.data = data;
            this.limit = limit;
            this.filled = start;
        }

        /** Takes {@code next}'s rows after these (its numbers follow these in the array). */
        void append(Columns next, Path file) throws IOException {
            if (dim >= 0 && next.dim >= 0 && dim != next.dim) {
                throw new IOException(file + ": embeddings of " + next.dim + " numbers; the files before it have " + dim);
            }
            paths.addAll(next.paths);
            appendTo(relative, next.relative);
            appendTo(labels, next.labels);
            appendTo(sha, next.sha);
            appendTo(backbones, next.backbones);
            filled = next.filled;
            dim = dim >= 0 ? dim : next.dim;
        }

        private static void appendTo(List<String> to, List<String> from) {
            if (to != null) {
                to.addAll(from);
            }
        }

        Table table() {
            int rows = paths.size();
            int cols = Math.max(dim, 0);
            return new Table(frozen(paths), frozen(relative), frozen(labels), frozen(sha), frozen(backbones),
                    new FloatMatrix(rows, cols, data));
        }

        /** Read-only, null entries kept (a row without a label); null stays null (no such column). */
        private static List<String> frozen(List<String> l) {
            return l == null ? null : Collections.unmodifiableList(l);
        }
    }

    /** One file: its footer read and checked, its columns found. */
    private static final class Part {
        private final Path file;
        private final long size;
        private final FileMetaData meta;
        private final MessageType schema;
        private final Map<String, ColumnDescriptor> strings = new HashMap<>();
        private final ColumnDescriptor embedding;

        private Part(Path file, long size, FileMetaData meta) throws IOException {
            this.file = file;
            this.size = size;
            this.meta = meta;
            this.schema = schemaOf(file, meta.getSchema());
            ColumnDescriptor vector = null;
            for (ColumnDescriptor c : schema.getColumns()) {
                String top = c.getPath()[0];
                PrimitiveTypeName type = c.getPrimitiveType().getPrimitiveTypeName();
                if (c.getMaxRepetitionLevel() == 0 && c.getPath().length == 1 && type == PrimitiveTypeName.BINARY) {
                    strings.put(top, c);
                } else if (EMBEDDING_COLUMNS.contains(top) && c.getMaxRepetitionLevel() == 1
                        && (type == PrimitiveTypeName.FLOAT || type == PrimitiveTypeName.DOUBLE) && vector == null) {
                    vector = c;
                }
            }
            if (vector == null || PATH_COLUMNS.stream().noneMatch(strings::containsKey)) {
                List<String> names = schema.getFields().stream().map(Type::getName).toList();
                throw new IOException(file + ": needs a column of image paths (path or filepath) and one of embeddings (embedding: a list"
                        + " of numbers); it has " + names);
            }
            this.embedding = vector;
        }

        /** The schema the footer lists depth first (a root, then each field with its children), as Parquet's types. */
        private static MessageType schemaOf(Path file, List<SchemaElement> elements) throws IOException {
            if (elements == null || elements.isEmpty()) {
                throw new IOException(file + ": damaged Parquet footer (no schema)");
            }
            int[] next = {1};
            List<Type> fields = children(file, elements, next, elements.getFirst().getNum_children(), 0);
            if (next[0] != elements.size()) {
                throw new IOException(file + ": damaged Parquet footer (a schema of " + elements.size() + " elements, " + next[0]
                        + " of them in its tree)");
            }
            return new MessageType(String.valueOf(elements.getFirst().getName()), fields);
        }

        private static List<Type> children(Path file, List<SchemaElement> elements, int[] next, int count, int depth) throws IOException {
            if (count < 0 || count > elements.size() - next[0] || depth > 32) {
                throw new IOException(file + ": damaged Parquet footer (a schema element with " + count + " children at depth " + depth
                        + ")");
            }
            List<Type> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                SchemaElement e = elements.get(next[0]++);
                if (e.getName() == null || e.getRepetition_type() == null) {
                    throw new IOException(file + ": damaged Parquet footer (a schema element without a name or repetition)");
                }
                Type.Repetition repetition = Type.Repetition.valueOf(e.getRepetition_type().name());
                if (e.isSetNum_children() && e.getNum_children() > 0 || !e.isSetType()) {
                    out.add(new GroupType(repetition, e.getName(), children(file, elements, next, e.getNum_children(), depth + 1)));
                } else {
                    PrimitiveTypeName type = switch (e.getType()) {
                        case BYTE_ARRAY -> PrimitiveTypeName.BINARY;
                        default -> PrimitiveTypeName.valueOf(e.getType().name());
                    };
                    out.add(new PrimitiveType(repetition, type, Math.max(e.getType_length(), 0), e.getName()));
                }
            }
            return out;
        }

        static Part open(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file)) {
                long size = ch.size();
                if (size < 12) {
                    throw new IOException(file + ": not a Parquet file (" + size + " bytes)");
                }
                ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, tail, size - 8, file);
                if (!Arrays.equals(Arrays.copyOfRange(tail.array(), 4, 8), MAGIC)) {
                    throw new IOException(file + ": not a Parquet file (it does not end in PAR1)");
                }
                long length = Integer.toUnsignedLong(tail.getInt(0));
                if (length > size - 12) {
                    throw new IOException(file + ": damaged Parquet file (its footer claims " + length + " bytes of " + size + ")");
                }
                ByteBuffer footer = ByteBuffer.allocate((int) length);
                readFully(ch, footer, size - 8 - length, file);
                FileMetaData meta;
                try {
                    meta = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
                } catch (IOException | RuntimeException e) {
                    throw new IOException(file + ": damaged Parquet footer (" + e.getMessage() + ")", e);
                }
                if (meta.getRow_groups() == null) {
                    throw new IOException(file + ": damaged Parquet footer (no row groups)");
                }
                try {
                    return new Part(file, size, meta);
                } catch (RuntimeException e) {
                    throw new IOException(file + ": a Parquet schema ProtoLens cannot read (" + e.getMessage() + ")", e);
                }
            }
        }

        boolean has(String column) {
            return strings.containsKey(column);
        }

        ColumnDescriptor pathColumn() {
            return PATH_COLUMNS.stream().filter(strings::containsKey).findFirst().map(strings::get).orElseThrow();
        }

        long embeddingValues() throws IOException {
            long n = 0;
            for (RowGroup b : meta.getRow_groups()) {
                ColumnMetaData c = chunk(b, embedding);
                if (c == null || c.getNum_values() < 0) {
                    throw new IOException(file + ": damaged Parquet file (a row group without its embedding column)");
                }
                n += c.getNum_values();
            }
            return n;
        }

        void readInto(Columns out) throws IOException {
            try (FileChannel ch = FileChannel.open(file)) {
                for (RowGroup b : meta.getRow_groups()) {
                    long rows = b.getNum_rows();
                    if (rows < 0 || out.paths.size() + rows > Integer.MAX_VALUE - 8) {
                        throw new IOException(file + ": damaged Parquet file (a row group of " + rows + " rows)");
                    }
                    List<ColumnDescriptor> wanted = new ArrayList<>(List.of(pathColumn(), embedding));
                    for (String name : List.of("relative_path", "label", "sha256", "backbone")) {
                        if (has(name)) {
                            wanted.add(strings.get(name));
                        }
                    }
                    Map<ColumnDescriptor, PageReader> pages = new HashMap<>();
                    for (ColumnDescriptor d : wanted) {
                        ColumnMetaData c = chunk(b, d);
                        if (c == null) {
                            throw new IOException(file + ": damaged Parquet file (a row group without its " + d.getPath()[0] + " column)");
                        }
                        pages.put(d, pages(ch, c));
                    }
                    try {
                        readGroup(pages, (int) rows, out);
                    } catch (RuntimeException e) {
                        throw new IOException(file + ": damaged Parquet data (" + e.getMessage() + ")", e);
                    }
                }
            }
        }

        private void readGroup(Map<ColumnDescriptor, PageReader> pages, int rows, Columns out) throws IOException {
            PageReadStore store = new PageReadStore() {
                @Override
                public PageReader getPageReader(ColumnDescriptor d) {
                    return pages.get(d);
                }

                @Override
                public long getRowCount() {
                    return rows;
                }
            };
            ColumnReadStoreImpl columns = new ColumnReadStoreImpl(store, new GroupRecordConverter(schema).getRootConverter(), schema,
                    meta.getCreated_by());
            int first = out.paths.size();
            out.paths.addAll(strings(columns, pathColumn(), rows));
            if (out.paths.subList(first, out.paths.size()).contains(null)) {
                throw new IOException(file + ": a row without an image path (row " + (first + out.paths.subList(first, out.paths.size())
                        .indexOf(null) + 1) + ")");
            }
            addIfPresent(columns, "relative_path", rows, out.relative);
            addIfPresent(columns, "label", rows, out.labels);
            addIfPresent(columns, "sha256", rows, out.sha);
            addIfPresent(columns, "backbone", rows, out.backbones);
            if (!readVectorsDirectly((Chunk) pages.get(embedding), rows, first, out)) {
                readVectors(columns.getColumnReader(embedding), rows, first, out);
            }
        }

        /**
         * The embedding column's pages decoded here, when they are encoded as writers write numbers
         * (plain or through a dictionary, levels run-length encoded): Parquet's column reader does
         * per-value work (a buffer slice each) that makes it several times slower. False, with
         * nothing read, for any other encoding: the column reader reads those.
         */
        private boolean readVectorsDirectly(Chunk chunk, int rows, int firstRow, Columns out) throws IOException {
            for (DataPage page : chunk.data) {
                Encoding values = page instanceof DataPageV1 v1 ? v1.getValueEncoding() : ((DataPageV2) page).getDataEncoding();
                boolean levelsRle = !(page instanceof DataPageV1 v1) || v1.getRlEncoding() == Encoding.RLE
                        && (embedding.getMaxDefinitionLevel() == 0 || v1.getDlEncoding() == Encoding.RLE);
                boolean dictionary = values == Encoding.PLAIN_DICTIONARY || values == Encoding.RLE_DICTIONARY;
                if (!levelsRle || !(values == Encoding.PLAIN || dictionary && chunk.dictionary != null)) {
                    return false;
                }
            }
            boolean isFloat = embedding.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT;
            int width = isFloat ? 4 : 8;
            float[] dictionary = null;
            if (chunk.dictionary != null) {
                ByteBuffer d = ByteBuffer.wrap(chunk.dictionary.getBytes().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                int size = chunk.dictionary.getDictionarySize();
                if (size < 0 || (long) size * width > d.remaining()) {
                    throw new IOException(file + ": damaged Parquet dictionary (" + size + " values in " + d.remaining() + " bytes)");
                }
                dictionary = new float[size];
                for (int i = 0; i < size; i++) {
                    dictionary[i] = isFloat ? d.getFloat() : (float) d.getDouble();
                }
            }
            int maxRep = embedding.getMaxRepetitionLevel();
            int maxDef = embedding.getMaxDefinitionLevel();
            Rows gathered = new Rows(rows, firstRow, out);
            for (DataPage page : chunk.data) {
                RunLengthBitPackingHybridDecoder rep;
                RunLengthBitPackingHybridDecoder def = null;
                ByteBuffer values;
                Encoding encoding;
                if (page instanceof DataPageV1 v1) {
                    ByteBuffer b = ByteBuffer.wrap(v1.getBytes().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                    rep = levels(b, maxRep);
                    if (maxDef > 0) {
                        def = levels(b, maxDef);
                    }
                    values = b.slice().order(ByteOrder.LITTLE_ENDIAN);
                    encoding = v1.getValueEncoding();
                } else {
                    DataPageV2 v2 = (DataPageV2) page;
                    rep = new RunLengthBitPackingHybridDecoder(bitWidth(maxRep), v2.getRepetitionLevels().toInputStream());
                    if (maxDef > 0) {
                        def = new RunLengthBitPackingHybridDecoder(bitWidth(maxDef), v2.getDefinitionLevels().toInputStream());
                    }
                    values = ByteBuffer.wrap(v2.getData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                    encoding = v2.getDataEncoding();
                }
                RunLengthBitPackingHybridDecoder ids = null;
                if (encoding != Encoding.PLAIN) {
                    if (!values.hasRemaining()) {
                        throw new IOException(file + ": damaged Parquet page (no dictionary ids)");
                    }
                    int idWidth = values.get() & 0xff;
                    if (idWidth > 32) {
                        throw new IOException(file + ": damaged Parquet page (dictionary ids of " + idWidth + " bits)");
                    }
                    ids = new RunLengthBitPackingHybridDecoder(idWidth, new ByteArrayInputStream(values.array(),
                            values.arrayOffset() + values.position(), values.remaining()));
                }
                for (int i = 0; i < page.getValueCount(); i++) {
                    gathered.level(rep.readInt());
                    if (def == null || def.readInt() == maxDef) {
                        if (ids != null) {
                            int id = ids.readInt();
                            if (id < 0 || id >= dictionary.length) {
                                throw new IOException(file + ": damaged Parquet page (dictionary id " + id + " of "
                                        + dictionary.length + ")");
                            }
                            gathered.add(dictionary[id]);
                        } else if (values.remaining() >= width) {
                            gathered.add(isFloat ? values.getFloat() : (float) values.getDouble());
                        } else {
                            throw new IOException(file + ": damaged Parquet page (fewer numbers than its levels say)");
                        }
                    }
                }
            }
            gathered.end();
            return true;
        }

        /** A page's run-length encoded levels, after their 4-byte length (data pages of format 1). */
        private RunLengthBitPackingHybridDecoder levels(ByteBuffer page, int max) throws IOException {
            if (page.remaining() < 4) {
                throw new IOException(file + ": damaged Parquet page (no levels)");
            }
            int length = page.getInt();
            if (length < 0 || length > page.remaining()) {
                throw new IOException(file + ": damaged Parquet page (levels of " + length + " bytes, " + page.remaining() + " left)");
            }
            RunLengthBitPackingHybridDecoder d = new RunLengthBitPackingHybridDecoder(bitWidth(max),
                    new ByteArrayInputStream(page.array(), page.arrayOffset() + page.position(), length));
            page.position(page.position() + length);
            return d;
        }

        private static int bitWidth(int max) {
            return 32 - Integer.numberOfLeadingZeros(max);
        }

        private void addIfPresent(ColumnReadStoreImpl columns, String name, int rows, List<String> into) throws IOException {
            if (into == null) {
                return;
            }
            if (!has(name)) {
                throw new IOException(file + ": has no " + name + " column, unlike the other files of its dataset");
            }
            into.addAll(strings(columns, strings.get(name), rows));
        }

        private List<String> strings(ColumnReadStoreImpl columns, ColumnDescriptor d, int rows) throws IOException {
            ColumnReader r = columns.getColumnReader(d);
            if (r.getTotalValueCount() != rows) {
                throw new IOException(file + ": damaged Parquet file (" + r.getTotalValueCount() + " values of " + d.getPath()[0]
                        + " for " + rows + " rows)");
            }
            List<String> out = new ArrayList<>(rows);
            // a value like the one before (a label, the backbone) shares its string
            Binary last = null;
            String lastText = null;
            for (int i = 0; i < rows; i++) {
                if (r.getCurrentDefinitionLevel() == d.getMaxDefinitionLevel()) {
                    Binary b = r.getBinary();
                    if (!b.equals(last)) {
                        last = b.copy();
                        lastText = b.toStringUsingUTF8();
                    }
                    out.add(lastText);
                } else {
                    out.add(null);
                }
                r.consume();
            }
            return out;
        }

        private void readVectors(ColumnReader r, int rows, int firstRow, Columns out) throws IOException {
            boolean isFloat = embedding.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT;
            int maxDef = embedding.getMaxDefinitionLevel();
            long total = r.getTotalValueCount();
            Rows gathered = new Rows(rows, firstRow, out);
            for (long i = 0; i < total; i++) {
                gathered.level(r.getCurrentRepetitionLevel());
                if (r.getCurrentDefinitionLevel() == maxDef) {
                    gathered.add(isFloat ? r.getFloat() : (float) r.getDouble());
                }
                r.consume();
            }
            gathered.end();
        }

        /**
         * A row group's numbers gathered into its rows as they come with their repetition levels (0
         * starts a row): every row as long as the first, as many rows as the group has.
         */
        private final class Rows {
            private final int rows;
            private final int firstRow;
            private final Columns out;
            private int row = -1;
            private int inRow;

            Rows(int rows, int firstRow, Columns out) {
                this.rows = rows;
                this.firstRow = firstRow;
                this.out = out;
            }

            /** The next value's repetition level. */
            void level(int repetition) throws IOException {
                if (repetition == 0) {
                    finishRow();
                    row++;
                    inRow = 0;
                    if (row >= rows) {
                        throw new IOException(file + ": damaged Parquet file (more embeddings than rows)");
                    }
                } else if (row < 0) {
                    throw new IOException(file + ": damaged Parquet file (a column chunk that starts inside a row)");
                }
            }

            /** A number of the current row. */
            void add(float v) throws IOException {
                if (out.filled >= out.limit) {
                    throw new IOException(file + ": damaged Parquet file (more numbers than its footer counts)");
                }
                out.data[out.filled++] = v;
                inRow++;
            }

            /** After the group's last value. */
            void end() throws IOException {
                finishRow();
                if (row + 1 != rows) {
                    throw new IOException(file + ": " + (row + 1) + " embeddings for " + rows + " rows");
                }
            }

            private void finishRow() throws IOException {
                if (row < 0) {
                    return;
                }
                if (inRow == 0) {
                    throw new IOException(file + ": " + which() + " has no embedding");
                }
                if (out.dim < 0) {
                    out.dim = inRow;
                } else if (inRow != out.dim) {
                    throw new IOException(file + ": " + which() + " has an embedding of " + inRow + " numbers; the rows before it have "
                            + out.dim);
                }
            }

            private String which() {
                return "row " + (firstRow + row + 1) + " (" + out.paths.get(firstRow + row) + ")";
            }
        }

        private static ColumnMetaData chunk(RowGroup b, ColumnDescriptor d) {
            if (b.getColumns() == null) {
                return null;
            }
            for (ColumnChunk c : b.getColumns()) {
                ColumnMetaData m = c.getMeta_data();
                if (m != null && m.getPath_in_schema() != null && m.getPath_in_schema().equals(Arrays.asList(d.getPath()))) {
                    return m;
                }
            }
            return null;
        }

        /** A column chunk's pages, read from the file and decompressed. */
        private Chunk pages(FileChannel ch, ColumnMetaData c) throws IOException {
            long start = c.isSetDictionary_page_offset() && c.getDictionary_page_offset() > 0
                    && c.getDictionary_page_offset() < c.getData_page_offset() ? c.getDictionary_page_offset() : c.getData_page_offset();
            long length = c.getTotal_compressed_size();
            String column = String.join(".", c.getPath_in_schema());
            if (start < 4 || length < 0 || length > MAX_BLOCK || start + length > size - 8) {
                throw new IOException(file + ": damaged Parquet file (column " + column + " at " + start + ", " + length
                        + " bytes, in a file of " + size + ")");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) length);
            readFully(ch, bytes, start, file);
            InputStream in = new ByteArrayInputStream(bytes.array());
            CompressionCodec codec = c.getCodec();
            DictionaryPage dictionary = null;
            Deque<DataPage> data = new ArrayDeque<>();
            long values = 0;
            while (values < c.getNum_values()) {
                PageHeader h;
                try {
                    h = Util.readPageHeader(in);
                } catch (IOException | RuntimeException e) {
                    throw new IOException(file + ": damaged Parquet page header in column " + column + " (" + e.getMessage() + ")", e);
                }
                int compressed = h.getCompressed_page_size();
                int uncompressed = h.getUncompressed_page_size();
                if (compressed < 0 || uncompressed < 0 || uncompressed > MAX_BLOCK || compressed > in.available()) {
                    throw new IOException(file + ": damaged Parquet page in column " + column + " (" + compressed + " bytes, "
                            + uncompressed + " uncompressed, " + in.available() + " left)");
                }
                byte[] body = in.readNBytes(compressed);
                switch (h.getType()) {
                    case DICTIONARY_PAGE -> {
                        DictionaryPageHeader d = h.getDictionary_page_header();
                        if (d == null || d.getNum_values() < 0) {
                            throw new IOException(file + ": damaged dictionary page in column " + column);
                        }
                        dictionary = new DictionaryPage(BytesInput.from(decompress(codec, body, uncompressed)), d.getNum_values(),
                                encoding(d.getEncoding()));
                    }
                    case DATA_PAGE -> {
                        DataPageHeader d = h.getData_page_header();
                        if (d == null || d.getNum_values() < 0) {
                            throw new IOException(file + ": damaged data page in column " + column);
                        }
                        values += d.getNum_values();
                        data.add(new DataPageV1(BytesInput.from(decompress(codec, body, uncompressed)), d.getNum_values(), uncompressed,
                                null, encoding(d.getRepetition_level_encoding()),
                                encoding(d.getDefinition_level_encoding()), encoding(d.getEncoding())));
                    }
                    case DATA_PAGE_V2 -> {
                        DataPageHeaderV2 d = h.getData_page_header_v2();
                        int levels = d == null ? -1 : d.getRepetition_levels_byte_length() + d.getDefinition_levels_byte_length();
                        if (d == null || d.getNum_values() < 0 || d.getNum_rows() < 0 || d.getRepetition_levels_byte_length() < 0
                                || d.getDefinition_levels_byte_length() < 0 || levels > compressed || levels > uncompressed) {
                            throw new IOException(file + ": damaged data page in column " + column);
                        }
                        values += d.getNum_values();
                        int rep = d.getRepetition_levels_byte_length();
                        byte[] rest = Arrays.copyOfRange(body, levels, body.length);
                        boolean packed = !d.isSetIs_compressed() || d.isIs_compressed();
                        byte[] payload = packed ? decompress(codec, rest, uncompressed - levels) : rest;
                        data.add(DataPageV2.uncompressed(d.getNum_rows(), d.getNum_nulls(), d.getNum_values(),
                                BytesInput.from(Arrays.copyOfRange(body, 0, rep)), BytesInput.from(Arrays.copyOfRange(body, rep, levels)),
                                encoding(d.getEncoding()), BytesInput.from(payload), null));
                    }
                    default -> {
                        // index pages and others carry nothing the rows need
                    }
                }
            }
            return new Chunk(dictionary, data, values);
        }

        /** Parquet's column encoding of the footer's one of the same name. */
        private Encoding encoding(Enum<?> e) throws IOException {
            if (e == null) {
                throw new IOException(file + ": damaged Parquet page (no encoding)");
            }
            return Encoding.valueOf(e.name());
        }

        private byte[] decompress(CompressionCodec codec, byte[] in, int size) throws IOException {
            if (codec == null) {
                throw new IOException(file + ": damaged Parquet file (a column without its compression)");
            }
            if (codec == CompressionCodec.UNCOMPRESSED) {
                return in;
            }
            byte[] out;
            try {
                switch (codec) {
                    case GZIP -> {
                        try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in))) {
                            out = z.readNBytes(size);
                        }
                    }
                    case SNAPPY -> out = decompress(new SnappyJavaDecompressor(), in, size);
                    case ZSTD -> out = decompress(new ZstdJavaDecompressor(), in, size);
                    case LZ4_RAW -> out = decompress(new Lz4JavaDecompressor(), in, size);
                    default -> throw new IOException(file + ": compressed with " + codec + ", which ProtoLens does not read (write it"
                            + " uncompressed or with Snappy, gzip, zstd or LZ4_RAW; Spark's default is Snappy)");
                }
            } catch (RuntimeException e) {
                throw new IOException(file + ": damaged " + codec + " page (" + e.getMessage() + ")", e);
            }
            if (out.length != size) {
                throw new IOException(file + ": damaged " + codec + " page (" + out.length + " bytes, its header says " + size + ")");
            }
            return out;
        }

        private static byte[] decompress(Decompressor d, byte[] in, int size) {
            byte[] out = new byte[size];
            int n = d.decompress(in, 0, in.length, out, 0, size);
            return n == size ? out : Arrays.copyOf(out, n);
        }
    }

    /** A column chunk's pages, read and decompressed, handed out in order. */
    private static final class Chunk implements PageReader {
        final DictionaryPage dictionary;
        final List<DataPage> data;
        private final Deque<DataPage> left;
        private final long values;

        Chunk(DictionaryPage dictionary, Deque<DataPage> data, long values) {
            this.dictionary = dictionary;
            this.data = List.copyOf(data);
            this.left = data;
            this.values = values;
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            return dictionary;
        }

        @Override
        public long getTotalValueCount() {
            return values;
        }

        @Override
        public DataPage readPage() {
            return left.poll();
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long at, Path file) throws IOException {
        long pos = at;
        while (into.hasRemaining()) {
            int n = ch.read(into, pos);
            if (n < 0) {
                throw new EOFException(file + ": ends early (a Parquet file cut short?)");
            }
            pos += n;
        }
    }
}
