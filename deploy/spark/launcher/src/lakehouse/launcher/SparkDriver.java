package lakehouse.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The Spark side of the driver, reached by reflection so that the launcher compiles and ships without Spark: it
 * creates the application's SparkSession (whose SparkContext starts the plugins named in spark.plugins, among
 * them Spark Connect), tells whether the application has stopped, and stops it.
 *
 * <p>Only methods that Spark 3.5 and 4.x both have are used: {@code SparkSession.builder()},
 * {@code Builder.config(String, String)}, {@code Builder.getOrCreate()}, {@code SparkSession.sparkContext()},
 * {@code SparkContext.isStopped()} and {@code SparkSession.stop()}.
 */
final class SparkDriver {
    private final Object session;
    private final Method stop;
    private final Method sparkContext;

    private SparkDriver(Object session, Method stop, Method sparkContext) {
        this.session = session;
        this.stop = stop;
        this.sparkContext = sparkContext;
    }

    /**
     * Creates (or gets) the application's session with {@code settings} added to the builder.
     *
     * @throws LauncherException (exit code 1) when the session class is missing or Spark fails to start
     */
    static SparkDriver start(String sessionClassName, Map<String, String> settings) {
        try {
            Class<?> sessionClass = Class.forName(sessionClassName);
            // Methods are taken from the declared types, not the runtime classes, which may not be public.
            Method builderMethod = sessionClass.getMethod("builder");
            Object builder = builderMethod.invoke(null);
            Class<?> builderType = builderMethod.getReturnType();
            Method config = builderType.getMethod("config", String.class, String.class);
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                builder = config.invoke(builder, setting.getKey(), setting.getValue());
            }
            Method getOrCreate = builderType.getMethod("getOrCreate");
            Object session = getOrCreate.invoke(builder);
            Class<?> sessionType = getOrCreate.getReturnType();
            return new SparkDriver(session, sessionType.getMethod("stop"), sessionType.getMethod("sparkContext"));
        } catch (ClassNotFoundException e) {
            throw new LauncherException(1, "the class " + sessionClassName + " is not on the classpath: run the"
                + " launcher with spark-submit, which puts Spark on the classpath.", e);
        } catch (InvocationTargetException e) {
            throw new LauncherException(1, "Spark failed to start: " + e.getCause()
                + ". On Spark 3.5 check that org.apache.spark:spark-connect is in --packages.", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new LauncherException(1, "the class " + sessionClassName + " does not look like a SparkSession ("
                + e + "); use Spark 3.5 or 4.x.", e);
        }
    }

    /** Whether the application's SparkContext has stopped (killed from the UI, a cluster manager, or an error). */
    boolean isStopped() {
        try {
            Object context = sparkContext.invoke(session);
            return (Boolean) context.getClass().getMethod("isStopped").invoke(context);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A context that cannot even answer is as good as stopped: the job would find no engine.
            return true;
        }
    }

    /** Stops the session and its SparkContext (and with it the Connect server); errors are reported, not thrown. */
    void stop() {
        try {
            stop.invoke(session);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("lakehouse-launcher: stopping Spark failed: " + e);
        }
    }
}
