package org.protolens.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.protolens.core.shortcut.ShortcutDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "make-shortcut-dataset", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = "Draws a synthetic image dataset of two features, a core feature (the object's shape) and a shortcut,"
                + " each predicting the label as often as asked (Hermann et al., ICLR 2024).%n"
                + "Writes a folder per class and manifest.csv (path, label, core, shortcut, aligned or conflict).")
final class MakeShortcutDatasetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--classes", required = true, paramLabel = "N", description = "classes, 2 to 8 (one shape each)")
    int classes;

    @Option(names = "--core", defaultValue = "shape", paramLabel = "FEATURE", description = "the core feature: shape")
    String core;

    @Option(names = "--shortcut", required = true, paramLabel = "KIND", description = "background-colour, texture, patch or position")
    String shortcut;

    @Option(names = "--core-predictivity", required = true, paramLabel = "P",
            description = "probability that the object's shape is the label's, in [0, 1]")
    double coreP;

    @Option(names = "--shortcut-predictivity", required = true, paramLabel = "Q",
            description = "probability that the shortcut is the label's, in [0, 1]")
    double shortcutQ;

    @Option(names = "--core-size", defaultValue = "14", paramLabel = "S", description = "the object's size in pixels (default 14)")
    int coreSize;

    @Option(names = "--shortcut-size", defaultValue = "6", paramLabel = "T",
            description = "the shortcut's size in pixels: border band, stripe spacing, patch width or distance from the centre (default 6)")
    int shortcutSize;

    @Option(names = "--shortcut-contrast", defaultValue = "1", paramLabel = "C",
            description = "the shortcut's colour from 0 (the neutral grey) to 1 (full colour; default)")
    double contrast;

    @Option(names = "--images-per-class", required = true, paramLabel = "M", description = "images in each label's folder")
    int perClass;

    @Option(names = "--image-size", defaultValue = "32", paramLabel = "PX", description = "width and height in pixels (default 32)")
    int imageSize;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "X", description = "the same seed draws the same files (default 1)")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "a new or empty folder")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!core.equals("shape")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown core feature \"" + core + "\": shape");
        }
        ShortcutDataset.Shortcut kind;
        ShortcutDataset.Spec s;
        try {
            kind = ShortcutDataset.Shortcut.parse(shortcut);
            s = new ShortcutDataset.Spec(classes, kind, coreP, shortcutQ, coreSize, shortcutSize, contrast, perClass, imageSize, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<ShortcutDataset.Item> items = ShortcutDataset.write(s, out);
        long aligned = items.stream().filter(ShortcutDataset.Item::aligned).count();
        double coreShare = items.stream().filter(i -> i.core() == i.label()).count() / (double) items.size();
        double shortcutShare = items.stream().filter(i -> i.shortcut() == i.label()).count() / (double) items.size();
        spec.commandLine().getOut().printf(Locale.ROOT, "%,d images in %s: %,d aligned, %,d conflicts; core predictivity %.3f,"
                + " shortcut predictivity %.3f (as drawn)%n", items.size(), out, aligned, items.size() - aligned, coreShare, shortcutShare);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
