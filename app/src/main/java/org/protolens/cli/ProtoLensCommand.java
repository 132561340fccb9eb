package org.protolens.cli;

import java.io.PrintWriter;
import org.protolens.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code protolens embed | calibrate | fscil | train-backbone | make-sample |
 * make-shortcut-dataset}. Exit code 0 on success, 2 on a usage error, 1 on any other failure,
 * whose message names the file and the problem.
 */
@Command(name = "protolens",
        mixinStandardHelpOptions = true,
        versionProvider = ProtoLensCommand.Versions.class,
        description = "Few-shot image classes with training-free prototype calibration (TEEN).%n"
                + "Without arguments, java -jar protolens.jar opens the desktop app.",
        subcommands = {EmbedCommand.class, CalibrateCommand.class, FscilCommand.class, EpisodesCommand.class, MapCommand.class,
            TrainBackboneCommand.class, MakeSampleCommand.class, MakeShortcutDatasetCommand.class, ShortcutReportCommand.class,
            CompareBackbonesCommand.class, ImportEmbeddingsCommand.class, CommandLine.HelpCommand.class})
public final class ProtoLensCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: embed, calibrate, fscil, train-backbone, make-sample or make-shortcut-dataset");
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ProtoLensCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            commandLine.getErr().println("protolens " + commandLine.getCommandName() + ": " + message);
            commandLine.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }

    static final class Versions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return Version.lines();
        }
    }
}
