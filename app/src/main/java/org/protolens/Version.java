package org.protolens;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of ProtoLens and the libraries it is built on, as the build recorded them. */
public final class Version {
    private static final Properties PROPS = new Properties();

    static {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                PROPS.load(in);
            }
        } catch (IOException e) {
            // versions are informative only
        }
    }

    private Version() {
    }

    public static String protolens() {
        return PROPS.getProperty("version", "unknown");
    }

    public static String djl() {
        return PROPS.getProperty("djl", "unknown");
    }

    public static String libtorch() {
        return PROPS.getProperty("libtorch", "unknown");
    }

    public static String javafx() {
        return PROPS.getProperty("javafx", "unknown");
    }

    /** One line per component, for --version and the About box. */
    public static String[] lines() {
        return new String[] {
            "ProtoLens " + protolens(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")",
            "DJL " + djl() + ", libtorch " + libtorch() + ", JavaFX " + javafx(),
            "Licence: GPL-3.0-or-later"
        };
    }
}
