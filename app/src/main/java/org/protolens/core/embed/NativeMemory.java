package org.protolens.core.embed;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Keeps resident memory flat while libtorch runs batch after batch. Its activation buffers
 * (megabytes each) come from glibc's malloc heap once glibc has raised its mmap threshold, and
 * that heap fragments: embedding 10,000 images grew the process by 300 to 650 MB. The policy, set
 * with the system property {@code protolens.malloc}:
 * <ul>
 *   <li>{@code trim} (default): every 16 batches, glibc's {@code malloc_trim} hands the free pages
 *       back to the system. Memory stays flat; ResNet-18 ran about 7% slower than with glibc's
 *       defaults in a side-by-side run;</li>
 *   <li>{@code mmap}: buffers of 1 MiB and more are mapped and unmapped one by one: flat, but about
 *       30% slower, since every batch faults its pages in anew;</li>
 *   <li>{@code default}: glibc as it is.</li>
 * </ul>
 * Linux with glibc only; elsewhere, or if a call fails, nothing changes.
 */
public final class NativeMemory {
    static final int TRIM_EVERY_BATCHES = 16;
    private static final int M_MMAP_THRESHOLD = -3;

    private static volatile MethodHandle mallocTrim;
    private static boolean configured;

    private NativeMemory() {
    }

    private static String policy() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        return linux ? System.getProperty("protolens.malloc", "trim") : "default";
    }

    /** Applies the policy; call before libtorch allocates. Idempotent. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        try {
            Linker linker = Linker.nativeLinker();
            switch (policy()) {
                case "mmap" -> {
                    MethodHandle mallopt = linker.downcallHandle(linker.defaultLookup().find("mallopt").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                    int ignored = (int) mallopt.invokeExact(M_MMAP_THRESHOLD, 1 << 20);
                }
                case "trim" -> mallocTrim = linker.downcallHandle(linker.defaultLookup().find("malloc_trim").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                default -> {
                }
            }
        } catch (Throwable e) {
            // not glibc (musl, macOS, Windows) or native access denied: keep the C library's behaviour
        }
    }

    /** Called after each batch by a backbone; trims the C heap every {@value #TRIM_EVERY_BATCHES} batches. */
    static void afterBatch(long batches) {
        MethodHandle trim = mallocTrim;
        if (trim == null || batches % TRIM_EVERY_BATCHES != 0) {
            return;
        }
        try {
            int ignored = (int) trim.invokeExact(0L);
        } catch (Throwable e) {
            mallocTrim = null;
        }
    }
}
