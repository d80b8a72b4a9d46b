package lakehouse.standin;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads a spark-defaults file the way Spark reads --properties-file and conf/spark-defaults.conf
 * (java.util.Properties from UTF-8, values trimmed) and prints "key=value" lines, sorted. For the tests only.
 */
public final class SparkPropertiesDump {
    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(Files.newInputStream(Paths.get(args[0])), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> sorted.put(key, properties.getProperty(key).trim()));
        sorted.forEach((key, value) -> System.out.println(key + "=" + value));
    }
}
