package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.component.file.GenericFile;
import org.junit.jupiter.api.Test;

class QuietFileFilterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final QuietFileFilter filter = new QuietFileFilter(1000, nanos::get);

    private static GenericFile<Object> file(String name, long length, long lastModified) {
        GenericFile<Object> f = new GenericFile<>();
        f.setAbsoluteFilePath("/inbox/logs/" + name);
        f.setFileNameOnly(name);
        f.setFileLength(length);
        f.setLastModified(lastModified);
        return f;
    }

    private void advanceMs(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void onlyJsonAndJsonlFilesCountAndNeverHiddenOnes() {
        for (String name : new String[] {"a.jsonl.part", "a.tmp", ".a.json", ".a.jsonl.progress", "a.txt", "a.csv"}) {
            filter.accept(file(name, 10, 5));
        }
        advanceMs(2000);
        for (String name : new String[] {"a.jsonl.part", "a.tmp", ".a.json", ".a.jsonl.progress", "a.txt", "a.csv"}) {
            assertThat(filter.accept(file(name, 10, 5))).as(name).isFalse();
        }
        assertThat(InboxFiles.counts("A.JSONL")).isTrue();
        assertThat(InboxFiles.counts("batch.Json")).isTrue();
    }

    @Test
    void takesAFileOnlyAfterItsSizeStayedTheSameForTheQuietPeriod() {
        assertThat(filter.accept(file("a.jsonl", 10, 5))).isFalse();
        advanceMs(600);
        assertThat(filter.accept(file("a.jsonl", 10, 5))).isFalse();
        advanceMs(500);
        assertThat(filter.accept(file("a.jsonl", 10, 5))).isTrue();
    }

    @Test
    void growingFileStartsItsQuietPeriodAgainEvenWithAnOldModificationTime() {
        assertThat(filter.accept(file("b.jsonl", 10, 5))).isFalse();
        advanceMs(900);
        assertThat(filter.accept(file("b.jsonl", 20, 5))).isFalse();
        advanceMs(900);
        assertThat(filter.accept(file("b.jsonl", 20, 5))).isFalse();
        advanceMs(200);
        assertThat(filter.accept(file("b.jsonl", 20, 5))).isTrue();
    }

    @Test
    void everyQuietFileIsTakenAtTheSamePoll() {
        for (int i = 0; i < 100; i++) {
            assertThat(filter.accept(file(i + ".json", 100, 5))).isFalse();
        }
        advanceMs(1000);
        for (int i = 0; i < 100; i++) {
            assertThat(filter.accept(file(i + ".json", 100, 5))).isTrue();
        }
    }

    @Test
    void aFileDroppedAgainUnderTheSameNameWaitsItsOwnQuietPeriod() {
        filter.accept(file("c.json", 10, 5));
        advanceMs(1000);
        assertThat(filter.accept(file("c.json", 10, 5))).isTrue();
        assertThat(filter.accept(file("c.json", 10, 5))).isFalse();
    }
}
