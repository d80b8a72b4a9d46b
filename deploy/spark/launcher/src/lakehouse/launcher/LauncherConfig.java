package lakehouse.launcher;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * What one launch needs: the job executable and its arguments (the application arguments of spark-submit) and the
 * launcher's settings (Spark properties, which spark-submit hands to the driver as system properties).
 */
final class LauncherConfig {
    /** The Spark plugin that starts a Spark Connect server inside the driver (Spark 3.5 and 4.x). */
    static final String CONNECT_PLUGIN = "org.apache.spark.sql.connect.SparkConnectPlugin";

    /** Spark Connect's port setting; Spark's default is 15002. */
    static final String PORT_KEY = "spark.connect.grpc.binding.port";

    static final String PLUGINS_KEY = "spark.plugins";
    static final String SESSION_CLASS_KEY = "spark.lakehouse.launcher.sessionClass";
    static final String GRACE_KEY = "spark.lakehouse.launcher.killGraceSeconds";
    static final String CONNECT_TIMEOUT_KEY = "spark.lakehouse.launcher.connectTimeoutSeconds";
    static final String DEFAULT_SESSION_CLASS = "org.apache.spark.sql.SparkSession";

    static final String USAGE =
        "usage: spark-submit [spark options] --class lakehouse.launcher.Launcher lakehouse-launcher.jar"
            + " JOB_EXECUTABLE [job arguments...]";

    final File executable;
    final List<String> jobArgs;
    final String sessionClass;
    /** The Connect port the user fixed, or -1 when the launcher picks a free one. */
    final int fixedPort;
    final long killGraceMillis;
    final long connectTimeoutMillis;
    /** The value of spark.plugins with the Connect plugin added when it is missing. */
    final String plugins;

    private LauncherConfig(File executable, List<String> jobArgs, Properties props) {
        this.executable = executable;
        this.jobArgs = Collections.unmodifiableList(jobArgs);
        this.sessionClass = props.getProperty(SESSION_CLASS_KEY, DEFAULT_SESSION_CLASS).trim();
        this.fixedPort = props.containsKey(PORT_KEY) ? parsePort(props.getProperty(PORT_KEY)) : -1;
        this.killGraceMillis = seconds(props, GRACE_KEY, 30) * 1000L;
        this.connectTimeoutMillis = seconds(props, CONNECT_TIMEOUT_KEY, 120) * 1000L;
        this.plugins = withConnectPlugin(props.getProperty(PLUGINS_KEY, ""));
    }

    /**
     * Reads the arguments and properties.
     *
     * @throws LauncherException (exit code 2) when no executable is given, it is not an executable file, or a
     *     setting is not a number
     */
    static LauncherConfig parse(String[] args, Properties props, File workingDirectory) {
        if (args.length == 0 || args[0].isEmpty()) {
            throw new LauncherException(2, "no job executable given. " + USAGE);
        }
        File executable = new File(args[0]);
        if (!executable.isAbsolute()) {
            // In cluster mode the jobs arrive through --archives jobs.tar.gz#jobs, unpacked into the driver's
            // working directory, so a relative path is resolved there.
            executable = new File(workingDirectory, args[0]);
        }
        if (!executable.isFile() || !executable.canExecute()) {
            throw new LauncherException(2, "the job executable " + executable.getPath() + " does not exist or is not"
                + " executable. Publish the jobs (dotnet publish -r linux-x64 --self-contained) and pass their path,"
                + " or ship them with --archives jobs.tar.gz#jobs and pass jobs/<executable>.");
        }
        List<String> jobArgs = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        return new LauncherConfig(executable, jobArgs, props);
    }

    static String withConnectPlugin(String plugins) {
        for (String plugin : plugins.split(",")) {
            if (plugin.trim().equals(CONNECT_PLUGIN)) {
                return plugins;
            }
        }
        return plugins.trim().isEmpty() ? CONNECT_PLUGIN : plugins + "," + CONNECT_PLUGIN;
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LauncherException(2, PORT_KEY + " is '" + value + "'; set a port between 1 and 65535, or leave it"
            + " unset and the launcher picks a free one.");
    }

    private static long seconds(Properties props, String key, long defaultValue) {
        String value = props.getProperty(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LauncherException(2, key + " is '" + value + "'; set a whole number of seconds (0 or more).");
    }
}
