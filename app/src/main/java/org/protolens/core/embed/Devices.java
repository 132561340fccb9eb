package org.protolens.core.embed;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * Which device the backbone runs on: the first CUDA GPU when libtorch sees one, the CPU otherwise.
 * The system property {@code protolens.device} ({@code cpu} or {@code gpu}) overrides the choice.
 */
public final class Devices {
    private Devices() {
    }

    public static Device preferred() {
        String forced = System.getProperty("protolens.device", "").toLowerCase(Locale.ROOT);
        if (forced.equals("cpu")) {
            return Device.cpu();
        }
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (forced.equals("gpu") && gpus == 0) {
            throw new BackboneException("protolens.device=gpu was asked for, but libtorch finds no CUDA GPU"
                    + " (is the CUDA build of libtorch installed? See the README)");
        }
        return gpus > 0 ? Device.gpu() : Device.cpu();
    }

    /** A description for people, such as "CPU (libtorch 2.7.1)" or "GPU 0 (CUDA 12.4, compute 9.0, 80 GB)". */
    public static String describe(Device device) {
        String version = Engine.getEngine("PyTorch").getVersion();
        if (!device.isGpu()) {
            return "CPU (libtorch " + version + ", " + Runtime.getRuntime().availableProcessors() + " cores)";
        }
        StringBuilder b = new StringBuilder("GPU ").append(device.getDeviceId()).append(" (CUDA ");
        b.append(CudaUtils.getCudaVersionString());
        try {
            b.append(", compute ").append(CudaUtils.getComputeCapability(device.getDeviceId()));
            MemoryUsage mem = CudaUtils.getGpuMemory(device);
            b.append(String.format(Locale.ROOT, ", %.0f GB", mem.getMax() / 1e9));
        } catch (RuntimeException e) {
            // the description is informative only
        }
        return b.append(", libtorch ").append(version).append(')').toString();
    }
}
