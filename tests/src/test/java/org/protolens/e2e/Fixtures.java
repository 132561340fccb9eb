package org.protolens.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths shared with the app module: its built jar and its committed test resources. */
final class Fixtures {
    private Fixtures() {
    }

    static Path appJar() {
        Path jar = Path.of("..", "app", "target", "protolens.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with ./mvnw verify, which packages the app first");
        }
        return jar;
    }

    static Path torchscript(String name) {
        return Path.of("..", "app", "src", "test", "resources", "torchscript", name).toAbsolutePath().normalize();
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    record Result(int code, String out, String err) {
    }

    /** Runs {@code java -jar protolens.jar ARGS} as a user would. */
    static Result protolens(Path workDir, String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<String>();
        cmd.add(java().toString());
        cmd.add("-DDJL_CACHE_DIR=" + workDir.resolve("djl-cache"));
        cmd.add("-DENGINE_CACHE_DIR=" + Path.of(System.getProperty("user.home"), ".djl.ai"));
        cmd.add("-jar");
        cmd.add(appJar().toString());
        cmd.addAll(List.of(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Result(code, Files.readString(out), Files.readString(err));
    }
}
