package org.protolens.core.proto;

/**
 * How the new classes' prototypes are made in an open project, a setting like the calibration:
 * as calibrated (the shot means, TEEN-calibrated when calibration is on), or refined from there
 * by a transductive head that reads the project's images that are no shots (their labels
 * unread): soft k-means ({@link SoftKMeans}) or TIM ({@link Tim}); the project's refinement is
 * {@code core.analysis.PrototypeRefinement}. Base prototypes are never refined.
 */
public enum PrototypeHead {
    CALIBRATED("calibrated", "as calibrated", 0),
    /** Soft k-means, beta 16, 5 rounds, over up to 10,000 images. */
    SOFT_KMEANS("soft-kmeans", "soft k-means", 10_000),
    /** TIM-ADM with the paper's settings, up to 150 rounds, over up to 3,000 images. */
    TIM("tim", "TIM", 3_000);

    private final String id;
    private final String label;
    private final int maxImages;

    PrototypeHead(String id, String label, int maxImages) {
        this.id = id;
        this.label = label;
        this.maxImages = maxImages;
    }

    /** Its name in the edit history ("as calibrated", "soft k-means", "TIM"). */
    @Override
    public String toString() {
        return label;
    }

    /** The name a project's catalog stores. */
    public String id() {
        return id;
    }

    /** The head a catalog names; null for a name that is none. */
    public static PrototypeHead of(String id) {
        for (PrototypeHead h : values()) {
            if (h.id.equals(id)) {
                return h;
            }
        }
        return null;
    }

    /** Whether this head refines the prototypes from the images (it runs in the background). */
    public boolean refines() {
        return this != CALIBRATED;
    }

    /**
     * The most images a refinement reads: beyond, an evenly spaced sample of them (a refinement
     * costs rounds x images x classes x dimensions).
     */
    public int maxImages() {
        return maxImages;
    }
}
