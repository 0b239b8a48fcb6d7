package dev.triagerules.cli;

import dev.triagerules.base.ToolVersion;
import picocli.CommandLine;

/** {@code --version}: the tool and the Java it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"triage-rules " + ToolVersion.get(), "Java " + System.getProperty("java.version")};
    }
}
