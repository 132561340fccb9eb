package org.protolens.ui.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;

/** Loads the window's FXML files ({@code fxml/NAME.fxml}), their texts from {@link Messages}, into a given controller. */
public final class Fxml {
    private Fxml() {
    }

    /**
     * The root node of {@code fxml/NAME.fxml}, its {@code fx:id} fields injected into
     * {@code controller}.
     */
    public static <T> T load(String name, Object controller) {
        URL url = Fxml.class.getResource("/org/protolens/ui/fxml/" + name + ".fxml");
        if (url == null) {
            throw new IllegalStateException("missing fxml/" + name + ".fxml");
        }
        FXMLLoader loader = new FXMLLoader(url, Messages.bundle());
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("fxml/" + name + ".fxml: " + e.getMessage(), e);
        }
    }
}
