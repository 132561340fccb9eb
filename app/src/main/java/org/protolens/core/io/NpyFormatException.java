package org.protolens.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A .npy file that ProtoLens cannot use; the message names the file and the problem. */
public final class NpyFormatException extends IOException {
    public NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
