package datahike.server.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.EdnList;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Transit-JSON as other writers produce it (caching, verbose maps, quotes) and as we write it. */
class TransitCodecTest {
  static Object read(String s) {
    return TransitCodec.decode(s.getBytes(StandardCharsets.UTF_8));
  }

  static String write(Object o) {
    return new String(TransitCodec.encode(o), StandardCharsets.UTF_8);
  }

  static Keyword kw(String s) {
    return Keyword.of(s);
  }

  @Test
  void groundTypes_read() {
    assertThat(read("[\"~#'\",\"~:a/b\"]")).isEqualTo(kw("a/b"));
    assertThat(read("[\"~$?e\",\"~m1577836800000\",\"~u00000000-0000-0000-0000-000000000001\"]"))
        .isEqualTo(List.of(Symbol.of("?e"), new Date(1577836800000L), new UUID(0, 1)));
    assertThat(
            read("[\"~i9007199254740993\",\"~~x\",\"~^y\",\"~zNaN\",\"~t2020-01-01T00:00:00Z\"]"))
        .isEqualTo(List.of(9007199254740993L, "~x", "^y", Double.NaN, new Date(1577836800000L)));
    assertThat(read("[\"~#set\",[1,2]]")).isEqualTo(Set.of(1L, 2L));
    assertThat(read("{\"~#list\":[1]}")).isEqualTo(EdnList.of(1L)).isInstanceOf(EdnList.class);
    assertThat(read("[\"~#cmap\",[[1],2]]")).isEqualTo(Map.of(List.of(1L), 2L));
  }

  @Test
  void cache_referencesResolve() {
    // What transit-clj writes for [{:name "a"} {:name "b"}] and repeated tags.
    assertThat(read("[[\"^ \",\"~:name\",\"a\"],[\"^ \",\"^0\",\"b\"]]"))
        .isEqualTo(List.of(Map.of(kw("name"), "a"), Map.of(kw("name"), "b")));
    assertThat(read("[[\"~#set\",[1]],[\"^0\",[2]]]")).isEqualTo(List.of(Set.of(1L), Set.of(2L)));
    // Keys longer than 3 chars are cached even as plain strings; short ones never.
    assertThat(read("[[\"^ \",\"long\",1,\"ab\",2],[\"^ \",\"^0\",3]]"))
        .isEqualTo(List.of(Map.of("long", 1L, "ab", 2L), Map.of("long", 3L)));
  }

  @Test
  void verboseMaps_read() {
    assertThat(read("{\"~:a\":1,\"b\":2}")).isEqualTo(Map.of(kw("a"), 1L, "b", 2L));
  }

  @Test
  void write_quotesScalarsAndEscapes() {
    assertThat(write(kw("a"))).isEqualTo("[\"~#'\",\"~:a\"]");
    assertThat(write(List.of("~x", "^ ", 1L << 60)))
        .isEqualTo("[\"~~x\",\"~^ \",\"~i1152921504606846976\"]");
    assertThat(write(Map.of(kw("a"), 1L))).isEqualTo("[\"^ \",\"~:a\",1]");
    assertThat(write(Map.of(List.of(1L), 2L))).isEqualTo("[\"~#cmap\",[[1],2]]");
  }

  @Test
  void malformed_isAParseError() {
    for (String bad :
        new String[] {"[\"^0\"]", "[\"~#set\"]", "[\"^ \",\"~:a\"]", "[", "\"~zWHAT\""}) {
      assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(DatahikeException.class);
    }
  }
}
