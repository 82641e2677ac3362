package gevent4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** The {@code bin/gevent4j} command line: dispatches to a subcommand. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(System.out);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo" -> new Demo(System.out).run();
                case ServeHttp.COMMAND -> ServeHttp.run(rest);
                case ServeEcho.COMMAND -> ServeEcho.run(rest);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            }
        } catch (UsageException e) {
            System.err.println("gevent4j: " + e.getMessage());
            usage(System.err);
            System.exit(2);
        } catch (IOException | UncheckedIOException e) {
            // A server could not bind (port in use, no permission): say so without a stack trace.
            System.err.println("gevent4j " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: bin/gevent4j COMMAND [OPTIONS]

                commands:
                  demo                             the tour: the examples gevent4j was built from, in Java
                  serve-http --port N [--hubs K]   HTTP server answering 'Hello world!' on 127.0.0.1
                  serve-echo --port N [--hubs K]   echo server on 127.0.0.1
                                                   (--port 0: any free port; --hubs K: K carrier threads;
                                                   --distribution reuseport|handoff: how K hubs share
                                                   connections; SIGINT/SIGTERM stop them)
                  --help                           this text
                """);
    }
}
