package gevent4j.cli;

import gevent4j.server.StreamServer;
import gevent4j.server.StreamServer.Distribution;
import java.util.Locale;

/**
 * The options of {@code serve-http} and {@code serve-echo}: {@code --port N} (required, 0 for any
 * free port), {@code --hubs K} (default 1), {@code --distribution reuseport|handoff} (how K &gt; 1
 * hubs share connections; default {@link StreamServer#DEFAULT_DISTRIBUTION}, kept for measuring
 * the other).
 */
record ServeArguments(int port, int hubs, Distribution distribution) {
    static final String USAGE = "--port N [--hubs K] [--distribution reuseport|handoff]";

    static ServeArguments parse(String command, String[] args) throws UsageException {
        Integer port = null;
        int hubs = 1;
        Distribution distribution = StreamServer.DEFAULT_DISTRIBUTION;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> port = intValue(command, a, args, ++i, 0, 65_535);
                case "--hubs" -> hubs = intValue(command, a, args, ++i, 1, 1024);
                case "--distribution" -> {
                    String v = value(command, a, args, ++i);
                    try {
                        distribution = Distribution.valueOf(v.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(command + ": --distribution must be reuseport or handoff, was '" + v + "'");
                    }
                }
                default -> throw new UsageException(command + ": unknown option '" + a + "'; usage: " + command + " " + USAGE);
            }
        }
        if (port == null) throw new UsageException(command + ": --port is required (0 picks a free port); usage: " + command + " " + USAGE);
        return new ServeArguments(port, hubs, distribution);
    }

    /** "1 hub", or "2 hubs (handoff)". */
    String describeHubs() {
        return hubs == 1 ? "1 hub" : hubs + " hubs (" + distribution.name().toLowerCase(Locale.ROOT) + ")";
    }

    private static String value(String command, String option, String[] args, int i) throws UsageException {
        if (i >= args.length) throw new UsageException(command + ": " + option + " needs a value");
        return args[i];
    }

    private static int intValue(String command, String option, String[] args, int i, int min, int max) throws UsageException {
        String v = value(command, option, args, i);
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(command + ": " + option + " must be an integer from " + min + " to " + max + ", was '" + v + "'");
    }
}
