package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The real-server fixtures skip a test, saying why, only when the server cannot start (issue 11, §6). */
@org.junit.jupiter.api.Timeout(60)
class LocalServerTest {
    /** A "server" that exits at once with a message, as a misconfigured postgres or redis-server would. */
    private static final class FailingServer extends LocalServer {
        FailingServer() {
            super("failing");
        }

        void start() {
            launch(List.of("sh", "-c", "echo 'FATAL: could not bind to the port' >&2; exit 3"));
            awaitReady();
        }

        @Override
        protected boolean isReady() {
            return false;
        }
    }

    @Test
    void aServerThatExitsSkipsTheTestWithItsExitCodeAndLogAndCleansUp() {
        FailingServer s = new FailingServer();
        TestAbortedException e = assertThrows(TestAbortedException.class, s::start);
        assertTrue(e.getMessage().contains("FailingServer could not be started") && e.getMessage().contains("exited with code 3")
                && e.getMessage().contains("could not bind"), e.getMessage());
        assertFalse(Files.exists(s.dir), "its temporary directory was left behind");
    }

    @Test
    void aSetupCommandThatFailsSkipsTheTestSayingWhichAndWhy() {
        FailingServer s = new FailingServer();
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> s.runOrSkip(List.of("sh", "-c", "echo initdb: cannot be run as root >&2; exit 1")));
        assertTrue(e.getMessage().contains("exited with 1") && e.getMessage().contains("cannot be run as root"), e.getMessage());
    }

    @Test
    void aRedisServerAnswersAndIsGoneAfterClose() throws Exception {
        RedisServer r = RedisServer.start();
        int port = r.port();
        assertTrue(r.isReady());
        r.close();
        assertFalse(r.isReady(), "redis-server still answers on port " + port + " after close");
    }
}
