package datahike.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.conformance.CaseResult;
import datahike.conformance.ConformanceRunner;
import datahike.edn.Keyword;
import datahike.server.Server;
import datahike.server.ServerConfig;
import datahike.server.ServerMain;
import datahike.server.codec.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance corpus through {@code Datahike.connect} with {@code :remote-peer}, run by core's
 * runner in its connected mode against a live server: exactly the cases listed in {@code
 * conformance/expected-failures.txt} fail, as locally.
 */
class RemoteConformanceTest {
  static Path corpus() {
    return Path.of(System.getProperty("datahike.conformance.dir", "../../shared/conformance"));
  }

  static Set<String> expectedFailures() throws Exception {
    Set<String> ids = new LinkedHashSet<>();
    for (String line : Files.readAllLines(Path.of("../conformance/expected-failures.txt"))) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) ids.add(t.split(" ", 2)[0]);
    }
    return ids;
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void corpus_remotelyAsLocally(Format f) throws Exception {
    assertThat(corpus()).isDirectory();
    String token = "conformance-token";
    try (Server s =
        ServerMain.start(ServerConfig.builder().port(0).token(token).allowCreate(true).build())) {
      Map<Keyword, Object> peer =
          Config.parse(
                  "{:remote-peer {:backend :datahike-server :url \""
                      + s.url()
                      + "\" :token \""
                      + token
                      + "\" :format "
                      + f.keyword()
                      + "}}")
              .toMap();
      ConformanceRunner.Summary sum =
          ConformanceRunner.connected(Map.of(Keyword.of("remote-peer"), peer.get(Keyword.of("remote-peer"))))
              .runAll(List.of(corpus()), null);
      Set<String> expected = expectedFailures();
      List<String> unexpected = new ArrayList<>();
      List<String> nowPassing = new ArrayList<>();
      for (CaseResult r : sum.results()) {
        if (!r.passed() && !expected.contains(r.id())) {
          unexpected.add(r.id() + " step " + r.step() + ": " + r.message());
        }
        if (r.passed() && expected.contains(r.id())) nowPassing.add(r.id());
      }
      System.out.println(
          "remote conformance (" + f + "): " + sum.passed() + " passed, " + sum.failed() + " failed");
      assertThat(unexpected).as("cases failing remotely, not listed as expected failures").isEmpty();
      assertThat(nowPassing).as("listed failures passing remotely").isEmpty();
      assertThat(sum.passed()).isGreaterThan(400);
    }
  }
}
