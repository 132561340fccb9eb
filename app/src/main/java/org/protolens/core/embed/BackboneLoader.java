package org.protolens.core.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.FolderFiles;

/**
 * Opens a backbone from what a person names:
 * <ul>
 *   <li>{@code MODEL.pt}: a TorchScript file, with its preprocessing in {@code MODEL.json} or given
 *       by the caller;</li>
 *   <li>a folder with {@code backbone.json}: a built-in architecture and its .params weights, or a
 *       TorchScript file;</li>
 *   <li>a model URL ({@code djl://}, {@code https://}, {@code file://}) or the name
 *       {@value #IMAGENET_RESNET18}: a model from DJL's model zoo, downloaded on first use with
 *       progress and cached (ImageNet preprocessing unless the caller gives another).</li>
 * </ul>
 */
public final class BackboneLoader {
    /** The pretrained ImageNet ResNet-18 of DJL's PyTorch model zoo, without its classifier. */
    public static final String IMAGENET_RESNET18 = "imagenet-resnet18";
    public static final String IMAGENET_RESNET18_URL = "djl://ai.djl.pytorch/resnet18_embedding";

    static {
        NativeMemory.configure();
    }

    private BackboneLoader() {
    }

    /** Receives download progress of zoo models. */
    public interface DownloadListener {
        void progress(String what, long done, long total);
    }

    /**
     * @param spec     a file, a folder or a model URL, as above
     * @param override preprocessing that replaces the sidecar's, or null
     * @param listener download progress, or null
     */
    public static Backbone open(String spec, Preprocessing override, DownloadListener listener) throws IOException {
        if (spec.equals(IMAGENET_RESNET18)) {
            return zoo(IMAGENET_RESNET18_URL, override == null ? Preprocessing.imagenet(224) : override, listener);
        }
        if (spec.matches("(?i)(djl|https?|file|jar|s3)://.*")) {
            return zoo(spec, override == null ? Preprocessing.imagenet(224) : override, listener);
        }
        Path path = Path.of(spec);
        if (Files.isDirectory(path)) {
            return folder(path, override);
        }
        if (Files.isRegularFile(path)) {
            return torchScript(path, override);
        }
        throw new IOException(spec + ": no such file or folder (a backbone is a TorchScript .pt file, a folder with "
                + BackboneSpec.FILE_NAME + ", a model URL, or " + IMAGENET_RESNET18 + ")");
    }

    /** A TorchScript file; preprocessing from {@code MODEL.json} beside it unless given. */
    public static Backbone torchScript(Path file, Preprocessing override) throws IOException {
        Preprocessing p = override;
        if (p == null) {
            Path sidecar = sidecarOf(file);
            if (!Files.isRegularFile(sidecar)) {
                throw new IOException(file + ": no preprocessing given: add " + sidecar.getFileName()
                        + " with {\"input\": {\"width\", \"height\", \"mean\", \"std\"}} or pass the input size, mean and std");
            }
            p = BackboneSpec.read(sidecar).input().preprocessing();
        }
        Device device = Devices.preferred();
        String name = file.getFileName().toString();
        Criteria<BatchTranslator.Input, FloatMatrix> criteria = Criteria.builder()
                .setTypes(BatchTranslator.Input.class, FloatMatrix.class)
                .optModelPath(file.toAbsolutePath())
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(new BatchTranslator())
                .build();
        ZooModel<BatchTranslator.Input, FloatMatrix> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IOException(file + ": not a TorchScript model ProtoLens can load (" + DjlBackbone.rootMessage(e)
                    + "); save it with torch.jit.trace or torch.jit.script and torch.jit.save", e);
        }
        return new DjlBackbone(name, model, p, fingerprint(List.of(file), "torchscript " + p.fingerprint()), device);
    }

    /** A folder with backbone.json. */
    public static Backbone folder(Path dir, Preprocessing override) throws IOException {
        Path sidecar = dir.resolve(BackboneSpec.FILE_NAME);
        if (!Files.isRegularFile(sidecar)) {
            throw new IOException(dir + ": not a backbone folder (" + BackboneSpec.FILE_NAME + " is missing)");
        }
        BackboneSpec spec = BackboneSpec.read(sidecar);
        Preprocessing p = override != null ? override : spec.input().preprocessing();
        if (spec.weights() == null) {
            throw new IOException(sidecar + ": \"weights\" (the weights file name) is missing");
        }
        FolderFiles.requireInside(dir, spec.weights(), sidecar, "weights");
        Path weights = dir.resolve(spec.weights());
        if (!Files.isRegularFile(weights)) {
            throw new IOException(sidecar + ": the weights file " + spec.weights() + " is missing");
        }
        String format = spec.format() == null ? "" : spec.format();
        return switch (format) {
            case BackboneSpec.FORMAT_TORCHSCRIPT -> torchScript(weights, p);
            case BackboneSpec.FORMAT_BUILTIN -> builtin(dir, spec, weights, p);
            default -> throw new IOException(sidecar + ": unknown format '" + format + "' (expected "
                    + BackboneSpec.FORMAT_BUILTIN + " or " + BackboneSpec.FORMAT_TORCHSCRIPT + ")");
        };
    }

    /**
     * The {@link Backbone#fingerprint()} a backbone folder's backbone will have, computed from its
     * files without loading the engine: a project opens its embedding cache with it.
     */
    public static String fingerprintOf(Path dir) throws IOException {
        Path sidecar = dir.resolve(BackboneSpec.FILE_NAME);
        BackboneSpec spec = BackboneSpec.read(sidecar);
        if (spec.weights() == null) {
            throw new IOException(sidecar + ": \"weights\" (the weights file name) is missing");
        }
        Preprocessing p = spec.input().preprocessing();
        FolderFiles.requireInside(dir, spec.weights(), sidecar, "weights");
        Path weights = dir.resolve(spec.weights());
        String format = spec.format() == null ? "" : spec.format();
        return switch (format) {
            case BackboneSpec.FORMAT_TORCHSCRIPT -> fingerprint(List.of(weights), "torchscript " + p.fingerprint());
            case BackboneSpec.FORMAT_BUILTIN -> {
                try {
                    String id = BuiltinArchitecture.byId(spec.architecture() == null ? "" : spec.architecture()).id();
                    yield fingerprint(List.of(weights), "builtin " + id + " " + p.fingerprint());
                } catch (IllegalArgumentException e) {
                    throw new IOException(sidecar + ": " + e.getMessage());
                }
            }
            default -> throw new IOException(sidecar + ": unknown format '" + format + "'");
        };
    }

    private static Backbone builtin(Path dir, BackboneSpec spec, Path weights, Preprocessing p) throws IOException {
        BuiltinArchitecture arch;
        try {
            arch = BuiltinArchitecture.byId(spec.architecture() == null ? "" : spec.architecture());
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(BackboneSpec.FILE_NAME) + ": " + e.getMessage());
        }
        Device device = Devices.preferred();
        Model model = Model.newInstance(arch.id(), device, "PyTorch");
        model.setBlock(arch.newBlock());
        String fileName = weights.getFileName().toString();
        String prefix = fileName.replaceFirst("(-\\d{4})?\\.params$", "");
        try {
            model.load(dir, prefix);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException(weights + ": cannot load " + arch.id() + " weights (" + DjlBackbone.rootMessage(e) + ")", e);
        }
        return new DjlBackbone(arch.id() + " (" + dir.getFileName() + ")", model, p,
                fingerprint(List.of(weights), "builtin " + arch.id() + " " + p.fingerprint()), device, BuiltinArchitecture.POOLING_BLOCKS);
    }

    /** A model from a URL: downloaded once into DJL's cache, with progress. */
    public static Backbone zoo(String url, Preprocessing p, DownloadListener listener) throws IOException {
        Device device = Devices.preferred();
        Criteria<BatchTranslator.Input, FloatMatrix> criteria = Criteria.builder()
                .setTypes(BatchTranslator.Input.class, FloatMatrix.class)
                .optModelUrls(url)
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(new BatchTranslator())
                .optProgress(listener == null ? null : new ProgressAdapter(url, listener))
                .build();
        ZooModel<BatchTranslator.Input, FloatMatrix> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            boolean remote = url.startsWith("djl://") || url.startsWith("http");
            throw new IOException(url + ": cannot " + (remote ? "download" : "load") + " the model (" + describe(e) + ")"
                    + (remote ? "; a model from the internet needs a connection the first time, then it is cached" : ""), e);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(model.getModelPath())) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        return new DjlBackbone(url, model, p, fingerprint(files, "zoo " + p.fingerprint()), device);
    }

    /**
     * The TorchScript file of a model from a URL ({@code djl://}, {@code https://}, {@code file://}
     * to an archive), downloaded once into DJL's cache, with progress; the model is loaded and a
     * test batch run first, so that what is returned is a usable backbone.
     *
     * @throws IOException naming the URL: no connection, no such model, no single .pt file in it
     */
    public static Path zooModelFile(String url, Preprocessing p, DownloadListener listener) throws IOException {
        try (Backbone b = zoo(url, p, listener)) {
            Path dir = ((DjlBackbone) b).model().getModelPath();
            List<Path> models;
            try (Stream<Path> s = Files.walk(dir)) {
                models = s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".pt")).sorted().toList();
            }
            if (models.size() != 1) {
                throw new IOException(url + ": the downloaded model holds " + models.size() + " TorchScript (.pt) files in " + dir
                        + ", not one");
            }
            return models.getFirst();
        } catch (BackboneException e) {
            throw new IOException(url + ": " + e.getMessage(), e);
        }
    }

    /** The innermost cause in words; a bare host name becomes "no connection to HOST". */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof UnknownHostException) {
            return "no connection to " + t.getMessage();
        }
        if (t instanceof ConnectException || t instanceof SocketTimeoutException) {
            return "no connection: " + t.getMessage();
        }
        return DjlBackbone.rootMessage(e);
    }

    /** The preprocessing sidecar of a TorchScript file: MODEL.json beside MODEL.pt. */
    public static Path sidecarOf(Path modelFile) {
        String n = modelFile.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return modelFile.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".json");
    }

    static String fingerprint(List<Path> files, String extra) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                while (in.read(buf) >= 0) {
                    // digesting
                }
            }
        }
        md.update(extra.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    private static final class ProgressAdapter implements Progress {
        private final String what;
        private final DownloadListener listener;
        private long max;
        private long done;

        ProgressAdapter(String what, DownloadListener listener) {
            this.what = what;
            this.listener = listener;
        }

        @Override
        public void reset(String message, long max, String trailingMessage) {
            this.max = max;
            this.done = 0;
            listener.progress(message == null ? what : message.toLowerCase(Locale.ROOT) + " " + what, 0, max);
        }

        @Override
        public void start(long initialProgress) {
            update(initialProgress);
        }

        @Override
        public void end() {
            listener.progress(what, max, max);
        }

        @Override
        public void increment(long increment) {
            update(done + increment);
        }

        @Override
        public void update(long progress, String message) {
            done = progress;
            listener.progress(what, done, max);
        }
    }
}
