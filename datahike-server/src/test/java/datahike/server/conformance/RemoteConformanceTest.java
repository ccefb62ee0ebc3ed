package datahike.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.conformance.CaseResult;
import datahike.conformance.ConformanceRunner;
import datahike.server.Server;
import datahike.server.ServerConfig;
import datahike.server.ServerMain;
import datahike.server.codec.Format;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance corpus through the remote client: every case that passes locally passes remotely
 * too, or is skipped with a reason (see {@link RemoteConformance}).
 */
class RemoteConformanceTest {
  static Path corpus() {
    return Path.of(System.getProperty("datahike.conformance.dir", "../../shared/conformance"));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void corpus_remotelyAsLocally(Format f) throws Exception {
    assertThat(corpus()).isDirectory();
    Map<String, Boolean> local = new HashMap<>();
    for (CaseResult r : new ConformanceRunner().runAll(List.of(corpus()), null).results()) {
      local.put(r.id(), r.passed());
    }
    String token = "conformance-token";
    try (Server s =
        ServerMain.start(ServerConfig.builder().port(0).token(token).allowCreate(true).build())) {
      RemoteConformance.Summary sum =
          new RemoteConformance(s.url(), token, f).runAll(List.of(corpus()), null);
      List<String> regressions = new ArrayList<>();
      Map<String, Integer> skipReasons = new HashMap<>();
      for (RemoteConformance.Result r : sum.results()) {
        if (r.status() == RemoteConformance.Status.FAILED
            && Boolean.TRUE.equals(local.get(r.id()))) {
          regressions.add(r.id() + " step " + r.step() + ": " + r.message());
        }
        if (r.status() == RemoteConformance.Status.SKIPPED) {
          String reason = r.message().replaceAll(" :[^ ]+$", "");
          skipReasons.merge(reason, 1, Integer::sum);
        }
      }
      System.out.println(
          "remote conformance ("
              + f
              + "): "
              + sum.passed()
              + " passed, "
              + sum.failed()
              + " failed, "
              + sum.skipped()
              + " skipped "
              + skipReasons);
      assertThat(regressions).as("cases passing locally but failing remotely").isEmpty();
      assertThat(sum.passed()).isGreaterThan(250);
    }
  }
}
