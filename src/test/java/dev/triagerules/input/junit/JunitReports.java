package dev.triagerules.input.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real reports under src/test/resources/junit, read through the reader under test. */
public final class JunitReports {
    public static final Path DIR = Path.of("src/test/resources/junit");

    private JunitReports() {
    }

    public static Path path(String name) {
        return DIR.resolve(name);
    }

    public static List<TestCaseResult> read(String name) {
        Path file = path(name);
        List<TestCaseResult> cases = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            new JunitXmlReader(file.toString(), in).read(cases::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    public static TestCaseResult named(List<TestCaseResult> cases, String name) {
        return cases.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no test case " + name + " in " + cases.stream()
                        .map(TestCaseResult::name).toList()));
    }
}
