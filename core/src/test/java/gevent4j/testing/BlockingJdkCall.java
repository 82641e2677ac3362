package gevent4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every blocking JDK call that the README lists as cooperative (a greenlet blocked in it lets its
 * hub run the others; kill and Timeout reach it by interrupt), each as a {@link Fixture} whose
 * {@link Fixture#call()} blocks until the calling greenlet is interrupted. For tests that run the
 * same behaviour against each call (a {@code @MethodSource} of {@code values()}).
 *
 * <p>{@link #open()} and {@link Fixture#close()} are called by the same greenlet (the test's),
 * {@code call()} by another one; every server is on loopback, every resource is released by
 * {@code close()}.
 */
public enum BlockingJdkCall {
    THREAD_SLEEP("Thread.sleep") {
        @Override
        public Fixture open() {
            return fixture(() -> Thread.sleep(Duration.ofDays(1)));
        }
    },
    SOCKET_READ("Socket read") {
        @Override
        public Fixture open() throws IOException {
            SilentServer server = new SilentServer();
            return server.with(() -> server.connect().getInputStream().read());
        }
    },
    SOCKET_CHANNEL_READ("SocketChannel read") {
        @Override
        public Fixture open() throws IOException {
            SilentServer server = new SilentServer();
            return server.with(() -> {
                SocketChannel c = server.track(SocketChannel.open(server.address()));
                c.read(ByteBuffer.allocate(1));
            });
        }
    },
    SERVER_SOCKET_ACCEPT("ServerSocket accept") {
        @Override
        public Fixture open() throws IOException {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            return new Fixture() {
                @Override
                public void call() throws IOException {
                    s.accept().close();
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }
    },
    SOCKET_CONNECT("Socket connect") {
        @Override
        public Fixture open() throws IOException {
            // A listener with a backlog of 1 that never accepts: once its queue holds two
            // connections, the kernel drops further SYNs and a connect blocks (retransmitting).
            ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket();
                sockets.add(s);
                s.connect(full.getLocalSocketAddress(), 5_000);
            }
            return new Fixture() {
                @Override
                public void call() throws IOException {
                    Socket s = new Socket();
                    synchronized (sockets) {
                        sockets.add(s);
                    }
                    s.connect(full.getLocalSocketAddress());
                }

                @Override
                public void close() throws IOException {
                    synchronized (sockets) {
                        for (Socket s : sockets) s.close();
                    }
                    full.close();
                }
            };
        }
    },
    HTTP_CLIENT_SEND("HttpClient.send") {
        @Override
        public Fixture open() throws IOException {
            SilentServer server = new SilentServer();
            HttpClient client = HttpClient.newHttpClient();
            server.onClose(client::shutdownNow);
            return server.with(() -> client.send(HttpRequest.newBuilder(server.uri()).build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
    },
    HTTP_URL_CONNECTION("HttpURLConnection") {
        @Override
        public Fixture open() throws IOException {
            SilentServer server = new SilentServer();
            return server.with(() -> {
                HttpURLConnection c = (HttpURLConnection) server.uri().toURL().openConnection();
                try (InputStream in = c.getInputStream()) {
                    in.readAllBytes();
                } finally {
                    c.disconnect();
                }
            });
        }
    },
    BLOCKING_QUEUE_TAKE("BlockingQueue.take") {
        @Override
        public Fixture open() {
            LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
            return fixture(q::take);
        }
    },
    REENTRANT_LOCK("ReentrantLock.lockInterruptibly") {
        @Override
        public Fixture open() throws InterruptedException {
            // Held by a thread of its own until close(), so that every greenlet blocks on it
            // (the opener included: a ReentrantLock is reentrant).
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch locked = new CountDownLatch(1), release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().daemon().name("lock-holder").start(() -> {
                lock.lock();
                try {
                    locked.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            });
            if (!locked.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the lock holder did not start");
            return new Fixture() {
                @Override
                public void call() throws InterruptedException {
                    lock.lockInterruptibly();
                    lock.unlock();
                }

                @Override
                public void close() throws InterruptedException {
                    release.countDown();
                    holder.join(10_000);
                }
            };
        }
    },
    OBJECT_WAIT("Object.wait") {
        @Override
        public Fixture open() {
            Object monitor = new Object();
            return fixture(() -> {
                synchronized (monitor) {
                    monitor.wait();
                }
            });
        }
    },
    COMPLETABLE_FUTURE_GET("CompletableFuture.get") {
        @Override
        public Fixture open() {
            CompletableFuture<String> never = new CompletableFuture<>();
            return fixture(never::get);
        }
    },
    PROCESS_WAIT_FOR("Process.waitFor") {
        @Override
        public Fixture open() throws IOException {
            Process p = new ProcessBuilder("sleep", "600").start();
            return new Fixture() {
                @Override
                public void call() throws InterruptedException {
                    p.waitFor();
                }

                @Override
                public void close() {
                    p.destroyForcibly();
                }
            };
        }
    };

    /** One set-up of a call: {@link #call()} blocks until interrupted; {@link #close()} frees it all. */
    public interface Fixture extends AutoCloseable {
        /** The blocking JDK call; may be called again (a retry), each time blocking anew. */
        void call() throws Exception;

        @Override
        void close() throws Exception;
    }

    private final String label;

    BlockingJdkCall(String label) {
        this.label = label;
    }

    /** Sets up the call (servers, locks, processes) for one test; close what it returns. */
    public abstract Fixture open() throws Exception;

    @Override
    public String toString() {
        return label;
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static Fixture fixture(Body call) {
        return new Fixture() {
            @Override
            public void call() throws Exception {
                call.run();
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A loopback server that accepts connections on a thread of its own and never answers, so
     * that a read (or an HTTP request) on them blocks.
     */
    private static final class SilentServer {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<AutoCloseable> open = new ArrayList<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            acceptor = Thread.ofPlatform().daemon().name("silent-server").start(() -> {
                try {
                    while (true) track(listener.accept());
                } catch (IOException closed) {
                    // close() closed the listener
                }
            });
        }

        <C extends AutoCloseable> C track(C c) {
            synchronized (open) {
                open.add(c);
            }
            return c;
        }

        void onClose(AutoCloseable c) {
            track(c);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
        }

        Socket connect() throws IOException {
            return track(new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        }

        Fixture with(Body call) {
            return new Fixture() {
                @Override
                public void call() throws Exception {
                    call.run();
                }

                @Override
                public void close() throws Exception {
                    listener.close();
                    acceptor.join(5_000);
                    synchronized (open) {
                        for (AutoCloseable c : open) c.close();
                    }
                }
            };
        }
    }
}
