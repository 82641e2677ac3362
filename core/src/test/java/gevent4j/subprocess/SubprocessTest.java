package gevent4j.subprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Timeout;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Subprocess: child processes whose pipes and waits let the hub run other greenlets (issue 11, §3). */
@org.junit.jupiter.api.Timeout(60)
class SubprocessTest {
    private static ProcessBuilder bash(String script) {
        return new ProcessBuilder("bash", "-c", script);
    }

    private static String readLine(Process p) throws Exception {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /**
     * Whether process {@code pid} is gone or a zombie within {@code limit}. A killed grandchild is
     * re-parented to PID 1, which in a container may never reap it: ProcessHandle.isAlive would
     * report such a zombie alive for ever, so read its state from /proc.
     */
    private static boolean endsWithin(long pid, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Path stat = Path.of("/proc/" + pid + "/stat");
        while (System.nanoTime() < deadline) {
            String s;
            try {
                s = Files.readString(stat);
            } catch (java.io.IOException gone) {
                return true;
            }
            char state = s.charAt(s.lastIndexOf(')') + 2);   // the field after "(comm)"
            if (state == 'Z' || state == 'X') return true;
            Thread.sleep(20);
        }
        return false;
    }

    // Issue 11: five greenlets each reading a child's stdout took 5.2 s on one hub, serially.
    @Test
    void fiveChildrenReadOnOneHubOverlapInsteadOfRunningInTurn() {
        long start = System.nanoTime();
        int ticks = Gevent.run(() -> {
            AtomicInteger ticker = new AtomicInteger();
            Greenlet<Void> tick = Gevent.spawn(() -> {
                while (true) {
                    Gevent.sleep(Duration.ofMillis(50));
                    ticker.incrementAndGet();
                }
            });
            List<Greenlet<String>> readers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                readers.add(Gevent.spawn(() -> {
                    Process p = Subprocess.start(bash("sleep 1; echo hi"));
                    String line = readLine(p);
                    p.waitFor();
                    return line;
                }));
            }
            Gevent.joinAll(readers);
            for (Greenlet<String> r : readers) assertEquals("hi", r.get());
            tick.kill();
            return ticker.get();
        });
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(ms < 2_500, "5 x 1 s children took " + ms + " ms on one hub: their pipe reads ran in turn");
        assertTrue(ticks >= 5, "the hub ran another greenlet only " + ticks + " times while the reads waited");
    }

    @Test
    void stdinAndStdoutOfOneChildWorkFromTwoGreenlets() {
        String echoed = Gevent.run(() -> {
            Process cat = Subprocess.start("cat");
            Greenlet<Void> writer = Gevent.spawn(() -> {
                try (OutputStream in = cat.getOutputStream()) {
                    for (int i = 0; i < 1000; i++) in.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
            });
            Greenlet<String> reader = Gevent.spawn(() -> new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            writer.get();
            String out = reader.get();
            assertEquals(0, cat.waitFor());
            return out;
        });
        assertEquals(1000, echoed.lines().count());
        assertTrue(echoed.startsWith("line 0\nline 1\n") && echoed.endsWith("line 999\n"), echoed.substring(0, 40));
    }

    @Test
    void communicateFeedsStdinAndReturnsExitCodeStdoutAndStderr() throws Exception {
        CompletedProcess r = Gevent.run(() -> Subprocess.communicate(
                Subprocess.start(bash("tr a-z A-Z; echo oops >&2; exit 3")), "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20)));
        assertEquals(3, r.exitCode());
        assertEquals("HELLO", r.stdoutText());
        assertEquals("oops\n", r.stderrText());
        assertEquals(List.of("bash", "-c", "tr a-z A-Z; echo oops >&2; exit 3"), r.command());
        CalledProcessError e = assertThrows(CalledProcessError.class, r::checkExitCode);
        assertTrue(e.getMessage().contains("exited with code 3") && e.getMessage().contains("oops"), e.getMessage());
    }

    @Test
    void communicateReadsBothPipesAtOnceSoAChildFillingStderrCannotDeadlock() throws Exception {
        // 1 MB to stderr before any stdout: a reader that drained stdout first would wait for ever.
        CompletedProcess r = Gevent.run(() -> Subprocess.communicate(
                Subprocess.start(bash("head -c 1000000 /dev/zero >&2; echo done")), null, Duration.ofSeconds(20)));
        assertEquals(1_000_000, r.stderr().length);
        assertEquals("done\n", r.stdoutText());
    }

    // gevent's communicate(timeout) raises TimeoutExpired and leaves the child running; a second call goes on.
    @Test
    void communicateTimeoutLeavesTheChildRunningAndALaterCallGoesOnWithoutLosingOutput() throws Exception {
        Gevent.run(() -> {
            Process p = Subprocess.start(bash("echo one; sleep 1; echo two"));
            TimeoutExpired e = assertThrows(TimeoutExpired.class, () -> Subprocess.communicate(p, null, Duration.ofMillis(200)));
            assertEquals(Duration.ofMillis(200), e.timeout());
            assertTrue(p.isAlive(), "communicate's timeout must not kill the child");
            CompletedProcess r = Subprocess.communicate(p, null, Duration.ofSeconds(20));
            assertEquals("one\ntwo\n", r.stdoutText());
            assertEquals(0, r.exitCode());
            return null;
        });
    }

    // gevent's run(timeout) kills the child and raises TimeoutExpired with the output so far.
    @Test
    void runWithATimeoutKillsTheChildAndItsDescendantsAndKeepsTheOutputSoFar() throws Exception {
        long start = System.nanoTime();
        TimeoutExpired e = Gevent.run(() -> assertThrows(TimeoutExpired.class,
                () -> Subprocess.run(bash("sleep 30 & echo $! >&2; echo partial; wait"), null, Duration.ofMillis(1500))));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "run waited for the sleeping child");
        assertEquals("partial\n", new String(e.stdout(), StandardCharsets.UTF_8));
        long sleeper = Long.parseLong(new String(e.stderr(), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip());
        assertTrue(endsWithin(sleeper, Duration.ofSeconds(10)), "the grandchild sleep 30 survived");
    }

    @Test
    void runKillsTheChildWhenItsGreenletIsKilled() throws Exception {
        long[] pid = new long[1];
        Gevent.run(() -> {
            Greenlet<CompletedProcess> g = Gevent.spawn(() -> Subprocess.run(bash("echo $$; exec sleep 30"), null, null));
            // Wait until the child exists (its pid is visible as a child of this JVM).
            for (int i = 0; i < 200 && pid[0] == 0; i++) {
                Gevent.sleep(Duration.ofMillis(20));
                ProcessHandle.current().children().filter(h -> h.info().commandLine().orElse("").contains("sleep 30"))
                        .findFirst().ifPresent(h -> pid[0] = h.pid());
            }
            g.kill();
            assertTrue(g.isSuccessful(), "killed by GreenletExit");
            return null;
        });
        assertTrue(pid[0] != 0, "the child never showed up");
        assertTrue(endsWithin(pid[0], Duration.ofSeconds(10)), "run left its child running after a kill");
    }

    @Test
    void checkOutputReturnsStdoutOrThrowsWithTheExitCodeAndStderr() {
        Gevent.run(() -> {
            assertEquals("a\nb\n", Subprocess.checkOutput("printf", "a\\nb\\n"));
            CalledProcessError e = assertThrows(CalledProcessError.class,
                    () -> Subprocess.checkOutput(bash("echo some output; echo 'no such table' >&2; exit 7")));
            assertEquals(7, e.exitCode());
            assertTrue(e.getMessage().contains("exited with code 7") && e.getMessage().contains("no such table"), e.getMessage());
            assertEquals("some output\n", e.result().stdoutText());
            return null;
        });
    }

    @Test
    void killWhileReadingAPipeWakesTheGreenletAtOnceAndTheBytesGoToTheNextRead() throws Exception {
        Gevent.run(() -> {
            Process p = Subprocess.start(bash("sleep 0.5; echo late"));
            List<String> events = new ArrayList<>();
            InputStream out = p.getInputStream();
            Greenlet<Void> reader = Gevent.spawn(() -> {
                try {
                    out.read();
                    events.add("read");
                } finally {
                    events.add("finally");
                }
            });
            Gevent.sleep(Duration.ofMillis(100));
            long start = System.nanoTime();
            reader.kill();
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 300, "kill waited for the pipe");
            assertEquals(List.of("finally"), events);
            assertTrue(p.isAlive(), "a kill of the reader does not kill the child");
            assertEquals("late\n", new String(out.readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, p.waitFor());
            return null;
        });
    }

    @Test
    void aTimeoutEndsWaitForAndWaitForWithATimeoutReturnsFalse() {
        Gevent.run(() -> {
            Process p = Subprocess.start("sleep", "30");
            try {
                assertThrows(Timeout.class, () -> {
                    try (Timeout t = Timeout.start(Duration.ofMillis(100))) {
                        p.waitFor();
                    }
                });
                assertFalse(p.waitFor(100, TimeUnit.MILLISECONDS));
                assertTrue(p.isAlive());
            } finally {
                p.destroyForcibly();
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(p, p.onExit().get());
            return null;
        });
    }

    @Test
    void waitForAndOnExitLetOtherGreenletsRun() {
        int ticks = Gevent.run(() -> {
            AtomicInteger ticker = new AtomicInteger();
            Greenlet<Void> tick = Gevent.spawn(() -> {
                while (true) {
                    Gevent.sleep(Duration.ofMillis(20));
                    ticker.incrementAndGet();
                }
            });
            Process a = Subprocess.start("sleep", "0.3");
            assertEquals(0, a.waitFor());
            Process b = Subprocess.start("sleep", "0.3");
            b.onExit().get(20, TimeUnit.SECONDS);
            tick.kill();
            return ticker.get();
        });
        assertTrue(ticks >= 5, "the hub ran another greenlet only " + ticks + " times in 0.6 s of waiting");
    }

    @Test
    void onAPlainThreadItBehavesAsThePlainProcess() throws Exception {
        Process p = Subprocess.start(bash("read x; echo got $x; echo e >&2; exit 4"));
        try (OutputStream in = p.getOutputStream()) {
            in.write("it\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("got it", readLine(p));
        assertArrayEquals("e\n".getBytes(StandardCharsets.UTF_8), p.getErrorStream().readAllBytes());
        assertEquals(4, p.waitFor());
        CompletedProcess r = Subprocess.run(bash("echo plain"), null, Duration.ofSeconds(20));
        assertEquals("plain\n", r.stdoutText());
    }

    @Test
    void badArgumentsAreClearErrors() throws Exception {
        Process plain = new ProcessBuilder("true").start();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Subprocess.communicate(plain, null, null));
        assertTrue(e.getMessage().contains("Subprocess.start"), e.getMessage());
        plain.waitFor();
        Process p = Subprocess.start("true");
        assertThrows(IllegalArgumentException.class, () -> Subprocess.communicate(p, null, Duration.ofSeconds(-1)));
        assertThrows(java.io.IOException.class, () -> Subprocess.start("/no/such/program"));
        p.waitFor();
    }
}
