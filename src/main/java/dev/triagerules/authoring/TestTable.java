package dev.triagerules.authoring;

import java.nio.file.Path;
import java.util.List;

/** One YAML test table ({@code rules/tests/*.yaml}) and its cases in file order. */
public record TestTable(Path file, List<TestCase> cases) {
}
