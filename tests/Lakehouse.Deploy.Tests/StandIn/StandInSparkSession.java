package lakehouse.standin;

import java.io.FileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A STAND-IN for org.apache.spark.sql.SparkSession, for the launcher tests only (no Spark can run there). It has the
 * methods the launcher calls by reflection and does what matters to the launcher:
 * getOrCreate records the builder's settings in the file named by -Dstandin.record and, when spark.plugins names
 * SparkConnectPlugin, listens on spark.connect.grpc.binding.port as the Connect server would (unless
 * -Dstandin.listen=false); the context reports itself stopped once the file named by -Dstandin.stopWhenFileExists
 * exists (the application killed from outside); stop() records "stopped".
 */
public final class StandInSparkSession {
    private final StandInSparkContext context = new StandInSparkContext();
    private final ServerSocket connect;

    private StandInSparkSession(Map<String, String> settings) {
        StringBuilder lines = new StringBuilder();
        settings.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        record(lines.toString());
        String plugins = settings.getOrDefault("spark.plugins", "");
        boolean listen = !"false".equals(System.getProperty("standin.listen"))
            && plugins.contains("org.apache.spark.sql.connect.SparkConnectPlugin");
        connect = listen ? listen(Integer.parseInt(settings.get("spark.connect.grpc.binding.port"))) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public StandInSparkContext sparkContext() {
        return context;
    }

    public void stop() {
        context.stopped = true;
        if (connect != null) {
            try {
                connect.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        record("stopped\n");
    }

    private static void record(String text) {
        String path = System.getProperty("standin.record");
        if (path != null) {
            try (FileWriter writer = new FileWriter(path, true)) {
                writer.write(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket server = new ServerSocket(port);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket ignored = server.accept()) {
                        // A connection is all the launcher's readiness check makes.
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stand-in for SparkSession.Builder. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();

        public Builder config(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public StandInSparkSession getOrCreate() {
            return new StandInSparkSession(settings);
        }
    }

    /** The stand-in for SparkContext: stopped by stop() or by the stop-signal file. */
    public static final class StandInSparkContext {
        private volatile boolean stopped;

        public boolean isStopped() {
            String signal = System.getProperty("standin.stopWhenFileExists");
            return stopped || (signal != null && Files.exists(Paths.get(signal)));
        }
    }
}
