package org.protolens.ui;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the bundled sample projects are: -Dprotolens.samples, else a sample-projects folder above the jar or the working folder. */
final class SampleProjects {
    static final String DEFAULT = "cifar10-fewshot";

    private SampleProjects() {
    }

    /** The default sample's folder, or null when no sample is found. */
    static Path defaultSample() {
        for (Path root : roots()) {
            for (String name : new String[] {DEFAULT, "fashion-fewshot"}) {
                Path p = root.resolve(name);
                if (Files.isRegularFile(p.resolve("project.json"))) {
                    return p;
                }
            }
        }
        return null;
    }

    private static List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        String prop = System.getProperty("protolens.samples");
        if (prop != null) {
            roots.add(Path.of(prop));
        }
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Path.of(SampleProjects.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | RuntimeException e) {
            // no code location: only the working folder is searched
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path candidate = p.resolve("sample-projects");
                if (Files.isDirectory(candidate)) {
                    roots.add(candidate);
                    break;
                }
            }
        }
        return roots;
    }
}
