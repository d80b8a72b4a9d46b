package lakehouse.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The .NET job as a child process: its stdout and stderr copied to the driver's as they come, its exit code, and
 * a stop that asks first (SIGTERM) and forces (SIGKILL) after a grace period.
 */
final class JobProcess {
    private static final long OUTPUT_DRAIN_MILLIS = 10_000;

    private final Process process;
    private final Thread stdout;
    private final Thread stderr;

    private JobProcess(Process process, Thread stdout, Thread stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command} with {@code sparkRemote} as SPARK_REMOTE in its environment. */
    static JobProcess start(List<String> command, String sparkRemote) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SPARK_REMOTE", sparkRemote);
        builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        Thread stdout = pump(process.getInputStream(), System.out, "job-stdout");
        Thread stderr = pump(process.getErrorStream(), System.err, "job-stderr");
        return new JobProcess(process, stdout, stderr);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the job to end and for its output to be copied; returns its exit code. */
    int waitFor() throws InterruptedException {
        int code = process.waitFor();
        // The pipes close when the job exits, unless a process it left behind still holds them: then the rest
        // of the output is given up rather than keeping the application alive.
        stdout.join(OUTPUT_DRAIN_MILLIS);
        stderr.join(OUTPUT_DRAIN_MILLIS);
        return code;
    }

    /**
     * Ends the job and anything it started: SIGTERM, so the job can finish its current commit and exit; SIGKILL
     * after {@code graceMillis} if it is still running.
     */
    void stop(long graceMillis) {
        List<ProcessHandle> descendants = new ArrayList<>();
        process.descendants().forEach(descendants::add);
        process.destroy();
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                System.err.println("lakehouse-launcher: the job (pid " + process.pid() + ") did not stop within "
                    + graceMillis + " ms of SIGTERM; killing it.");
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle descendant : descendants) {
            descendant.destroyForcibly();
        }
    }

    private static Thread pump(InputStream from, PrintStream to, String name) {
        Thread thread = new Thread(() -> copy(from, to), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = from.read(buffer)) > 0) {
                synchronized (to) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // The pipe closes when the job ends or is killed; nothing is left to copy.
        }
    }
}
