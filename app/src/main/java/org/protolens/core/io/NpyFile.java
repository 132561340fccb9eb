package org.protolens.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.protolens.core.FloatMatrix;

/**
 * NumPy .npy files (format versions 1.0, 2.0 and 3.0): float32/float64 matrices and int32/int64
 * label vectors, little-endian, C order. Everything else is refused with a message that names the
 * file and says what is wrong. Writes are atomic: a temporary file beside the target is renamed
 * over it.
 */
public final class NpyFile {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFile() {
    }

    /** The parsed header of a .npy file. */
    public record Header(String descr, boolean fortranOrder, long[] shape, int dataOffset) {
        long count() {
            long c = 1;
            for (long s : shape) {
                c = Math.multiplyExact(c, s);
            }
            return c;
        }

        String shapeText() {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                b.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            return b.append(shape.length == 1 ? ",)" : ")").toString();
        }
    }

    /**
     * Reads a 2-D float32 or float64 matrix; NaN and infinite values are refused. The file is read
     * in blocks straight into the matrix, so a large one needs no second copy in memory.
     */
    public static FloatMatrix readMatrix(Path file) throws IOException {
        try (FileChannel ch = openChannel(file)) {
            Header h = matrixHeader(file, ch);
            int width = h.descr().equals("<f4") ? 4 : 8;
            int rows = (int) h.shape()[0];
            int cols = (int) h.shape()[1];
            float[] data = new float[rows * cols];
            ch.position(h.dataOffset());
            ByteBuffer buf = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
            int done = 0;
            while (done < data.length) {
                int count = Math.min(data.length - done, BLOCK / width);
                buf.clear().limit(count * width);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new NpyFormatException(file, "truncated while reading");
                    }
                }
                buf.flip();
                if (width == 4) {
                    buf.asFloatBuffer().get(data, done, count);
                } else {
                    DoubleBuffer doubles = buf.asDoubleBuffer();
                    for (int j = 0; j < count; j++) {
                        data[done + j] = (float) doubles.get(j);
                    }
                }
                for (int j = done; j < done + count; j++) {
                    if (!Float.isFinite(data[j])) {
                        double v = width == 4 ? data[j] : buf.asDoubleBuffer().get(j - done);
                        throw new NpyFormatException(file, "value at row " + (j / Math.max(cols, 1)) + ", column "
                                + (j % Math.max(cols, 1)) + " is " + v + " (NaN and infinite values are not allowed)");
                    }
                }
                done += count;
            }
            return new FloatMatrix(rows, cols, data);
        }
    }

    /**
     * The rows and columns of a 2-D float32 or float64 matrix, from its header alone: checked as
     * {@link #readMatrix} checks it, except for the values.
     */
    public static long[] matrixShape(Path file) throws IOException {
        try (FileChannel ch = openChannel(file)) {
            return matrixHeader(file, ch).shape().clone();
        }
    }

    private static final int BLOCK = 1 << 22;

    private static FileChannel openChannel(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    /** The header of a matrix file, its dtype, shape and length checked. */
    private static Header matrixHeader(Path file, FileChannel ch) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(12);
        while (start.hasRemaining() && ch.read(start) >= 0) {
            // until 12 bytes or the end
        }
        byte[] first = Arrays.copyOf(start.array(), start.position());
        int headerEnd = first.length;
        if (first.length >= 10 && (first[6] & 0xff) == 1) {
            headerEnd = 10 + ((first[8] & 0xff) | (first[9] & 0xff) << 8);
        } else if (first.length >= 12 && ((first[6] & 0xff) == 2 || (first[6] & 0xff) == 3)) {
            long len = ByteBuffer.wrap(first, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            headerEnd = (int) Math.min(12 + len, Math.min(ch.size(), Integer.MAX_VALUE - 16));
        }
        ByteBuffer head = ByteBuffer.allocate(Math.max(headerEnd, first.length));
        ch.position(0);
        while (head.hasRemaining() && ch.read(head) >= 0) {
            // until the header's end or the file's
        }
        Header h = parseHeader(file, Arrays.copyOf(head.array(), head.position()));
        int width = switch (h.descr()) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new NpyFormatException(file, "expected float32 or float64 little-endian ('<f4' or '<f8'), found dtype '"
                    + h.descr() + "'");
        };
        if (h.shape().length != 2) {
            throw new NpyFormatException(file, "expected a 2-D matrix (rows x dimensions), found shape " + h.shapeText());
        }
        checkLength(file, h, ch.size() - h.dataOffset(), width);
        if (h.count() > Integer.MAX_VALUE - 16) {
            throw new NpyFormatException(file, "matrix " + h.shapeText() + " is too large to load");
        }
        return h;
    }

    /** Reads a 1-D int32 or int64 label vector; labels must be non-negative ints. */
    public static int[] readLabels(Path file) throws IOException {
        byte[] bytes = readAll(file);
        Header h = parseHeader(file, bytes);
        int width = switch (h.descr()) {
            case "<i4" -> 4;
            case "<i8" -> 8;
            default -> throw new NpyFormatException(file, "expected int32 or int64 little-endian labels ('<i4' or '<i8'), found dtype '"
                    + h.descr() + "'");
        };
        if (h.shape().length != 1) {
            throw new NpyFormatException(file, "expected a 1-D label vector, found shape " + h.shapeText());
        }
        checkLength(file, h, bytes.length - h.dataOffset(), width);
        int[] labels = new int[(int) h.shape()[0]];
        ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), bytes.length - h.dataOffset()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < labels.length; i++) {
            long v = width == 4 ? buf.getInt() : buf.getLong();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new NpyFormatException(file, "label at index " + i + " is " + v + " (labels are class ids 0, 1, 2, ...)");
            }
            labels[i] = (int) v;
        }
        return labels;
    }

    public static void writeMatrix(Path file, FloatMatrix m) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(m.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(m.data(), 0, m.size());
        write(file, "<f4", "(" + m.rows() + ", " + m.cols() + ")", data.array());
    }

    public static void writeLabels(Path file, int[] labels) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(labels.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int l : labels) {
            data.putLong(l);
        }
        write(file, "<i8", "(" + labels.length + ",)", data.array());
    }

    /**
     * Writes a float32 matrix to a stream (left open), for storage that is not a local file (a
     * cluster's file system).
     */
    public static void writeMatrix(OutputStream out, FloatMatrix m) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(m.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(m.data(), 0, m.size());
        write(out, "<f4", "(" + m.rows() + ", " + m.cols() + ")", data.array());
    }

    private static void write(Path file, String descr, String shape, byte[] data) throws IOException {
        AtomicFiles.write(file, out -> write(out, descr, shape, data));
    }

    private static void write(OutputStream out, String descr, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.ISO_8859_1);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (headerBytes.length & 0xff), (byte) (headerBytes.length >> 8)});
        out.write(headerBytes);
        out.write(data);
    }

    private static byte[] readAll(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    static Header parseHeader(Path file, byte[] bytes) throws NpyFormatException {
        if (bytes.length < 10) {
            throw new NpyFormatException(file, "not a NumPy .npy file (only " + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new NpyFormatException(file, "not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
            }
        }
        int major = bytes[6] & 0xff;
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new NpyFormatException(file, "truncated header");
            }
            headerLen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            start = 12;
        } else {
            throw new NpyFormatException(file, "unsupported .npy format version " + major);
        }
        if (headerLen < 0 || start + headerLen > bytes.length) {
            throw new NpyFormatException(file, "truncated header");
        }
        String dict = new String(bytes, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new NpyFormatException(file, "malformed header: " + dict.strip());
        }
        String d = descr.group(1);
        if (d.startsWith(">")) {
            throw new NpyFormatException(file, "big-endian dtype '" + d + "' (save it little-endian, e.g. arr.astype('<f4'))");
        }
        if (fortran.group(1).equals("True")) {
            throw new NpyFormatException(file, "array is stored in Fortran order (save it in C order, e.g. np.ascontiguousarray(arr))");
        }
        String[] dims = shape.group(1).split(",");
        long[] s = Arrays.stream(dims).map(String::strip).filter(t -> !t.isEmpty()).mapToLong(t -> {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                return -1;
            }
        }).toArray();
        for (long v : s) {
            if (v < 0) {
                throw new NpyFormatException(file, "malformed shape (" + shape.group(1) + ")");
            }
        }
        return new Header(d.startsWith("=") ? "<" + d.substring(1) : d, false, s, start + headerLen);
    }

    private static void checkLength(Path file, Header h, long actual, int width) throws NpyFormatException {
        long expected = h.count() * width;
        if (actual < expected) {
            throw new NpyFormatException(file, "truncated: shape " + h.shapeText() + " needs " + expected
                    + " bytes of data, the file has " + actual);
        }
        if (actual > expected) {
            throw new NpyFormatException(file, "has " + (actual - expected) + " bytes after the data for shape " + h.shapeText());
        }
    }
}
