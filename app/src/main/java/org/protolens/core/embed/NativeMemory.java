package org.protolens.core.embed;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Keeps libtorch's large buffers from piling up in the C heap. glibc serves big allocations with
 * mmap, but after the first such buffer is freed it raises its threshold to that size, and from
 * then on the activations of every batch (megabytes each) come from the malloc heap, which
 * fragments: resident memory creeps up over thousands of images. Setting the threshold explicitly
 * switches that adjustment off, so buffers of 1 MiB and more go back to the system when freed.
 * Linux with glibc only; elsewhere, or if the call fails, nothing changes.
 */
public final class NativeMemory {
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int THRESHOLD_BYTES = 1 << 20;
    private static volatile boolean done;

    private NativeMemory() {
    }

    /** Idempotent; call before libtorch allocates. */
    public static synchronized void keepLargeBuffersOutOfTheHeap() {
        if (done) {
            return;
        }
        done = true;
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || Boolean.getBoolean("protolens.keepMallocDefaults")) {
            return;
        }
        try {
            Linker linker = Linker.nativeLinker();
            var symbol = linker.defaultLookup().find("mallopt");
            if (symbol.isEmpty()) {
                return;
            }
            MethodHandle mallopt = linker.downcallHandle(symbol.get(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int ok = (int) mallopt.invokeExact(M_MMAP_THRESHOLD, THRESHOLD_BYTES);
            assert ok == 1 || ok == 0;
        } catch (Throwable e) {
            // a C library without mallopt (musl) or restricted native access: keep its defaults
        }
    }
}
