package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class OrderedPipelineTest {

    @Test
    void resultsArriveInSubmissionOrder() {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Integer> seen = new ArrayList<>();
        try (OrderedPipeline<Integer> pipeline = new OrderedPipeline<>(pool, 4, seen::add, "testing")) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                pipeline.submit(() -> {
                    Thread.sleep((50 - n) % 7);
                    return n;
                });
            }
            pipeline.drain();
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).isEqualTo(java.util.stream.IntStream.range(0, 50).boxed().toList());
    }

    /** An Error on a worker (out of memory, say) reaches the caller as itself, not wrapped as a bug. */
    @Test
    void anErrorOnAWorkerIsRethrownAsItIs() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        OutOfMemoryError error = new OutOfMemoryError("Java heap space");
        try (OrderedPipeline<Integer> pipeline = new OrderedPipeline<>(pool, 2, n -> { }, "testing")) {
            // submit() hands over a result already done, so the error may come from it or from drain().
            assertThatThrownBy(() -> {
                pipeline.submit(() -> {
                    throw error;
                });
                pipeline.drain();
            }).isSameAs(error);
        } finally {
            pool.shutdownNow();
        }
    }
}
