package org.protolens.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major matrix of 32-bit floats: embeddings (one image per row) or prototypes (one
 * class per row). The backing array is shared, not copied: callers that keep a matrix must not
 * mutate the part of the array it covers. The matrix is the array's first {@code rows * cols}
 * values; the array may be longer (a project's embeddings with room for images added later), and
 * what lies beyond is not part of the matrix.
 */
public record FloatMatrix(int rows, int cols, float[] data) {

    public FloatMatrix {
        Objects.requireNonNull(data, "data");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + " x " + cols);
        }
        if ((long) rows * cols > data.length) {
            throw new IllegalArgumentException(
                    "shape " + rows + " x " + cols + " needs more than " + data.length + " values");
        }
    }

    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    public static FloatMatrix ofRows(float[]... rows) {
        if (rows.length == 0) {
            return new FloatMatrix(0, 0, new float[0]);
        }
        int cols = rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, expected " + cols);
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return new FloatMatrix(rows.length, cols, data);
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    /** A copy of one row. */
    public float[] row(int row) {
        Objects.checkIndex(row, rows);
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    /** Offset of the first value of a row in {@link #data()}. */
    public int offset(int row) {
        return row * cols;
    }

    /** A new matrix holding the given rows, in the given order. */
    public FloatMatrix selectRows(int[] rowIndices) {
        float[] out = new float[rowIndices.length * cols];
        for (int i = 0; i < rowIndices.length; i++) {
            Objects.checkIndex(rowIndices[i], rows);
            System.arraycopy(data, rowIndices[i] * cols, out, i * cols, cols);
        }
        return new FloatMatrix(rowIndices.length, cols, out);
    }

    /** How many values the matrix holds: {@code rows * cols} (its array may be longer). */
    public int size() {
        return rows * cols;
    }

    /** The matrix's values in an array of exactly {@link #size()} values: its own array when that fits, else a copy. */
    public float[] values() {
        return data.length == size() ? data : Arrays.copyOf(data, size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, 0, m.size(), data, 0, size());
    }

    @Override
    public int hashCode() {
        int h = 31 * rows + cols;
        for (int i = 0; i < size(); i++) {
            h = 31 * h + Float.hashCode(data[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + " x " + cols + "]";
    }
}
