package datahike.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, from {@code version.properties} (filled in by Maven). */
final class Version {
  private Version() {}

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} outside a build. */
  static String get() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      return "unknown";
    }
    String v = p.getProperty("version", "unknown");
    return v.startsWith("${") ? "unknown" : v;
  }

  /** What {@code datahike version} prints. */
  static String line() {
    return "datahike-java " + get() + " (Java " + System.getProperty("java.version") + ")";
  }
}
