package org.protolens.core.project;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import net.harawata.appdirs.AppDirsFactory;

/** Where the bundled sample projects are: -Dprotolens.samples, else a sample-projects folder above the jar or the working folder. */
public final class SampleProjects {
    public static final String DEFAULT = "cifar10-fewshot";

    private SampleProjects() {
    }

    /** The default sample's folder, or null when no sample is found. */
    public static Path defaultSample() {
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

    /** Every bundled sample's folder, the default first. */
    public static List<Path> all() {
        Map<String, Path> found = new LinkedHashMap<>();
        Path first = defaultSample();
        if (first != null) {
            found.put(first.getFileName().toString(), first);
        }
        for (Path root : roots()) {
            try (Stream<Path> s = Files.list(root)) {
                for (Path p : s.sorted().toList()) {
                    if (Files.isRegularFile(p.resolve("project.json"))) {
                        found.putIfAbsent(p.getFileName().toString(), p);
                    }
                }
            } catch (IOException e) {
                // an unreadable samples folder offers none
            }
        }
        return List.copyOf(found.values());
    }

    /** Whether {@code dir} is one of the bundled samples (never changed in place). */
    public static boolean isBundled(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return roots().stream().anyMatch(r -> d.startsWith(r.toAbsolutePath().normalize()));
    }

    /** Where the user's own copies of samples and of read-only projects live. */
    public static Path copies() {
        return dataFolder().resolve("projects");
    }

    /**
     * ProtoLens's data folder: -Dprotolens.data, else the platform's place for application data
     * ({@code ~/.local/share/protolens} or $XDG_DATA_HOME on Linux, {@code ~/Library/Application
     * Support/ProtoLens} on macOS, {@code %APPDATA%\\ProtoLens} on Windows).
     */
    public static Path dataFolder() {
        String prop = System.getProperty("protolens.data");
        if (prop != null) {
            return Path.of(prop);
        }
        boolean linux = !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).matches(".*(win|mac).*");
        return Path.of(AppDirsFactory.getInstance().getUserDataDir(linux ? "protolens" : "ProtoLens", null,
                null, true));
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
