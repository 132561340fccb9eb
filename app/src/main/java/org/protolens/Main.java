package org.protolens;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.protolens.cli.ProtoLensCommand;

/**
 * {@code java -jar protolens.jar}: with no arguments the desktop app, with arguments the command line.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (args.length == 0) {
            org.protolens.ui.ProtoLensApp.launchApp(args);
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(ProtoLensCommand.execute(args, out, err));
    }
}
