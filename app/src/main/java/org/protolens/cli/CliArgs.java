package org.protolens.cli;

import org.protolens.core.proto.TeenCalibration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Checks shared by the commands; a bad option value is a usage error (exit code 2). */
final class CliArgs {
    private CliArgs() {
    }

    static TeenCalibration calibration(CommandSpec spec, double alpha, double tau) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw usage(spec, "--alpha must lie in [0, 1], got " + alpha);
        }
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw usage(spec, "--tau must be finite and non-negative, got " + tau);
        }
        return new TeenCalibration(alpha, tau);
    }

    static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
