package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.protolens.core.embed.ImageFiles;

/**
 * What a drop (or File > Import) brings into a project, before anything is embedded: a dropped
 * folder whose sub-folders hold images gives one group per sub-folder, named after it (a class
 * each, if the person wants); image files dropped on their own, or lying directly in a dropped
 * folder, are loose images; files that are no images, or are in the project already, are skipped
 * with the reason.
 */
public final class ImportPlan {
    /** Images of one sub-folder: a class-to-be named after the folder. */
    public record Group(String name, Path folder, List<Path> files) {
    }

    /**
     * A dropped folder's sub-folder that is itself a folder of class folders (a dataset's
     * {@code train/}, {@code test/}): no images of its own, sub-folders with images.
     *
     * @param classes its class folders, by name
     */
    public record Split(String name, List<Group> classes) {
        public int imageCount() {
            return classes.stream().mapToInt(g -> g.files().size()).sum();
        }
    }

    /** Names that datasets give their splits: a drop of such folders is taken by its inner class folders at first. */
    private static final Set<String> SPLIT_NAMES = Set.of("train", "training", "test", "testing", "val", "valid", "validation",
            "dev", "query", "support", "base", "novel", "unlabelled", "unlabeled", "all");

    /** A file that will not be imported, and why. */
    public record Skipped(Path file, String reason) {
    }

    /** How the groups (sub-folders) are taken in. */
    public enum GroupsAs { BASE, NOVEL, UNLABELLED }

    /** How loose images are taken in. */
    public enum LooseAs { UNLABELLED, EXISTING_CLASS, NEW_CLASS }

    /**
     * One file to embed and how to label it once embedded.
     *
     * @param label    the class name, or null for unlabelled
     * @param kind     the class's kind; when the class does not exist yet it is created so (a novel
     *                 class, or a base class from its images); null for unlabelled
     * @param shot     a shot of its novel class
     */
    public record Item(Path file, String label, Workspace.Kind kind, boolean shot) {
    }

    /**
     * Follows an import's items while their files are embedded, in the order given: a shot whose
     * file cannot be read passes to the next image of its class that is read, so an unreadable file
     * never costs a new class a shot. Not thread-safe: called from the thread that embeds.
     */
    public static final class Progress {
        private final Map<Path, Deque<Item>> byFile = new HashMap<>();
        private final Map<String, Integer> owed = new HashMap<>();

        public Progress(List<Item> items) {
            for (Item it : items) {
                byFile.computeIfAbsent(it.file(), f -> new ArrayDeque<>()).add(it);
            }
        }

        /** The file of the next item planned for {@code file} could not be read. */
        public void failed(Path file) {
            Deque<Item> planned = byFile.get(file);
            Item it = planned == null ? null : planned.pollFirst();
            if (it != null && it.shot()) {
                owed.merge(it.label(), 1, Integer::sum);
            }
        }

        /** The items of {@code files}, just embedded, as they join: a member takes a shot that an unreadable file left. */
        public List<Item> embedded(List<Path> files) {
            List<Item> out = new ArrayList<>(files.size());
            for (Path f : files) {
                Deque<Item> planned = byFile.get(f);
                if (planned == null || planned.isEmpty()) {
                    throw new IllegalArgumentException(f + " was not planned for this import");
                }
                Item it = planned.removeFirst();
                if (!it.shot() && it.label() != null && owed.getOrDefault(it.label(), 0) > 0) {
                    owed.merge(it.label(), -1, Integer::sum);
                    it = new Item(it.file(), it.label(), it.kind(), true);
                }
                out.add(it);
            }
            return out;
        }

        /** Shots planned whose files could not be read and that no later image of their class could take. */
        public int shotsLost() {
            return owed.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Where copies of imported images go in a project folder: a folder per class (or "unlabelled") under it. */
    public static final String COPIES_FOLDER = "images/imported";

    /** A file that could not be copied into the project, and why. */
    public record NotCopied(Path file, String reason) {
    }

    /**
     * Copies the files of {@code items} that lie outside the project folder {@code dir} into it
     * ({@value #COPIES_FOLDER}/CLASS/NAME, a number added to a name taken), so that the project
     * holds its images and can be moved or sent whole. Returns the items with their copies' paths,
     * in order; a file that cannot be copied is left out and listed in {@code failed}. Files inside
     * the project stay where they are.
     */
    public static List<Item> copiedInto(Path dir, List<Item> items, List<NotCopied> failed, BooleanSupplier cancelled) {
        Path base = dir.toAbsolutePath().normalize();
        List<Item> out = new ArrayList<>(items.size());
        for (Item it : items) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("copying cancelled after " + out.size() + " of " + items.size() + " images");
            }
            if (it.file().toAbsolutePath().normalize().startsWith(base)) {
                out.add(it);
                continue;
            }
            try {
                out.add(new Item(ImportedFiles.copyInto(base, it.file(), it.label()), it.label(), it.kind(), it.shot()));
            } catch (IOException e) {
                failed.add(new NotCopied(it.file(), e.getMessage()));
            }
        }
        return out;
    }

    private final List<Group> groups;
    private final List<Path> loose;
    private final List<Skipped> skipped;
    private final String looseFolderName;
    private final List<Split> splits;

    private ImportPlan(List<Group> groups, List<Path> loose, List<Skipped> skipped, String looseFolderName, List<Split> splits) {
        this.groups = groups;
        this.loose = loose;
        this.skipped = skipped;
        this.looseFolderName = looseFolderName;
        this.splits = splits;
    }

    /**
     * The splits, when every sub-folder with images of the dropped folders is a folder of class
     * folders (else empty): then the person chooses between {@link #groups()} (one class per split)
     * and {@link #byClassFolders}.
     */
    public List<Split> splits() {
        return splits;
    }

    /**
     * Whether the splits look like a dataset's (named train, test, val and the like, or sharing
     * class names): then their class folders are the likelier classes.
     */
    public boolean splitsLookLikeADataset() {
        if (splits.isEmpty()) {
            return false;
        }
        boolean named = splits.stream().allMatch(sp -> SPLIT_NAMES.contains(sp.name().toLowerCase(Locale.ROOT)));
        Set<String> seen = new HashSet<>();
        boolean shared = false;
        for (Split sp : splits) {
            for (Group g : sp.classes()) {
                shared |= !seen.add(g.name());
            }
        }
        return named || shared;
    }

    /**
     * This plan with the class folders of the splits named {@code chosen} as its groups, those of
     * one name merged across splits (in the splits' order); loose and skipped files as they are.
     */
    public ImportPlan byClassFolders(Collection<String> chosen) {
        Map<String, Group> merged = new LinkedHashMap<>();
        for (Split sp : splits) {
            if (!chosen.contains(sp.name())) {
                continue;
            }
            for (Group g : sp.classes()) {
                Group m = merged.computeIfAbsent(g.name(), n -> new Group(n, g.folder(), new ArrayList<>()));
                m.files().addAll(g.files());
            }
        }
        List<Group> sorted = merged.values().stream().sorted(Comparator.comparing(Group::name)).toList();
        return new ImportPlan(sorted, loose, skipped, looseFolderName, splits);
    }

    /**
     * Sorts dropped files and folders into groups and loose images.
     *
     * @param present the project's image files (absolute, normalised): dropping them again skips them
     */
    public static ImportPlan of(Collection<Path> dropped, Set<Path> present) throws IOException {
        Map<String, Group> groups = new LinkedHashMap<>();
        Map<String, Map<String, Group>> splitClasses = new LinkedHashMap<>();
        boolean allSplits = true;
        List<Path> loose = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        String looseFolder = null;
        for (Path d : dropped.stream().sorted().toList()) {
            if (Files.isDirectory(d)) {
                List<Path> subfolders;
                try (Stream<Path> s = Files.list(d)) {
                    subfolders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
                }
                for (Path sub : subfolders) {
                    List<Path> files = keep(ImageFiles.under(sub), present, skipped);
                    if (files.isEmpty()) {
                        continue;
                    }
                    Map<String, Group> classes = classFoldersIn(sub, files);
                    if (classes == null) {
                        allSplits = false;
                    } else {
                        Map<String, Group> split = splitClasses.computeIfAbsent(sub.getFileName().toString(), n -> new LinkedHashMap<>());
                        classes.forEach((n, g) -> split.computeIfAbsent(n, x -> new Group(n, g.folder(), new ArrayList<>())).files()
                                .addAll(g.files()));
                    }
                    String name = sub.getFileName().toString();
                    Group g = groups.get(name);
                    if (g == null) {
                        groups.put(name, new Group(name, sub, new ArrayList<>(files)));
                    } else {
                        g.files().addAll(files);
                    }
                }
                List<Path> direct;
                try (Stream<Path> s = Files.list(d)) {
                    direct = s.filter(Files::isRegularFile).sorted().toList();
                }
                List<Path> images = new ArrayList<>();
                for (Path f : direct) {
                    if (ImageFiles.isImageName(f)) {
                        images.add(f);
                    } else if (!f.getFileName().toString().startsWith(".")) {
                        skipped.add(new Skipped(f, "not an image file ("
                                + String.join(", ", ImageFiles.EXTENSIONS.stream().sorted().toList()) + ")"));
                    }
                }
                images = keep(images, present, skipped);
                if (!images.isEmpty() && looseFolder == null) {
                    looseFolder = d.getFileName() == null ? null : d.getFileName().toString();
                }
                loose.addAll(images);
            } else if (Files.isRegularFile(d)) {
                if (ImageFiles.isImageName(d)) {
                    loose.addAll(keep(List.of(d), present, skipped));
                } else {
                    skipped.add(new Skipped(d, "not an image file"));
                }
            } else {
                skipped.add(new Skipped(d, "does not exist or cannot be read"));
            }
        }
        List<Split> splits = !allSplits || splitClasses.isEmpty() ? List.of()
                : splitClasses.entrySet().stream().map(e -> new Split(e.getKey(), List.copyOf(e.getValue().values()))).toList();
        return new ImportPlan(List.copyOf(groups.values()), loose, skipped, looseFolder, splits);
    }

    /**
     * The class folders of {@code folder}, with their images among {@code files} (the images under
     * it), when it is a folder of class folders: no images of its own. Else null.
     */
    private static Map<String, Group> classFoldersIn(Path folder, List<Path> files) {
        Map<String, Group> classes = new LinkedHashMap<>();
        for (Path f : files) {
            Path rel = folder.relativize(f);
            if (rel.getNameCount() < 2) {
                return null;
            }
            String name = rel.getName(0).toString();
            classes.computeIfAbsent(name, n -> new Group(n, folder.resolve(n), new ArrayList<>())).files().add(f);
        }
        return classes;
    }

    private static List<Path> keep(List<Path> files, Set<Path> present, List<Skipped> skipped) {
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            if (present.contains(f.toAbsolutePath().normalize())) {
                skipped.add(new Skipped(f, "is in the project already"));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    public List<Group> groups() {
        return groups;
    }

    /** Every image file the plan could import: the loose ones, the groups' and the splits' class folders'. */
    public Stream<Path> allFiles() {
        return Stream.of(loose.stream(), groups.stream().flatMap(g -> g.files().stream()),
                splits.stream().flatMap(sp -> sp.classes().stream()).flatMap(g -> g.files().stream())).flatMap(f -> f);
    }

    public List<Path> loose() {
        return loose;
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    /** A name to suggest for a new class of the loose images: the folder they came from, if any. */
    public String suggestedLooseName() {
        return looseFolderName;
    }

    public int imageCount() {
        return loose.size() + groups.stream().mapToInt(g -> g.files().size()).sum();
    }

    /**
     * The files to embed, in order, with what each becomes: the shots of every new novel class come
     * before its other images, so that the class exists as soon as its first images arrive.
     *
     * @param groupsAs     how sub-folders are taken
     * @param shotsPerClass sub-folders taken as novel classes: their first images by name are shots
     * @param looseAs      how loose images are taken
     * @param looseClass   the class for loose images (existing or new), else null
     * @param existing     the names of the project's classes, with their kind
     */
    public List<Item> items(GroupsAs groupsAs, int shotsPerClass, LooseAs looseAs, String looseClass,
                            Map<String, Workspace.Kind> existing) {
        List<Item> out = new ArrayList<>();
        for (Group g : groups) {
            switch (groupsAs) {
                case UNLABELLED -> g.files().forEach(f -> out.add(new Item(f, null, null, false)));
                case BASE -> {
                    Workspace.Kind kind = existing.getOrDefault(g.name(), Workspace.Kind.BASE_FROM_IMAGES);
                    g.files().forEach(f -> out.add(new Item(f, g.name(), kind, false)));
                }
                case NOVEL -> {
                    Workspace.Kind kind = existing.getOrDefault(g.name(), Workspace.Kind.NOVEL);
                    boolean newNovel = !existing.containsKey(g.name());
                    for (int j = 0; j < g.files().size(); j++) {
                        out.add(new Item(g.files().get(j), g.name(), kind, newNovel && j < shotsPerClass));
                    }
                }
            }
        }
        switch (looseAs) {
            case UNLABELLED -> loose.forEach(f -> out.add(new Item(f, null, null, false)));
            case EXISTING_CLASS -> loose.forEach(f -> out.add(new Item(f, looseClass, existing.get(looseClass), false)));
            case NEW_CLASS -> loose.forEach(f -> out.add(new Item(f, looseClass, Workspace.Kind.NOVEL, true)));
        }
        return out;
    }
}
