package org.protolens.cli;

import org.protolens.core.proto.TeenCalibration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** TEEN's --alpha and --tau, shared by the commands that calibrate. */
final class CalibrationOptions {
    @Option(names = "--alpha", defaultValue = "0.5",
            description = "TEEN's shift towards base classes, 0..1 (default ${DEFAULT-VALUE}; 0 = no calibration)")
    double alpha;

    @Option(names = "--tau", defaultValue = "16", description = "TEEN's softmax temperature (default ${DEFAULT-VALUE})")
    double tau;

    /** The calibration these options ask for; a value out of range is a usage error. */
    TeenCalibration calibration(CommandSpec spec) {
        return CliArgs.calibration(spec, alpha, tau);
    }
}
