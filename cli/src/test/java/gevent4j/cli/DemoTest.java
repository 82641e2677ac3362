package gevent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The demo tour prints what each example of EXAMPLES.md prints, in order. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoTest {
    private List<String> lines;

    @BeforeAll
    void runTheTour() throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new Demo(out).run();
        }
        lines = Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private List<String> section(int n) {
        int start = indexOfPrefix("== " + n + ". ");
        int end = indexOfPrefix("== " + (n + 1) + ". ");
        return lines.subList(start + 1, end < 0 ? lines.size() : end).stream().filter(l -> !l.isBlank()).toList();
    }

    private int indexOfPrefix(String prefix) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
        return -1;
    }

    @Test
    void twoGreenletsPrint12Then56Then34AndNever78() {
        assertEquals(List.of("12", "56", "34"), section(1));
    }

    @Test
    void valuesPassThroughSwitchTo() {
        assertEquals(List.of("hello world", "42"), section(2));
    }

    @Test
    void producerFeedsBothConsumersInTurn() {
        List<String> s = section(3);
        assertEquals(List.of("---> start eating baozi...", "---> start eating baozi..."), s.subList(0, 2));
        for (int n = 1; n <= 5; n++) {
            int i = 2 + (n - 1) * 3;
            assertEquals(List.of("[Tom] is eating baozi " + n, "[Jerry] is eating baozi " + n,
                    "[producer] is making baozi " + n), s.subList(i, i + 3));
        }
    }

    @Test
    void spawnedGreenletsInterleaveAtSleepZero() {
        assertEquals(List.of("Running in foo", "Explicit context to bar", "Explicit context switch to foo again",
                "Implicit context switch back to bar"), section(4));
    }

    @Test
    void tenTasksRunOnceSynchronouslyThenConcurrently() {
        List<String> s = section(5);
        assertEquals(20, s.stream().filter(l -> l.matches("Task \\d done")).count(), String.join("\n", s));
        assertTrue(s.getLast().startsWith("synchronous: "), s.getLast());
    }

    @Test
    void crawlerFetchesThreePagesWithTheirSizes() {
        List<String> s = section(6);
        assertEquals(3, s.stream().filter(l -> l.startsWith("GET: ")).count());
        assertTrue(s.stream().anyMatch(l -> l.matches("20000 bytes received from http://127\\.0\\.0\\.1:\\d+/page1\\.")), s.toString());
        assertTrue(s.stream().anyMatch(l -> l.matches("35000 bytes received from .*/page2\\.")), s.toString());
        assertTrue(s.stream().anyMatch(l -> l.matches("50000 bytes received from .*/page3\\.")), s.toString());
        assertTrue(s.getLast().startsWith("three pages concurrently: "), s.getLast());
    }

    @Test
    void everyEchoClientGetsItsOwnMessageBack() {
        List<String> s = section(7);
        assertTrue(s.contains("client 0 got: hello 0"), s.toString());
        assertTrue(s.contains("client 99 got: hello 99"), s.toString());
        assertTrue(s.stream().anyMatch(l -> l.startsWith("100 of 100 clients got their echo")), s.toString());
    }
}
