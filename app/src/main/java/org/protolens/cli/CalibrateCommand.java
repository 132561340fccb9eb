package org.protolens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.proto.TeenCalibration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = "Calibrates novel prototypes towards the base prototypes with TEEN:%n"
                + "  calibrated = (1 - alpha) c + alpha normalize(sum_i softmax_i(tau cos(c, b_i)) b_i)")
final class CalibrateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "BASE.npy", description = "B x d raw base prototypes (float32/float64)")
    Path base;

    @Option(names = "--novel", required = true, paramLabel = "NOVEL.npy",
            description = "N x d raw novel means (mean of each class's shots)")
    Path novel;

    @picocli.CommandLine.Mixin
    CalibrationOptions calibrationOptions;

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "N x d calibrated prototypes (float32)")
    Path out;

    @Override
    public Integer call() throws Exception {
        TeenCalibration calibration = calibrationOptions.calibration(spec);
        FloatMatrix b = NpyFile.readMatrix(base);
        FloatMatrix n = NpyFile.readMatrix(novel);
        if (b.rows() == 0) {
            throw new IllegalArgumentException(base + ": has no base prototypes (0 rows)");
        }
        if (b.cols() != n.cols()) {
            throw new IllegalArgumentException(novel + ": prototypes have " + n.cols() + " dimensions, but " + base + " has " + b.cols());
        }
        NpyFile.writeMatrix(out, calibration.calibrateAll(b, n));
        return 0;
    }
}
