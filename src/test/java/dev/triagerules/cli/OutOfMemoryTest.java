package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.UserError;
import org.junit.jupiter.api.Test;

/** The sentence and its advice; InputProcessTest runs a JVM out of heap for real. */
class OutOfMemoryTest {

    @Test
    void foundWhereverALibraryOrAWorkerWrappedIt() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThat(OutOfMemory.in(new UserError("rules failed", new IllegalStateException(oom)))).isSameAs(oom);
        assertThat(OutOfMemory.in(oom)).isSameAs(oom);
        assertThat(OutOfMemory.in(new IllegalStateException("no"))).isNull();
    }

    @Test
    void suggestsTwiceTheHeapAndAtLeastAGibibyte() {
        assertThat(OutOfMemory.suggestedHeap(24)).isEqualTo("1g");
        assertThat(OutOfMemory.suggestedHeap(4096)).isEqualTo("8g");
        assertThat(OutOfMemory.suggestedHeap(1500)).isEqualTo("3000m");
    }

    @Test
    void oneSentenceWithTheSetting() {
        String message = OutOfMemory.message(new OutOfMemoryError("Java heap space"));
        assertThat(message).startsWith("triage-rules: out of memory (Java heap space, with a maximum heap of ")
                .contains("TRIAGE_RULES_JAVA_OPTS=-Xmx").contains("java -Xmx").doesNotContain("\n");
    }
}
