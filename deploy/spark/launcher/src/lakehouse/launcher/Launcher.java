package lakehouse.launcher;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The main class spark-submit runs for every Lakehouse job (docs/spark-submit.md).
 *
 * <p>Arguments: {@code JOB_EXECUTABLE [job arguments...]}. The launcher makes the driver serve Spark Connect
 * (spark.plugins gets SparkConnectPlugin, spark.connect.grpc.binding.port a free port unless one is set), starts
 * the application's SparkSession, waits until the Connect port accepts connections, then runs the job executable
 * with {@code SPARK_REMOTE=sc://localhost:PORT}, copying its stdout and stderr. When the job ends the launcher
 * stops Spark and exits with the job's exit code. When the JVM is shut down (SIGTERM, spark-submit killed) it
 * stops the job (SIGTERM, then SIGKILL after spark.lakehouse.launcher.killGraceSeconds, default 30); when the
 * SparkContext stops underneath it, it stops the job the same way.
 *
 * <p>Exit codes of its own: 2 for a bad command line or setting, 1 when Spark or its Connect server does not come
 * up; otherwise the job's exit code (128 + signal number when the job was killed by a signal).
 */
public final class Launcher {
    private static final String PREFIX = "lakehouse-launcher: ";

    private volatile JobProcess job;
    private volatile boolean applicationStopped;
    /** Set by the first stop; guarded by this, like the start of the job, so no job starts after a stop. */
    private boolean stopping;

    private Launcher() {
    }

    /**
     * Runs one job; never returns normally (System.exit with the exit code, so that spark-submit in client mode
     * exits with it too).
     *
     * @param args the job executable and its arguments
     */
    public static void main(String[] args) {
        System.exit(new Launcher().run(args, System.getProperties()));
    }

    private int run(String[] args, Properties props) {
        LauncherConfig config;
        try {
            config = LauncherConfig.parse(args, props, new File(System.getProperty("user.dir")));
        } catch (LauncherException e) {
            System.err.println(PREFIX + e.getMessage());
            return e.exitCode;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopJob(config, "the driver is shutting down"),
            "lakehouse-launcher-shutdown"));

        SparkDriver driver;
        int port;
        try {
            port = config.fixedPort > 0 ? config.fixedPort : freePort();
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(LauncherConfig.PLUGINS_KEY, config.plugins);
            settings.put(LauncherConfig.PORT_KEY, Integer.toString(port));
            driver = SparkDriver.start(config.sessionClass, settings);
        } catch (LauncherException e) {
            System.err.println(PREFIX + e.getMessage());
            return e.exitCode;
        }

        try {
            awaitConnect(port, config.connectTimeoutMillis);
            String remote = "sc://localhost:" + port;
            List<String> command = new ArrayList<>();
            command.add(config.executable.getPath());
            command.addAll(config.jobArgs);
            synchronized (this) {
                // The job can be running before start() returns; the shutdown hook waits for this block, so
                // it always sees the job it has to stop.
                if (stopping) {
                    return 1;
                }
                job = JobProcess.start(command, remote);
            }
            System.err.println(PREFIX + "started " + config.executable.getName() + " (pid " + job.pid()
                + ") with SPARK_REMOTE=" + remote);
            watchApplication(driver, config);
            int code = job.waitFor();
            if (applicationStopped) {
                System.err.println(PREFIX + "the Spark application stopped while the job was running; the job"
                    + " ended with exit code " + code + ".");
            }
            return code;
        } catch (LauncherException e) {
            System.err.println(PREFIX + e.getMessage());
            return e.exitCode;
        } catch (IOException e) {
            System.err.println(PREFIX + "could not start " + config.executable.getPath() + ": " + e.getMessage()
                + ". Publish the job for this machine's OS and architecture (dotnet publish -r linux-x64).");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopJob(config, "the launcher was interrupted");
            return 1;
        } finally {
            driver.stop();
        }
    }

    /** Stops the job if it is still running; safe to call from the shutdown hook and the watcher at once. */
    private synchronized void stopJob(LauncherConfig config, String reason) {
        stopping = true;
        JobProcess running = job;
        if (running != null && running.isAlive()) {
            System.err.println(PREFIX + reason + "; stopping the job (pid " + running.pid() + ").");
            running.stop(config.killGraceMillis);
        }
    }

    /** Watches the SparkContext: a job without its engine would only fail later with less clear errors. */
    private void watchApplication(SparkDriver driver, LauncherConfig config) {
        Thread watcher = new Thread(() -> {
            try {
                while (job.isAlive()) {
                    if (driver.isStopped()) {
                        applicationStopped = true;
                        stopJob(config, "the Spark application has stopped");
                        return;
                    }
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lakehouse-launcher-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** A port that is free now; Spark binds it moments later, so a clash is unlikely and fails loudly if it happens. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LauncherException(1, "could not find a free port for Spark Connect (" + e.getMessage()
                + "); set " + LauncherConfig.PORT_KEY + ".", e);
        }
    }

    /** Waits until the Connect server accepts connections on the loopback interface. */
    private static void awaitConnect(int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new LauncherException(1, "Spark Connect is not listening on port " + port + " after "
                        + timeoutMillis / 1000 + " s. Check that spark.plugins includes "
                        + LauncherConfig.CONNECT_PLUGIN + " and, on Spark 3.5, that --packages has"
                        + " org.apache.spark:spark-connect_2.12 of the cluster's Spark version.");
                }
                Thread.sleep(200);
            }
        }
    }
}
