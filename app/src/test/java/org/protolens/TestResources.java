package org.protolens;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the committed test resources (made by torchscript/make_reference.py). */
public final class TestResources {
    private TestResources() {
    }

    public static Path path(String name) {
        try {
            var url = TestResources.class.getResource("/" + name);
            if (url == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path torchscript(String name) {
        return path("torchscript/" + name);
    }

    /** sample-projects/ of this checkout (tests run in app/). */
    public static Path samples() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-projects"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no sample-projects folder above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("sample-projects");
    }
}
