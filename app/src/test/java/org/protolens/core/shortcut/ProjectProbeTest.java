package org.protolens.core.shortcut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;

/** Probes and saliency on an open project: the shapes sample, whose manifest says where each object was drawn. */
class ProjectProbeTest {
    @TempDir
    Path dir;

    @Test
    void onTheShapesSampleTheEditsUseEachObjectsOutlineFromTheManifest() throws IOException {
        Path project = TestResources.sampleCopy("shapes-shortcut", dir.resolve("shapes"));
        try (OpenProject open = OpenProject.open(project)) {
            WorkspaceState s = open.workspace().state();
            int i = s.imagesOf(s.classNames().indexOf("circle"))[0];
            RgbImage img = ProjectProbe.image(s, i);
            ImageEdit.Mask object = assertInstanceOf(ImageEdit.Mask.class, ProjectProbe.objectOf(s, i, img));
            RgbImage flat = ProjectProbe.preview(s, i, "background-flat", null, null, 1);
            RgbImage erased = ProjectProbe.preview(s, i, "occlude-centre", null, null, 1);
            int onObject = 0;
            for (int p = 0; p < img.rgb().length; p++) {
                boolean in = object.object()[p];
                onObject += in ? 1 : 0;
                assertEquals(in ? img.rgb()[p] & 0xffffff : ImageEdit.GREY, flat.rgb()[p] & 0xffffff, "flat background, pixel " + p);
                assertEquals(in ? ImageEdit.GREY : img.rgb()[p] & 0xffffff, erased.rgb()[p] & 0xffffff, "object erased, pixel " + p);
            }
            // a circle of 16 px across in a 32 px image: about pi * 8^2 = 201 pixels
            assertEquals(201, onObject, 12, "the circle's pixels");
            ProjectProbe.Result r = ProjectProbe.probe(open, s, new int[] {i}, null, null, 1, null, null);
            Probes.Row background = r.report().rows().stream().filter(x -> x.edit().equals("background-flat")).findFirst().orElseThrow();
            assertTrue(background.description().contains("outline"), background.description());

            // the saliency's share on the object: occlusion and Grad-CAM, each a share of its own positive mass
            double occluded = ProjectProbe.saliency(open, s, i, s.predicted(i), 0, 0, null, null).shareOn(object);
            double cam = ProjectProbe.gradCam(open, s, i, s.predicted(i)).shareOn(object);
            assertTrue(occluded >= 0 && occluded <= 1 && cam >= 0 && cam <= 1, occluded + ", " + cam);

            // without the manifest the edits fall back on the box
            Files.delete(project.resolve("images/manifest.csv"));
            assertNull(ProjectProbe.objectOf(s, i, img), "no manifest, no outline");
        }
    }
}
