package datahike.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server plugins: the {@code :plugins} classes and the registrars ServiceLoader finds run at start;
 * a wrong class stops the start with {@code :server/plugin} naming it. (That a separate server
 * process needs them for the corpus is {@code SeparateServerConformanceTest}'s business.)
 */
class PluginsTest {
  private static final String NAME_OF = TestRegistrars.NameOf.class.getName();

  @Test
  void start_runsDiscoveredThenNamedRegistrars() {
    int named = TestRegistrars.NameOf.RUNS.get();
    int discovered = TestRegistrars.Discovered.RUNS.get();
    List<String> run = Plugins.load(List.of(NAME_OF));
    assertThat(run)
        .containsSubsequence(TestRegistrars.Discovered.class.getName(), NAME_OF)
        .doesNotContain("datahike.conformance.ConformanceFunctions");
    assertThat(TestRegistrars.NameOf.RUNS.get()).isEqualTo(named + 1);
    assertThat(TestRegistrars.Discovered.RUNS.get()).isEqualTo(discovered + 1);
  }

  @Test
  void aServerWithAPlugin_transactsWithItsFunction() {
    String token = "plugins-" + UUID.randomUUID();
    ServerConfig cfg =
        ServerConfig.builder()
            .port(0)
            .token(token)
            .allowCreate(true)
            .plugins(List.of(NAME_OF))
            .build();
    try (Server s = ServerMain.start(cfg)) {
      Config c =
          Config.parse(
              "{:store {:backend :memory :id \"plugins-"
                  + UUID.randomUUID()
                  + "\"} :schema-flexibility :read :remote-peer {:backend :datahike-server :url \""
                  + s.url()
                  + "\" :token \""
                  + token
                  + "\"}}");
      Datahike.createDatabase(c);
      try (Connection conn = Datahike.connect(c)) {
        conn.transact("[[:plugin-test/name-of 7 \"Ada\"]]");
        assertThat((Object) Datahike.q("[:find ?n . :where [7 :name ?n]]", conn.db()))
            .isEqualTo("Ada");
      } finally {
        Datahike.deleteDatabase(c);
      }
    }
  }

  @Test
  void aWrongPlugin_stopsTheStart_namingTheClass() {
    String[][] cases = {
      {"com.example.Missing", "not on the server's class path"},
      {TestRegistrars.NotOne.class.getName(), "does not implement datahike.spi.FunctionRegistrar"},
      {TestRegistrars.Failing.class.getName(), "no database for my functions"},
      {TestRegistrars.NoConstructor.class.getName(), "public no-argument constructor"},
    };
    for (String[] c : cases) {
      ServerConfig cfg = ServerConfig.builder().port(0).plugins(List.of(c[0])).build();
      assertThatThrownBy(() -> ServerMain.start(cfg).close())
          .as(c[0])
          .isInstanceOf(DatahikeException.class)
          .hasMessageContaining(c[0])
          .hasMessageContaining(c[1])
          .satisfies(
              e -> {
                DatahikeException d = (DatahikeException) e;
                assertThat(d.code()).isEqualTo(Keyword.of("server/plugin"));
                assertThat(d.data()).containsEntry(Keyword.of("class"), c[0]);
              });
    }
  }

  @Test
  void pluginsComeFromTheFileAndTheCommandLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("server.edn");
    Files.writeString(f, "{:port 0 :plugins [\"a.B\" c.D]}");
    assertThat(ServerConfig.load(f).plugins()).containsExactly("a.B", "c.D");
    ServerConfig c =
        ServerMain.parseArgs(new String[] {"--config", f.toString(), "--plugin", "e.F"});
    assertThat(c.plugins()).containsExactly("a.B", "c.D", "e.F");
    assertThat(c.port()).isZero();
    assertThat(ServerMain.parseArgs(new String[] {"--plugin", "x.Y"}).plugins())
        .containsExactly("x.Y");
    for (String bad : new String[] {"{:plugins \"a.B\"}", "{:plugins [1]}", "{:plugins [\" \"]}"}) {
      assertThatThrownBy(() -> ServerConfig.parse(bad))
          .as(bad)
          .isInstanceOf(DatahikeException.class)
          .extracting(e -> ((DatahikeException) e).code().fullName())
          .isEqualTo("server/config-invalid");
    }
  }
}
