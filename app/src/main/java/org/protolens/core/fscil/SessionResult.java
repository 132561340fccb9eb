package org.protolens.core.fscil;

/**
 * What one FSCIL session measured on the test images of every class seen so far. Fractions lie in
 * [0, 1]; a field is null where it is undefined (no novel classes yet, or no test images of a kind).
 *
 * @param acc         accuracy over all seen classes
 * @param accBase     accuracy on test images of base classes
 * @param accNovel    accuracy on test images of novel classes
 * @param hm          harmonic mean of accBase and accNovel
 * @param novelToBase fraction of novel-class test images predicted as some base class
 * @param confusion   counts, rows = true class, columns = predicted class, over the seen classes
 */
public record SessionResult(int session, int classes, Double acc, Double accBase, Double accNovel, Double hm,
                            Double novelToBase, int[][] confusion) {
}
