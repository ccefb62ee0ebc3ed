package datahike.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole shared conformance corpus. The list of cases that may fail
 * ({@code conformance/expected-failures.txt}, one id per line with a reason) must stay true: a
 * case failing without being listed fails the build, and so does a listed case that passes.
 */
class ConformanceTest {
  private static Path corpus() {
    return Path.of(System.getProperty("datahike.conformance.dir", "../../shared/conformance"));
  }

  private static Path expectedFile() {
    return Path.of(
        System.getProperty("datahike.conformance.expected", "../conformance/expected-failures.txt"));
  }

  static Map<String, String> expectedFailures() throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(expectedFile())) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) continue;
      int sp = t.indexOf(' ');
      m.put(sp < 0 ? t : t.substring(0, sp), sp < 0 ? "" : t.substring(sp + 1).strip());
    }
    return m;
  }

  @Test
  void corpus_matchesExpectedFailures() throws IOException {
    assertThat(corpus()).as("shared conformance corpus").isDirectory();
    check("conformance", new ConformanceRunner().runAll(List.of(corpus()), null));
  }

  /**
   * The same corpus through connections (create, connect, transact, delete through the facade):
   * the runner's connected mode, which runs it against servers with {@code :remote-peer}.
   */
  @Test
  void corpus_throughConnections_matchesExpectedFailures() throws IOException {
    check("conformance (connected)", ConformanceRunner.connected(Map.of()).runAll(List.of(corpus()), null));
  }

  private static void check(String what, ConformanceRunner.Summary s) throws IOException {
    Map<String, String> expected = expectedFailures();
    List<String> unexpected = new ArrayList<>();
    List<String> nowPassing = new ArrayList<>();
    for (CaseResult r : s.results()) {
      if (!r.passed() && !expected.containsKey(r.id())) {
        unexpected.add(r.id() + " step " + r.step() + ": " + r.message());
      }
      if (r.passed() && expected.containsKey(r.id())) nowPassing.add(r.id());
    }
    System.out.println(
        what + ": " + s.passed() + " passed, " + s.failed() + " failed (" + expected.size()
            + " expected)");
    assertThat(unexpected).as("cases failing but not in expected-failures.txt").isEmpty();
    assertThat(nowPassing).as("cases in expected-failures.txt that now pass: remove them").isEmpty();
    assertThat(s.passed() + s.failed()).isGreaterThan(400);
  }
}
