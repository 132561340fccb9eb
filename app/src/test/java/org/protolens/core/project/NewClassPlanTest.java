package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.proto.L2;

/**
 * A new class from a selection that mixes unlabelled images, other classes' images and shots:
 * labelled images stay where they are unless the person asks, K shots are picked (most central or
 * seeded), the rest become labelled members, and no class loses its last shot.
 */
class NewClassPlanTest {
    private Workspace w;
    private History h;
    private int trouser;
    private int shirt;
    private int[] unlabelled;
    private int[] trousers;
    private int[] shirtShots;

    @BeforeEach
    void open() throws IOException {
        w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        h = new History(w);
        trouser = w.classNames().indexOf("Trouser");
        shirt = w.classNames().indexOf("Shirt");
        int bag = w.classNames().indexOf("Bag");
        // twelve Bag images are made unlabelled, as images imported without a label are
        unlabelled = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(12).mapToInt(Integer::intValue).toArray();
        h.apply(History.relabel("unlabel", unlabelled, null, false));
        trousers = w.imagesOf(trouser).stream().limit(4).mapToInt(Integer::intValue).toArray();
        shirtShots = w.imagesOf(shirt).stream().filter(w::isShot).mapToInt(Integer::intValue).toArray();
        assertFalse(w.isBase(shirt), "Shirt is a new class of the sample, with shots");
    }

    private int[] selection() {
        return IntStream.concat(IntStream.concat(Arrays.stream(unlabelled), Arrays.stream(trousers)), Arrays.stream(shirtShots))
                .toArray();
    }

    @Test
    void theSelectionIsToldByKindAndOnlyItsUnlabelledImagesAreTakenByDefault() {
        WorkspaceState s = w.state();
        NewClassPlan.Holding holds = NewClassPlan.holding(s, selection());
        assertEquals(12, holds.unlabelled());
        assertEquals(4, holds.labelled()[trouser]);
        assertEquals(shirtShots.length, holds.shots()[shirt]);
        assertEquals(0, holds.labelled()[shirt]);
        assertEquals(4 + shirtShots.length, holds.labelledTotal());
        assertArrayEquals(new int[] {trouser, shirt}, holds.classes());

        NewClassPlan.Result plan = NewClassPlan.plan(s, selection(), new NewClassPlan.Choice(false, 5, NewClassPlan.Pick.CENTRAL, 0));
        assertEquals(5, plan.shots().length);
        assertEquals(7, plan.members().length);
        assertEquals(4 + shirtShots.length, plan.untouched());
        assertArrayEquals(unlabelled, plan.all(), "only the unlabelled images are taken");

        int trousersBefore = w.imagesOf(trouser).size();
        h.apply(History.newClass("Tote", plan.shots(), plan.members()));
        int tote = w.classNames().indexOf("Tote");
        assertEquals(12, w.stats(tote).images());
        assertEquals(5, w.stats(tote).shots());
        for (int i : plan.members()) {
            assertEquals(tote, w.label(i));
            assertFalse(w.isShot(i), "the rest are labelled members, counted in its accuracy");
        }
        assertEquals(trousersBefore, w.imagesOf(trouser).size(), "Trouser keeps its images");
        assertEquals(shirtShots.length, w.shotCount(shirt), "Shirt keeps its shots");
        assertEquals("New class “Tote” from 12 images (5 shots)", h.nextUndo().description());
    }

    @Test
    void relabellingIsAnExplicitChoiceThatNeverTakesAClassesLastShotAndUndoesAsOne() {
        int[] labels = w.state().labels();
        boolean[] shots = shotsOf(w.state());
        NewClassPlan.Result plan = NewClassPlan.plan(w.state(), selection(),
                new NewClassPlan.Choice(true, 3, NewClassPlan.Pick.CENTRAL, 0));
        assertEquals(List.of("Shirt"), plan.keptShotsOf(), "the selection holds every Shirt shot: one stays");
        assertEquals(1, plan.untouched());
        assertEquals(12 + 4 + shirtShots.length - 1, plan.taken());
        assertEquals(NewClassPlan.takeable(w.state(), selection(), true), plan.taken());

        h.apply(History.newClass("Mixed", plan.shots(), plan.members()));
        assertEquals(1, w.shotCount(shirt));
        for (int i : trousers) {
            assertEquals(w.classNames().indexOf("Mixed"), w.label(i), "ticked, the Trouser images move");
        }
        h.undo();
        assertArrayEquals(labels, w.state().labels(), "one undo gives every label back");
        assertArrayEquals(shots, shotsOf(w.state()));
    }

    @Test
    void anEditThatWouldTakeEveryShotOfAClassIsRefusedAndChangesNothing() {
        int[] labels = w.state().labels();
        int[] free = Arrays.copyOf(unlabelled, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.apply(History.newClass("Greedy", free, shirtShots)));
        assertTrue(e.getMessage().contains("Shirt"), e.getMessage());
        assertArrayEquals(labels, w.state().labels());
        assertEquals(-1, w.classNames().indexOf("Greedy"));
    }

    @Test
    void theMostCentralImagesBecomeShotsAndARandomDrawIsTheSameForTheSameSeed() {
        WorkspaceState s = w.state();
        int[] many = IntStream.concat(Arrays.stream(unlabelled), w.imagesOf(trouser).stream().limit(40).mapToInt(Integer::intValue))
                .toArray();
        NewClassPlan.Result central = NewClassPlan.plan(s, many, new NewClassPlan.Choice(true, 5, NewClassPlan.Pick.CENTRAL, 0));
        double[] mean = new double[s.dim()];
        for (int i : many) {
            double[] u = L2.normalized(s.embedding(i), 0, s.dim());
            for (int d = 0; d < mean.length; d++) {
                mean[d] += u[d];
            }
        }
        double[] centre = L2.normalize(mean);
        double weakestShot = Arrays.stream(central.shots()).mapToDouble(i -> L2.dot(L2.normalized(s.embedding(i), 0, s.dim()), centre))
                .min().orElseThrow();
        double bestMember = Arrays.stream(central.members()).mapToDouble(i -> L2.dot(L2.normalized(s.embedding(i), 0, s.dim()), centre))
                .max().orElseThrow();
        assertTrue(weakestShot >= bestMember, "no member is nearer the mean than a shot: " + weakestShot + " < " + bestMember);

        NewClassPlan.Result a = NewClassPlan.plan(s, many, new NewClassPlan.Choice(true, 5, NewClassPlan.Pick.RANDOM, 7));
        NewClassPlan.Result b = NewClassPlan.plan(s, many, new NewClassPlan.Choice(true, 5, NewClassPlan.Pick.RANDOM, 7));
        NewClassPlan.Result c = NewClassPlan.plan(s, many, new NewClassPlan.Choice(true, 5, NewClassPlan.Pick.RANDOM, 8));
        assertArrayEquals(a.shots(), b.shots());
        assertNotEquals(Arrays.toString(a.shots()), Arrays.toString(c.shots()), "another seed, another draw");
        assertEquals(many.length, a.taken());

        NewClassPlan.Result all = NewClassPlan.plan(s, Arrays.copyOf(unlabelled, 3),
                new NewClassPlan.Choice(false, 5, NewClassPlan.Pick.CENTRAL, 0));
        assertEquals(3, all.shots().length, "asking for more shots than images makes every image a shot");
        assertEquals(0, all.members().length);
    }

    private static boolean[] shotsOf(WorkspaceState s) {
        boolean[] out = new boolean[s.imageCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.isShot(i);
        }
        return out;
    }
}
