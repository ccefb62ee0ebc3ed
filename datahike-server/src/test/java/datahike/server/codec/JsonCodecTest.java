package datahike.server.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.EdnList;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.math.BigInteger;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The JSON convention, as a table of JSON text and the Java data it means. */
class JsonCodecTest {
  static Keyword kw(String s) {
    return Keyword.of(s);
  }

  @Test
  void decode_followsTheBindingsConvention() {
    assertThat(
            JsonCodec.decode(
                "{\"store\": {\"backend\": \":memory\", \"id\": \"x\"},"
                    + " \"keep-history?\": true, \":schema-flexibility\": \":read\"}"))
        .isEqualTo(
            Map.of(
                kw("store"), Map.of(kw("backend"), kw("memory"), kw("id"), "x"),
                kw("keep-history?"), true,
                kw("schema-flexibility"), kw("read")));
    assertThat(JsonCodec.decode("\"\\\\:literal\"")).isEqualTo(":literal");
    assertThat(JsonCodec.decode("\"\\\\n\"")).isEqualTo("\\n");
    assertThat(JsonCodec.decode("\":\"")).isEqualTo(":");
    assertThat(JsonCodec.decode("[1, 2.5, null, false]"))
        .isEqualTo(java.util.Arrays.asList(1L, 2.5, null, false));
    assertThat(JsonCodec.decode("123456789012345678901234567890"))
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void tags_readAsTheirValues() {
    assertThat(JsonCodec.decode("{\"#set\": [1, 2]}")).isEqualTo(Set.of(1L, 2L));
    assertThat(JsonCodec.decode("{\"#list\": [{\"#sym\": \"<\"}, 1]}"))
        .isEqualTo(EdnList.of(Symbol.of("<"), 1L))
        .isInstanceOf(EdnList.class);
    assertThat(JsonCodec.decode("{\"#inst\": \"2020-01-01T00:00:00Z\"}"))
        .isEqualTo(new Date(1577836800000L));
    assertThat(JsonCodec.decode("{\"#uuid\": \"00000000-0000-0000-0000-000000000001\"}"))
        .isEqualTo(new UUID(0, 1));
    assertThat(JsonCodec.decode("{\"#map\": [[\"a\", 1], [2, 3]]}"))
        .isEqualTo(Map.of("a", 1L, 2L, 3L));
    Object d = JsonCodec.decode("{\"#datahike/Datom\": [1, \":name\", \"Ann\", 536870913, true]}");
    assertThat(d).isEqualTo(new Datom(1, Datom.attrCode(kw("name")), "Ann", 536870913L, true));
  }

  @Test
  void encode_writesTheConvention() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(kw("db/ident"), kw("person/name"));
    m.put(kw("text"), ":colon");
    m.put(kw("n"), 1L);
    m.put(kw("tags"), Set.of("x"));
    assertThat(JsonCodec.encodeToString(m))
        .isEqualTo(
            "{\"db/ident\":\":person/name\",\"text\":\"\\\\:colon\",\"n\":1,"
                + "\"tags\":{\"#set\":[\"x\"]}}");
    Map<Object, Object> tempids = new LinkedHashMap<>();
    tempids.put("alice", 5L);
    tempids.put(kw("db/current-tx"), 536870913L);
    assertThat(JsonCodec.encodeToString(tempids))
        .isEqualTo("{\"#map\":[[\"alice\",5],[\":db/current-tx\",536870913]]}");
    assertThat(JsonCodec.encodeToString(List.of(Double.NaN, 1.5)))
        .isEqualTo("[{\"#double\":\"NaN\"},1.5]");
  }

  @Test
  void malformedJson_isAParseError() {
    for (String bad : new String[] {"{", "[1,", "{\"a\" 1}", "", "1 2", "{\"#uuid\": \"nope\"}"}) {
      assertThatThrownBy(() -> JsonCodec.decode(bad))
          .as(bad)
          .isInstanceOf(DatahikeException.class)
          .extracting(e -> ((DatahikeException) e).code().namespace())
          .isIn("json", "codec");
    }
  }

  @Test
  void unknownType_isRefusedOrStringifiedWhenLenient() {
    Object o =
        new Object() {
          @Override
          public String toString() {
            return "thing";
          }
        };
    assertThatThrownBy(() -> JsonCodec.encode(o)).isInstanceOf(DatahikeException.class);
    assertThat(new String(JsonCodec.encodeLenient(List.of(o)))).isEqualTo("[\"thing\"]");
  }
}
