package gevent4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A Redis server for a test: {@code redis-server} on a free loopback port, no persistence, in a
 * temporary directory; stopped by {@link #close()}. Skips the test (saying why) when
 * {@code redis-server} is missing or does not start. {@code .ci/run} installs Debian's
 * {@code redis-server}.
 *
 * <pre>{@code
 * static RedisServer redis;
 * @BeforeAll static void start() { redis = RedisServer.start(); }
 * @AfterAll static void stop() { redis.close(); }
 * }</pre>
 */
public final class RedisServer extends LocalServer {
    private RedisServer() {
        super("redis");
    }

    /** Starts one and waits until it answers PING (at most 30 s); skips the test when it cannot. */
    public static RedisServer start() {
        RedisServer r = new RedisServer();
        Path exe = onPath("redis-server");
        if (exe == null) exe = firstExecutable(List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server")));
        if (exe == null) throw r.skip("redis-server is not installed (Debian: apt-get install redis-server)");
        r.launch(List.of(exe.toString(), "--port", String.valueOf(r.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", r.dir.toString(), "--protected-mode", "no"));
        r.awaitReady();
        return r;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    protected boolean isReady() {
        return "+PONG".equals(command("PING"));
    }

    @Override
    protected void requestStop() {
        command("SHUTDOWN NOSAVE");
    }

    // One inline command on a fresh connection; its first reply line, or null when unreachable.
    private String command(String inline) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\r'; ) line.append((char) c);
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }
}
