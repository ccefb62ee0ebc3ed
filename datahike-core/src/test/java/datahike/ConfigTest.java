package datahike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import datahike.edn.Keyword;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void parse_appliesDatahikeDefaults() {
    Config c = Config.parse("{:store {:backend :memory :id \"x\"}}");
    assertThat(c.keepHistory()).isTrue();
    assertThat(c.schemaOnRead()).isFalse();
    assertThat(c.attributeRefs()).isFalse();
    assertThat(c.backend()).isEqualTo(Keyword.of("memory"));
  }

  @Test
  void load_readsSystemProperties_andTheMapWins() {
    System.setProperty("datahike.store.backend", "file");
    System.setProperty("datahike.store.path", "/tmp/dh-config-test");
    System.setProperty("datahike.keep.history", "false");
    System.setProperty("datahike.schema.flexibility", "read");
    try {
      Config env = Config.fromEnvironment();
      assertThat(env.backend()).isEqualTo(Keyword.of("file"));
      assertThat(env.store()).containsEntry(Keyword.of("path"), "/tmp/dh-config-test");
      assertThat(env.keepHistory()).isFalse();
      assertThat(env.schemaOnRead()).isTrue();
      Config merged = Config.load(Map.of(Keyword.of("keep-history?"), true));
      assertThat(merged.keepHistory()).isTrue();
      assertThat(merged.schemaOnRead()).isTrue();
    } finally {
      System.clearProperty("datahike.store.backend");
      System.clearProperty("datahike.store.path");
      System.clearProperty("datahike.keep.history");
      System.clearProperty("datahike.schema.flexibility");
    }
  }

  @Test
  void badConfigs_areClearErrors() {
    DatahikeException e = catchThrowableOfType(DatahikeException.class, () -> Config.parse("[1 2]"));
    assertThat(e.code()).isEqualTo(Keyword.of("config/invalid"));
    e = catchThrowableOfType(DatahikeException.class, () -> Config.parse("{:schema-flexibility :sometimes}"));
    assertThat(e.getMessage()).contains(":sometimes");
  }
}
