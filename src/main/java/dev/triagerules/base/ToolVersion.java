package dev.triagerules.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool version, from the build (Maven filters it into triage-rules.properties). */
public final class ToolVersion {
    private static final String VERSION = read();

    private ToolVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/triage-rules.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
