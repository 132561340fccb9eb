package org.protolens.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.protolens.core.map.MapLayout;
import org.protolens.ui.analysis.ImagesViewModel;
import org.protolens.ui.analysis.SuggestionsViewModel;
import org.protolens.ui.exporter.Exporter;
import org.protolens.ui.map.MapViewModel;

/**
 * Every text the window asks for is in the message bundle (a missing one would show as !key!),
 * and every pattern formats: the window never shows a key or fails on a text.
 */
class MessagesTest {
    private static final Pattern USED = Pattern.compile("(?:Messages\\.get|action|tab)\\(\"([a-z][A-Za-z0-9_.]*)\"");
    private static final Pattern FXML = Pattern.compile("\"%([a-zA-Z0-9_.]+)\"");

    @Test
    void everyKeyTheWindowUsesIsInTheBundle() throws IOException {
        Set<String> used = new TreeSet<>();
        Path src = Path.of("src/main/java/org/protolens/ui");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = USED.matcher(Files.readString(f));
                while (m.find()) {
                    String key = m.group(1);
                    used.add(f.getFileName().toString().equals("AnalysisTabs.java") && !key.contains(".") ? "tab." + key : key);
                }
            }
        }
        try (Stream<Path> files = Files.walk(Path.of("../ui-resources/fxml"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".fxml")).toList()) {
                Matcher m = FXML.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        // keys made from a name
        for (MapViewModel.Colouring c : MapViewModel.Colouring.values()) {
            String n = c.name().toLowerCase(Locale.ROOT);
            Collections.addAll(used, "map.colour." + n, "map.colour." + n + ".tip", "menu.view.colour." + n);
        }
        for (MapLayout.Method m : MapLayout.Method.values()) {
            used.add("map.method." + m.name().toLowerCase(Locale.ROOT) + ".tip");
        }
        for (Exporter.Kind k : Exporter.Kind.values()) {
            used.add("menu.file.export." + k.name().toLowerCase(Locale.ROOT));
            if (k != Exporter.Kind.FOLDERS) {
                used.add("export." + k.name().toLowerCase(Locale.ROOT) + ".title");
            }
        }
        for (ImagesViewModel.Result r : ImagesViewModel.Result.values()) {
            used.add("images.result." + r.name().toLowerCase(Locale.ROOT));
        }
        for (SuggestionsViewModel.Order o : SuggestionsViewModel.Order.values()) {
            used.add("suggestions.order." + o.name().toLowerCase(Locale.ROOT));
        }
        for (String kind : List.of("base", "base_from_images", "novel")) {
            used.add("classes.kind." + kind);
        }
        for (String tab : List.of("flow", "similarity", "confusion", "sessions", "suggestions", "images")) {
            Collections.addAll(used, "tab." + tab, "tab." + tab + ".tip");
        }
        used.removeIf(k -> k.endsWith("."));
        List<String> missing = new ArrayList<>(used.stream().filter(k -> !Messages.has(k)).toList());
        assertTrue(used.size() > 250, "the scan found the keys: " + used.size());
        assertEquals(List.of(), missing, "keys the window uses that the bundle lacks");
    }

    @Test
    void everyPatternFormatsWithNumbersAndNames() {
        for (String key : Messages.bundle().keySet()) {
            for (Object[] args : new Object[][] {{1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2}, {1020, 0, 0, 0, 0, 0}}) {
                String text = Messages.get(key, args);
                assertTrue(!text.isBlank() || key.equals("images.filter.any"), key + " gave nothing");
            }
        }
        assertEquals("1,020 images, 10 classes", Messages.get("status.counts", 1020, 10));
        assertEquals("1 image, 1 class", Messages.get("status.counts", 1, 1));
        assertEquals("Import 3 images (1 file skipped)", Messages.get("import.header", 3, 1));
        assertEquals("!no.such.key!", Messages.get("no.such.key"));
    }

    /**
     * Apostrophes show as typed: a text without a placeholder is shown as it is, so '' would show
     * twice; a text with one goes through MessageFormat, where a single ' would swallow what follows.
     */
    @Test
    void apostrophesShowOnceWhetherATextHasPlaceholdersOrNot() {
        List<String> wrong = new ArrayList<>();
        for (String key : Messages.bundle().keySet()) {
            String pattern = Messages.bundle().getString(key);
            boolean formatted = pattern.contains("{");
            if (!formatted && pattern.contains("''") || formatted && pattern.replace("''", "").contains("'")) {
                wrong.add(key);
            }
        }
        assertEquals(List.of(), wrong, "texts whose apostrophes would show wrong");
    }
}
