package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.Entity;
import datahike.TxReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Remote connections" Java example, compiled and run against a live server; a second
 * test keeps the README text identical.
 */
class ReadmeRemoteTest {
  @Test
  void remoteExample_runsAsTheReadmeSays(@TempDir Path dir) throws IOException {
    try (RemoteFixture fx = new RemoteFixture()) {
      Path file = dir.resolve("remote.edn");
      Files.writeString(
          file,
          "{:store {:backend :memory :id \"readme-" + UUID.randomUUID() + "\"}"
              + " :remote-peer {:backend :datahike-server :url \"" + fx.server.url() + "\""
              + " :token \"" + RemoteFixture.TOKEN + "\"}}");
      // remote:begin
      Config cfg = Config.parse(Files.readString(file));
      Datahike.createDatabase(cfg);                  // on the server (:allow-create true)
      try (Connection conn = Datahike.connect(cfg)) {
        conn.transact("[{:db/ident :name :db/valueType :db.type/string"
            + " :db/cardinality :db.cardinality/one}]");
        TxReport r = conn.transact("[{:db/id \"a\" :name \"Alice\"}]");    // one request
        Database db = conn.db();                                           // no request
        Set<List<Object>> rows =
            Datahike.q("[:find ?n :where [_ :name ?n]]", db);             // runs on the server
        Entity alice = db.entity(r.tempid("a"));
        Object name = alice.get(":name");                                  // "Alice"
        // remote:end
        assertThat(rows).containsExactly(List.of("Alice"));
        assertThat(name).isEqualTo("Alice");
      } finally {
        Datahike.deleteDatabase(cfg);
      }
    }
  }

  @Test
  void readme_showsExactlyTheTestedExample() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String section = readme.substring(readme.indexOf("### Remote connections"));
    String block = section.substring(section.indexOf("```java\n") + 8);
    block = block.substring(0, block.indexOf("```"));
    String test =
        Files.readString(Path.of("src/test/java/datahike/server/client/ReadmeRemoteTest.java"));
    String example =
        test.substring(test.indexOf("// remote:begin\n") + 16, test.indexOf("        // remote:end"));
    assertThat(normalize(block)).contains(normalize(example));
  }

  private static String normalize(String s) {
    StringBuilder sb = new StringBuilder();
    for (String line : s.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) sb.append(t).append('\n');
    }
    return sb.toString();
  }
}
