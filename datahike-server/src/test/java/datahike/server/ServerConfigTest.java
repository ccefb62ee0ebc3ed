package datahike.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server configuration: defaults, parsing, validation, the command line. */
class ServerConfigTest {
  @Test
  void defaults_areDatahikes() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.port()).isEqualTo(4444);
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.maxBodyBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(c.token()).isNull();
    assertThat(c.devMode()).isFalse();
    assertThat(c.allowCreate()).isFalse();
  }

  @Test
  void parse_readsEveryKey() {
    ServerConfig c =
        ServerConfig.parse(
            "{:port 0 :bind \"0.0.0.0\" :token :secret :read-only-token \"reader\""
                + " :databases [{:store {:backend :memory :id \"a\"} :name \"a\"}]"
                + " :allow-create true :dev-mode true :max-body-bytes 1024"
                + " :query-timeout-ms 500}");
    assertThat(c.port()).isZero();
    assertThat(c.bind()).isEqualTo("0.0.0.0");
    assertThat(c.token()).isEqualTo("secret");
    assertThat(c.readOnlyToken()).isEqualTo("reader");
    assertThat(c.databases()).hasSize(1);
    assertThat(c.databases().get(0).name()).isEqualTo("a");
    assertThat(c.allowCreate()).isTrue();
    assertThat(c.devMode()).isTrue();
    assertThat(c.maxBodyBytes()).isEqualTo(1024);
    assertThat(c.queryTimeoutMs()).isEqualTo(500);
    assertThat(c.toString()).doesNotContain("secret", "reader");
  }

  @Test
  void parse_rejectsWhatItDoesNotKnow() {
    for (String bad :
        new String[] {
          "{:prot 1}",
          "{:port -1}",
          "{:port \"x\"}",
          "{:max-body-bytes 0}",
          "[1]",
          "{:token \"same\" :read-only-token \"same\"}",
          "{:databases [1]}",
          "{:token \"\"}"
        }) {
      assertThatThrownBy(() -> ServerConfig.parse(bad))
          .as(bad)
          .isInstanceOf(DatahikeException.class)
          .extracting(e -> ((DatahikeException) e).code().fullName())
          .isIn("server/config-invalid", "config/invalid");
    }
    assertThatThrownBy(() -> ServerConfig.parse("{:token \"same\" :read-only-token \"same\"}"))
        .hasMessageNotContaining("same");
  }

  @Test
  void commandLine_readsConfigAndOverrides(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("server.edn");
    Files.writeString(f, "{:port 5000 :token \"t\"}");
    ServerConfig c = ServerMain.parseArgs(new String[] {"--config", f.toString(), "--port", "0"});
    assertThat(c.port()).isZero();
    assertThat(c.token()).isEqualTo("t");
    assertThat(ServerMain.parseArgs(new String[] {"--help"})).isNull();
    assertThat(ServerMain.parseArgs(new String[0]).port()).isEqualTo(4444);
    assertThatThrownBy(() -> ServerMain.parseArgs(new String[] {"--bogus"}))
        .isInstanceOf(DatahikeException.class);
    assertThatThrownBy(
            () -> ServerMain.parseArgs(new String[] {"--config", dir.resolve("none").toString()}))
        .isInstanceOf(DatahikeException.class)
        .extracting(e -> ((DatahikeException) e).code().fullName())
        .isEqualTo("server/config-unreadable");
  }

  @Test
  void readmesServerEdn_isValid() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int at = readme.indexOf("```clojure\n{:port 4444");
    assertThat(at).isNotNegative();
    String edn = readme.substring(at + "```clojure\n".length(), readme.indexOf("```", at + 3));
    ServerConfig c = ServerConfig.parse(edn);
    assertThat(c.plugins()).containsExactly("com.example.MyFunctions");
    assertThat(c.databases()).hasSize(1);
  }

  @Test
  void start_onABusyPort_isAClearError() {
    try (Server s = ServerMain.start(ServerConfig.builder().port(0).build())) {
      assertThatThrownBy(() -> ServerMain.start(ServerConfig.builder().port(s.port()).build()))
          .isInstanceOf(DatahikeException.class)
          .extracting(e -> ((DatahikeException) e).code().fullName())
          .isEqualTo("server/start-failed");
    }
  }
}
