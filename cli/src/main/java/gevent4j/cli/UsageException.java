package gevent4j.cli;

/** Bad command-line arguments: {@link Main} prints the message and the usage and exits with 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
