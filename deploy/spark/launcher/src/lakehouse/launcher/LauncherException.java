package lakehouse.launcher;

/** A failure the launcher reports on stderr and turns into its exit code (2: bad usage or setting, 1: Spark failed). */
final class LauncherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    LauncherException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    LauncherException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }
}
