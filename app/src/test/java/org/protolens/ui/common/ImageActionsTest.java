package org.protolens.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/** The number keys reach the classes in the classes panel's order: base classes, then new ones; 0 is the tenth. */
class ImageActionsTest {
    @Test
    void numberKeysFollowTheClassesPanelsOrderAndTheLegendSaysSo() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        // an eleventh class, a new one: it comes last and has no key
        int[] some = w.imagesOf(w.classNames().indexOf("Bag")).stream().filter(i -> !w.isShot(i)).limit(3)
                .mapToInt(Integer::intValue).toArray();
        new History(w).apply(History.newClass("Tote", some));
        WorkspaceState s = w.state();
        int[] order = ImageActions.keyOrder(s);
        assertEquals(s.classCount(), order.length);
        boolean seenNovel = false;
        for (int k : order) {
            seenNovel |= !s.isBase(k);
            assertTrue(!seenNovel || !s.isBase(k), "base classes come first");
        }
        assertEquals(order[0], ImageActions.classForKey(s, KeyCode.DIGIT1));
        assertEquals(order[8], ImageActions.classForKey(s, KeyCode.NUMPAD9));
        assertEquals(order[9], ImageActions.classForKey(s, KeyCode.DIGIT0), "0 is the tenth class");
        assertEquals(-1, ImageActions.classForKey(s, KeyCode.A));
        String legend = ImageActions.legend(s);
        assertTrue(legend.startsWith("1 " + s.classNames().get(order[0]) + "  ·  2 " + s.classNames().get(order[1])), legend);
        assertTrue(legend.contains("0 " + s.classNames().get(order[9])), legend);
        assertTrue(!legend.contains(s.classNames().get(order[10])), "an eleventh class has no key: " + legend);
        assertTrue(legend.endsWith("L any class"), legend);
    }
}
