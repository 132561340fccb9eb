package org.protolens;

import java.net.URISyntaxException;
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
}
