package org.protolens;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.protolens.cli.ProtoLensCommand;
import org.protolens.core.project.OpenProject;
import org.protolens.ui.ProtoLensApp;

/**
 * {@code java -jar protolens.jar}: with no arguments the desktop app on the last project (or the
 * bundled sample); with a project folder (or its project.json or project.protolens) the app on that project; with
 * {@code --screenshot PNG [PROJECT]} the app opens, draws the project, writes the window to PNG
 * and exits (a smoke test); with a command the command line.
 */
public final class Main {
    private Main() {
    }

    private static boolean isProject(String arg) {
        Path p;
        try {
            p = Path.of(arg);
        } catch (InvalidPathException e) {
            return false;
        }
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return Files.isRegularFile(p.resolve("project.json"))
                || ((name.equals("project.json") || name.endsWith(OpenProject.PROJECT_FILE_EXTENSION))
                    && Files.isRegularFile(p));
    }

    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (args.length == 0 || isProject(args[0]) || (args[0].equals("--screenshot") && args.length <= 3)) {
            ProtoLensApp.launchApp(args);
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(ProtoLensCommand.execute(args, out, err));
    }
}
