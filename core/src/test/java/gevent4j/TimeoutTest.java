package gevent4j;

import static gevent4j.testing.VirtualHub.onVirtualHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.Steps;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(30)
class TimeoutTest {
    @Test
    void timeoutRaisesItselfInAParkedGreenletAndFinallyRuns() {
        List<String> events = new ArrayList<>();
        Timeout raised = onVirtualHub("timeout-test", () -> {
            Timeout t = Timeout.start(Duration.ofSeconds(30));
            try {
                new WaitQueue<Void>().park(null);
                return null;
            } catch (Timeout e) {
                assertSame(t, e);
                assertFalse(t.isPending());
                return e;
            } finally {
                events.add("finally");
            }
        });
        assertTrue(raised.getMessage().contains("30 seconds"), raised.getMessage());
        assertEquals(List.of("finally"), events);
    }

    @Test
    void startWithAnExceptionRaisesThatException() {
        IOException custom = new IOException("custom");
        Throwable got = onVirtualHub("timeout-test", () -> {
            try (Timeout t = Timeout.start(Duration.ofSeconds(1), custom)) {
                Gevent.sleep(Duration.ofSeconds(10));
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        assertSame(custom, got);
    }

    @Test
    void cancelDisarms() {
        String r = onVirtualHub("timeout-test", () -> {
            Timeout t = Timeout.start(Duration.ofSeconds(1));
            assertTrue(t.isPending());
            t.cancel();
            assertFalse(t.isPending());
            Gevent.sleep(Duration.ofSeconds(5));
            return "survived";
        });
        assertEquals("survived", r);
    }

    @Test
    void closeDisarmsInTryWithResources() {
        String r = onVirtualHub("timeout-test", () -> {
            try (Timeout t = Timeout.start(Duration.ofSeconds(1))) {
                Gevent.sleep(Duration.ofMillis(10));
            }
            Gevent.sleep(Duration.ofSeconds(5));
            return "survived";
        });
        assertEquals("survived", r);
    }

    @Test
    void nestedTimeoutsRaiseTheOneThatExpired() {
        onVirtualHub("timeout-test", () -> {
            Timeout outer = Timeout.start(Duration.ofSeconds(10));
            try {
                Timeout inner = Timeout.start(Duration.ofSeconds(1));
                try {
                    Gevent.sleep(Duration.ofSeconds(100));
                } catch (Timeout e) {
                    assertSame(inner, e);
                } finally {
                    inner.cancel();
                }
                Timeout inner2 = Timeout.start(Duration.ofSeconds(100));
                try {
                    Gevent.sleep(Duration.ofSeconds(100));
                } catch (Timeout e) {
                    assertSame(outer, e, "the outer one expires first this time");
                } finally {
                    inner2.cancel();
                }
            } finally {
                outer.cancel();
            }
            return null;
        });
    }

    @Test
    void aFiredTimeoutIsNotRaisedAgainAfterCancel() {
        String s = onVirtualHub("timeout-test", () -> {
            Timeout t = Timeout.start(Duration.ofSeconds(1));
            try {
                Gevent.sleep(Duration.ofSeconds(5));
            } catch (Timeout e) {
                assertSame(t, e);
            }
            t.cancel();
            Gevent.sleep(Duration.ofSeconds(5));
            return "not raised again";
        });
        assertEquals("not raised again", s);
    }

    @Test
    void cancelWithdrawsAFiredTimeoutNotYetRaised() {
        VirtualTicker ticker = VirtualTicker.manual();
        try (Hub hub = Hub.create("timeout-withdraw", ticker)) {
            var steps = new Steps();
            String r = hub.spawn(() -> {
                Timeout t = Timeout.start(Duration.ofSeconds(1));
                steps.expect(1);
                ticker.advance(Duration.ofSeconds(2));
                // Spin (no gevent4j blocking point) until the hub had a turn and fired the timer:
                // yield via a JDK call that the Timeout's interrupt ends.
                try {
                    Thread.sleep(Duration.ofDays(1));
                } catch (InterruptedException e) {
                    steps.expect(2);
                }
                t.cancel();
                Gevent.sleep(Duration.ZERO);
                steps.expect(3);
                return "withdrawn";
            }).get();
            assertEquals("withdrawn", r);
            steps.finish(4);
        }
    }

    @Test
    void withTimeoutReturnsTheValueOrThrowsOrGivesTheDefault() {
        onVirtualHub("timeout-test", () -> {
            assertEquals("fast", Timeout.withTimeout(Duration.ofSeconds(1), () -> "fast"));
            Timeout t = assertThrows(Timeout.class, () -> Timeout.withTimeout(Duration.ofSeconds(1), () -> {
                Gevent.sleep(Duration.ofSeconds(10));
                return "slow";
            }));
            assertTrue(t.getMessage().contains("1 seconds"), t.getMessage());
            assertEquals("default", Timeout.withTimeout(Duration.ofSeconds(1), () -> {
                Gevent.sleep(Duration.ofSeconds(10));
                return "slow";
            }, "default"));
            // The timeout is disarmed after withTimeout returns.
            Gevent.sleep(Duration.ofSeconds(10));
            return null;
        });
    }

    @Test
    void withTimeoutPassesOtherExceptionsUnchanged() {
        IOException boom = new IOException("boom");
        onVirtualHub("timeout-test", () -> {
            assertSame(boom, assertThrows(IOException.class, () -> Timeout.withTimeout(Duration.ofSeconds(1), () -> {
                throw boom;
            })));
            return null;
        });
    }

    @Test
    void withTimeoutTranslatesAnInterruptedJdkCall() {
        onVirtualHub("timeout-test", () -> {
            assertEquals("timed out", Timeout.withTimeout(Duration.ZERO, () -> {
                Thread.sleep(Duration.ofDays(1));
                return "slept";
            }, "timed out"));
            assertFalse(Thread.currentThread().isInterrupted(), "our interrupt is cleared");
            Gevent.sleep(Duration.ofSeconds(1));   // nothing pending any more
            return null;
        });
    }

    @Test
    void catchExceptionDoesNotSwallowATimeout() {
        List<String> events = new ArrayList<>();
        assertThrows(Timeout.class, () -> onVirtualHub("timeout-test", () -> {
            Timeout.start(Duration.ofSeconds(1));
            try {
                Gevent.sleep(Duration.ofSeconds(10));
            } catch (Exception e) {
                events.add("swallowed");
            }
            return null;
        }));
        assertTrue(events.isEmpty());
    }

    @Test
    void timeoutInAPlainThread() {
        Timeout t = Timeout.start(Duration.ofMillis(1));
        try {
            new WaitQueue<Void>().park(null);
        } catch (Timeout e) {
            assertSame(t, e);
        } finally {
            t.cancel();
        }
        assertEquals("x", Timeout.withTimeout(Duration.ofMillis(1), () -> {
            Thread.sleep(Duration.ofDays(1));
            return "y";
        }, "x"));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void nullDurationNeverFiresAndNegativeIsIllegal() {
        onVirtualHub("timeout-test", () -> {
            Timeout t = Timeout.start(null);
            assertFalse(t.isPending());
            Gevent.sleep(Duration.ofSeconds(10));
            assertThrows(IllegalArgumentException.class, () -> Timeout.start(Duration.ofSeconds(-1)));
            return null;
        });
    }

    @Test
    void aTimedOutGreenletBlockedInAJdkCallEndsWithTheTimeoutAndRunsFinally() {
        List<String> events = new ArrayList<>();
        Throwable e = assertThrows(Timeout.class, () -> onVirtualHub("timeout-test", () -> {
            Timeout.start(Duration.ofSeconds(1));
            try {
                Thread.sleep(Duration.ofDays(1));
            } finally {
                events.add("finally");
            }
            return null;
        }));
        assertTrue(e.getSuppressed().length == 1 && e.getSuppressed()[0] instanceof InterruptedException);
        assertEquals(List.of("finally"), events);
    }
}
