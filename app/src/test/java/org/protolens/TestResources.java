package org.protolens;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.protolens.core.project.OpenProject;

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

    /** A copy of the bundled sample {@code name} at {@code target}, a project folder to work in. */
    public static Path sampleCopy(String name, Path target) throws IOException {
        OpenProject.copy(samples().resolve(name), target);
        return target;
    }

    /** torchscript/tiny.pt archived as model zoos hold a model ({@code tinynet/tinynet.pt} in a zip) at {@code zip}. */
    public static Path tinyModelZip(Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("tinynet/tinynet.pt"));
            Files.copy(torchscript("tiny.pt"), z);
            z.closeEntry();
        }
        return zip;
    }
}
