package datahike.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.conformance.CaseResult;
import datahike.conformance.ConformanceFunctions;
import datahike.conformance.ConformanceRunner;
import datahike.edn.Keyword;
import datahike.reliability.ChildJvm;
import datahike.server.ServerMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus against a server in another JVM, started as {@code ./datahike serve --config
 * server.edn} starts it ({@link ServerMain} in a child process, loopback, a free port, a token):
 * nothing registered in the test's JVM reaches that server, so the entity predicates the corpus
 * names are there only through {@code :plugins}. Exactly the listed failures fail, as locally; a
 * server without the plugin fails the cases that need it.
 */
class SeparateServerConformanceTest {
  private static final Pattern LISTENING =
      Pattern.compile("datahike server listening on (http://\\S+)");

  @Test
  void corpus_onASeparateServerWithThePlugin_passesAsLocally(@TempDir Path dir) throws Exception {
    try (ChildServer s = ChildServer.start(dir, List.of(ConformanceFunctions.class.getName()))) {
      long t0 = System.nanoTime();
      ConformanceRunner.Summary sum =
          s.runner().runAll(List.of(RemoteConformanceTest.corpus()), null);
      Set<String> expected = RemoteConformanceTest.expectedFailures();
      List<String> unexpected = new ArrayList<>();
      List<String> nowPassing = new ArrayList<>();
      for (CaseResult r : sum.results()) {
        if (!r.passed() && !expected.contains(r.id())) {
          unexpected.add(r.id() + " step " + r.step() + ": " + r.message());
        }
        if (r.passed() && expected.contains(r.id())) nowPassing.add(r.id());
      }
      System.out.printf(
          "separate-server conformance: %d passed, %d failed, %d skipped in %d ms%n",
          sum.passed(), sum.failed(), sum.skipped(), (System.nanoTime() - t0) / 1_000_000);
      assertThat(unexpected).as("cases failing on the separate server, not listed").isEmpty();
      assertThat(nowPassing).as("listed failures passing on the separate server").isEmpty();
      assertThat(sum.passed()).isGreaterThan(400);
    }
  }

  @Test
  void entitySpecs_onASeparateServerWithoutThePlugin_fail(@TempDir Path dir) throws Exception {
    Path specs = RemoteConformanceTest.corpus().resolve("core/entity-specs.edn");
    try (ChildServer s = ChildServer.start(dir, List.of())) {
      ConformanceRunner.Summary sum = s.runner().runAll(List.of(specs), null);
      System.out.printf(
          "separate server without plugin, entity specs: %d passed, %d failed%n",
          sum.passed(), sum.failed());
      // The predicates are registered in this JVM (by the runner) but not in the server's.
      assertThat(sum.failed()).isPositive();
      assertThat(sum.results())
          .filteredOn(r -> !r.passed())
          .allSatisfy(r -> assertThat(r.message()).contains("entity-spec-test"));
    }
  }

  /** {@code ServerMain --config server.edn} in a child JVM with this JVM's class path. */
  private record ChildServer(Process process, String url, String token) implements AutoCloseable {
    static ChildServer start(Path dir, List<String> plugins) throws Exception {
      String token = "separate-" + UUID.randomUUID();
      StringBuilder edn =
          new StringBuilder("{:port 0 :bind \"127.0.0.1\" :allow-create true :token \"")
              .append(token)
              .append("\" :plugins [");
      for (String p : plugins) edn.append('"').append(p).append("\" ");
      Path cfg = dir.resolve("server.edn");
      Files.writeString(cfg, edn.append("]}").toString());
      Process p = ChildJvm.start(ServerMain.class, List.of("--config", cfg.toString()));
      CompletableFuture<String> url = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                // Reads the announced URL, then drains stdout so the child never blocks on it.
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                  }
                } catch (Exception e) {
                  url.completeExceptionally(e);
                }
                url.completeExceptionally(
                    new IllegalStateException("the server exited before listening"));
              },
              "separate-server-stdout");
      reader.setDaemon(true);
      reader.start();
      try {
        return new ChildServer(p, url.get(120, TimeUnit.SECONDS), token);
      } catch (Exception e) {
        p.destroyForcibly();
        throw e;
      }
    }

    ConformanceRunner runner() {
      Map<Keyword, Object> peer = new LinkedHashMap<>();
      peer.put(Keyword.of("backend"), Keyword.of("datahike-server"));
      peer.put(Keyword.of("url"), url);
      peer.put(Keyword.of("token"), token);
      return ConformanceRunner.connected(Map.of(Keyword.of("remote-peer"), peer));
    }

    @Override
    public void close() throws Exception {
      process.destroy(); // SIGTERM: the server's shutdown hook closes it
      if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
  }
}
