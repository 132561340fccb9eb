package org.protolens.core.fscil;

/**
 * The few-shot class-incremental protocol: classes 0..B-1 are base classes, then each of the
 * sessions 1..S-1 adds W new classes (ids B + (s-1)W .. B + sW - 1) with K shots each. S counts
 * the base session, as TEEN's configurations do (CIFAR-100: B = 60, W = 5, K = 5, S = 9).
 */
public record FscilProtocol(int baseClasses, int ways, int shots, int sessions) {
    public FscilProtocol {
        if (baseClasses < 1) {
            throw new IllegalArgumentException("--base-classes must be at least 1, got " + baseClasses);
        }
        if (ways < 1) {
            throw new IllegalArgumentException("--ways must be at least 1, got " + ways);
        }
        if (shots < 1) {
            throw new IllegalArgumentException("--shots must be at least 1, got " + shots);
        }
        if (sessions < 1) {
            throw new IllegalArgumentException("--sessions must be at least 1 (the base session), got " + sessions);
        }
    }

    /** Number of classes seen after session s (0 = base session). */
    public int classesSeen(int session) {
        return baseClasses + session * ways;
    }

    public int totalClasses() {
        return classesSeen(sessions - 1);
    }

    /** The session that introduces class c (0 for base classes). */
    public int sessionOf(int classId) {
        return classId < baseClasses ? 0 : 1 + (classId - baseClasses) / ways;
    }
}
