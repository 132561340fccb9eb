package org.protolens.ui.classes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;

/** The New class dialog's state: what it tells before anything changes, and when it can go ahead. */
class NewClassViewModelTest {
    @Test
    void itSaysWhatTheSelectionHoldsAndWhatTheClassWillTake() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int bag = w.classNames().indexOf("Bag");
        int trouser = w.classNames().indexOf("Trouser");
        int[] free = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(8).mapToInt(Integer::intValue).toArray();
        new History(w).apply(History.relabel("unlabel", free, null, false));
        int[] trousers = w.imagesOf(trouser).stream().limit(3).mapToInt(Integer::intValue).toArray();
        int[] selection = IntStream.concat(Arrays.stream(free), Arrays.stream(trousers)).toArray();

        NewClassViewModel vm = new NewClassViewModel(w.state(), selection);
        assertEquals("11 images selected: 8 unlabelled, 3 labelled (Trouser 3).", vm.holdingText());
        assertEquals("Also take the 3 labelled images: they leave Trouser", vm.relabelText());
        assertFalse(vm.relabel().get(), "labelled images stay unless the person asks");
        assertEquals(8, vm.takeable().get());
        assertEquals(5, vm.shots().get(), "five shots unless the person says otherwise");
        assertFalse(vm.ready().get());
        assertEquals("Give the class a name.", vm.problem().get());

        vm.name().set("Trouser");
        assertEquals("There is a class named “Trouser” already.", vm.problem().get());
        vm.name().set("  Tote ");
        assertTrue(vm.ready().get());
        assertEquals("The new class gets 5 shots and 3 labelled images that count in its accuracy. 3 selected images keep their classes.",
                vm.outcome().get());

        vm.relabel().set(true);
        assertEquals(11, vm.takeable().get());
        assertEquals(5, vm.plan().shots().length);
        assertEquals(6, vm.plan().members().length);
        vm.shots().set(2);
        vm.relabel().set(false);
        assertEquals(2, vm.shots().get(), "a number the person chose stays");
        assertEquals("The new class gets 2 shots and 6 labelled images that count in its accuracy. 3 selected images keep their classes.",
                vm.outcome().get());
    }

    @Test
    void aSelectionOfLabelledImagesOnlyNeedsTheRelabelChoice() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int trouser = w.classNames().indexOf("Trouser");
        int[] trousers = w.imagesOf(trouser).stream().limit(3).mapToInt(Integer::intValue).toArray();
        NewClassViewModel vm = new NewClassViewModel(w.state(), trousers);
        assertEquals("3 images selected, all labelled (Trouser 3).", vm.holdingText());
        vm.name().set("Long trousers");
        assertFalse(vm.ready().get());
        assertEquals("Every selected image is labelled: tick “Also take” to move them into the new class.", vm.problem().get());
        vm.relabel().set(true);
        assertTrue(vm.ready().get());
        assertEquals(3, vm.plan().shots().length);
        assertEquals("The new class gets 3 shots.", vm.outcome().get());
    }
}
