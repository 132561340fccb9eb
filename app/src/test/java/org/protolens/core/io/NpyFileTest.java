package org.protolens.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.FloatMatrix;

class NpyFileTest {
    @TempDir
    Path dir;

    @Test
    void matricesAndLabelsRoundTrip() throws IOException {
        FloatMatrix m = FloatMatrix.ofRows(new float[] {1.5f, -2, 3e-8f}, new float[] {0, Float.MAX_VALUE, -0.0f});
        Path f = dir.resolve("m.npy");
        NpyFile.writeMatrix(f, m);
        assertEquals(m, NpyFile.readMatrix(f));
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(0, (10 + (bytes[8] & 0xff)) % 64, "header is padded to 64 bytes as NumPy does");
        int[] labels = {0, 7, 2, 2147483647};
        NpyFile.writeLabels(dir.resolve("y.npy"), labels);
        assertArrayEquals(labels, NpyFile.readLabels(dir.resolve("y.npy")));
    }

    @Test
    void readsFloat64Int32AndVersion2Headers() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-8);
        Path f = write("f8.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", d.array());
        assertArrayEquals(new float[] {0.25f, -8}, NpyFile.readMatrix(f).data());
        ByteBuffer i = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(3).putInt(1);
        Path g = write("i4.npy", 2, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", i.array());
        assertArrayEquals(new int[] {3, 1}, NpyFile.readLabels(g));
    }

    @Test
    void refusesWhatItCannotUseNamingFileAndProblem() throws IOException {
        byte[] eight = new byte[8];
        assertRefused(write("be.npy", 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }", eight), "big-endian");
        assertRefused(write("f.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", eight), "Fortran order");
        assertRefused(write("u1.npy", 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4), }", eight), "dtype '|u1'");
        assertRefused(write("1d.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", eight), "shape (2,)");
        assertRefused(write("short.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", eight),
                "truncated: shape (2, 2) needs 16 bytes of data, the file has 8");
        assertRefused(write("long.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", eight), "4 bytes after");
        ByteBuffer nan = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(Float.NaN);
        assertRefused(write("nan.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", nan.array()),
                "row 0, column 1 is NaN");
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "a,b,c\n1,2,3\n");
        assertRefused(text, "not a NumPy .npy file");
        Path labels = write("neg.npy", 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        var e = assertThrows(NpyFormatException.class, () -> NpyFile.readLabels(labels));
        assertTrue(e.getMessage().startsWith(labels.toString()) && e.getMessage().contains("is -1"), e.getMessage());
        var m = assertThrows(NpyFormatException.class, () -> NpyFile.readLabels(write("fl.npy", 1,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", eight)));
        assertTrue(m.getMessage().contains("int32 or int64"), m.getMessage());
    }

    @Test
    void aMatrixLargerThanOneReadBlockIsReadWholeAndCheckedToItsLastValue() throws IOException {
        // 1,500,000 values: float32 spans two 4 MB blocks, float64 three
        int rows = 3000;
        int cols = 500;
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        Path f = dir.resolve("big.npy");
        NpyFile.writeMatrix(f, new FloatMatrix(rows, cols, values));
        assertArrayEquals(values, NpyFile.readMatrix(f).data());
        assertArrayEquals(new long[] {rows, cols}, NpyFile.matrixShape(f));

        ByteBuffer wide = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            wide.putDouble(v);
        }
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        assertArrayEquals(values, NpyFile.readMatrix(write("big8.npy", 1, dict, wide.array())).data());
        wide.putDouble((values.length - 1) * 8, Double.POSITIVE_INFINITY);
        assertRefused(write("inf8.npy", 1, dict, wide.array()), "row 2999, column 499 is Infinity");

        ByteBuffer narrow = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        narrow.asFloatBuffer().put(values);
        narrow.putFloat((1_200_000 + 7) * 4, Float.NaN);
        assertRefused(write("nan4.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }",
                narrow.array()), "row 2400, column 7 is NaN");
    }

    @Test
    void theShapeAloneIsCheckedAsTheWholeRead() throws IOException {
        byte[] eight = new byte[8];
        Path shortFile = write("short.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", eight);
        var e = assertThrows(NpyFormatException.class, () -> NpyFile.matrixShape(shortFile));
        assertTrue(e.getMessage().startsWith(shortFile.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "a,b");
        e = assertThrows(NpyFormatException.class, () -> NpyFile.matrixShape(text));
        assertTrue(e.getMessage().contains("not a NumPy .npy file"), e.getMessage());
        assertArrayEquals(new long[] {1, 2}, NpyFile.matrixShape(write("ok.npy", 2,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", eight)));
    }

    @Test
    void aFailedWriteLeavesTheOldFile() throws IOException {
        Path f = dir.resolve("keep.npy");
        FloatMatrix m = FloatMatrix.ofRows(new float[] {1, 2});
        NpyFile.writeMatrix(f, m);
        Files.createDirectory(dir.resolve("blocker"));
        assertThrows(IOException.class, () -> NpyFile.writeMatrix(dir.resolve("blocker"), m));
        assertEquals(m, NpyFile.readMatrix(f));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left behind");
        }
    }

    private void assertRefused(Path f, String expected) {
        var e = assertThrows(NpyFormatException.class, () -> NpyFile.readMatrix(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String name, int version, String dict, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        if (version == 1) {
            out.write(new byte[] {(byte) h.length, 0});
        } else {
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        }
        out.write(h);
        out.write(data);
        Path f = dir.resolve(name);
        Files.write(f, out.toByteArray());
        return f;
    }
}
