package org.protolens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.protolens.core.FloatMatrix;
import org.protolens.core.analysis.BackboneComparison;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.ProjectCatalog;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compare-backbones", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Which backbone separates the project's classes: its images embedded by each backbone (the project's own",
            "first), with the same labels, shots, alpha and tau. Every backbone's base prototypes are made alike from the project's",
            "labelled base images (each class's 1st, 3rd, 5th... image; the rest are measured). Prints class-mean accuracies",
            "(NCM -> TEEN), the share of new-class images predicted as a base class, and the new classes' leave-one-out 5-NN",
            "accuracy. Other backbones' embeddings go to the project's embedding cache, so a second run embeds nothing again."})
final class CompareBackbonesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, paramLabel = "DIR", description = "the project folder (with project.json)")
    Path project;

    @Option(names = "--backbone", required = true, arity = "1..*", paramLabel = "MODEL",
            description = "another backbone: MODEL.pt (TorchScript), a backbone folder with backbone.json, or a model URL")
    List<String> backbones;

    @Option(names = "--out", paramLabel = "REPORT.json", description = "also write the figures as JSON")
    Path out;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(project.resolve("project.json"))) {
            throw CliArgs.usage(spec, project + ": not a project folder (project.json is missing)");
        }
        PrintWriter err = spec.commandLine().getErr();
        List<BackboneComparison.Figures> figures;
        // the person's labels are in the catalog when the project was opened in the app; a fresh project has none
        if (Files.isRegularFile(project.resolve(ProjectCatalog.FILE_NAME))) {
            try (OpenProject open = OpenProject.open(project)) {
                figures = compare(open.workspace().state(), err);
            }
        } else {
            figures = compare(Workspace.open(project).state(), err);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.print(BackboneComparison.markdown(figures));
        w.flush();
        if (out != null) {
            AtomicFiles.writeString(out, JSON.writeValueAsString(json(figures)) + "\n");
        }
        return 0;
    }

    private List<BackboneComparison.Figures> compare(WorkspaceState w, PrintWriter err) throws Exception {
        Map<String, FloatMatrix> embeddings = new LinkedHashMap<>();
        embeddings.put(w.backboneDir().getFileName() + " (the project's)", w.embeddings());
        for (String b : backbones) {
            List<String> problems = new ArrayList<>();
            int[] shown = {-1};
            FloatMatrix e = BackboneComparison.embed(w, b, problems, (done, total) -> {
                int tenth = total == 0 ? 10 : done * 10 / total;
                if (tenth != shown[0]) {
                    shown[0] = tenth;
                    err.printf(Locale.ROOT, "%s: %d/%d images%n", b, done, total);
                    err.flush();
                }
            }, () -> false);
            for (String p : problems) {
                err.println("skipped " + p);
            }
            String name = b;
            while (embeddings.containsKey(name)) {
                name += "'";
            }
            embeddings.put(name, e);
        }
        return BackboneComparison.compare(w, embeddings);
    }

    private static ObjectNode json(List<BackboneComparison.Figures> figures) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "protolens-backbone-comparison").put("version", 1);
        o.put("neighbours", BackboneComparison.NEIGHBOURS);
        ArrayNode list = o.putArray("backbones");
        for (BackboneComparison.Figures f : figures) {
            ObjectNode b = list.addObject();
            b.put("backbone", f.backbone()).put("dim", f.dim());
            b.put("prototype_images", f.prototypeImages()).put("measured_images", f.measuredImages());
            b.set("ncm", FscilCommand.metrics(f.ncm()));
            b.set("teen", FscilCommand.metrics(f.teen()));
            if (f.novelSeparation() == null) {
                b.putNull("novel_knn_accuracy");
            } else {
                b.put("novel_knn_accuracy", f.novelSeparation());
            }
            ArrayNode sessions = b.putArray("sessions");
            for (BackboneComparison.SessionRow r : f.sessions()) {
                ObjectNode row = sessions.addObject();
                row.put("session", r.session());
                row.set("ncm", FscilCommand.metrics(r.ncm()));
                row.set("teen", FscilCommand.metrics(r.teen()));
            }
            ArrayNode novel = b.putArray("novel_classes");
            for (BackboneComparison.NovelClass c : f.novelClasses()) {
                ObjectNode row = novel.addObject();
                row.put("class", c.name());
                putOrNull(row, "knn_accuracy", c.separation());
                putOrNull(row, "to_base_ncm", c.toBaseNcm());
                putOrNull(row, "to_base_teen", c.toBaseTeen());
            }
        }
        return o;
    }

    private static void putOrNull(ObjectNode o, String field, Double v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }
}
