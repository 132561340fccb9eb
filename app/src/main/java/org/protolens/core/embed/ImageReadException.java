package org.protolens.core.embed;

import java.io.IOException;

/** An image file that cannot be decoded; the message names the file and the problem. */
public final class ImageReadException extends IOException {
    private final String problem;

    public ImageReadException(String file, String problem) {
        super(file + ": " + problem);
        this.problem = problem;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
