package datahike.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
  private static String code(Throwable t) {
    return ((DatahikeException) t).code().fullName();
  }

  private static Object roundTrip(Object v) {
    return ValueCodec.decode(ValueCodec.encode(v));
  }

  /** Value, then its expected encoded size including the version byte. */
  private static final Object[][] TABLE = {
    {null, 2},
    {true, 2},
    {false, 2},
    {0L, 2},
    {63L, 2},
    {-64L, 2},
    {64L, 4},
    {-65L, 4},
    {Long.MAX_VALUE, 12},
    {Long.MIN_VALUE, 12},
    {1.5d, 10},
    {-0.0d, 10},
    {Double.NaN, 10},
    {Double.NEGATIVE_INFINITY, 10},
    {2.5f, 6},
    {Float.NaN, 6},
    {"", 2},
    {"Ivan", 6},
    {"x".repeat(63), 65},
    {"x".repeat(64), 67},
    {"Олег", 10},
    {"emoji \uD83D\uDE00", 12},
    {Keyword.of("name"), 7},
    {Keyword.of("db/ident"), 11},
    {Symbol.of("?e"), 5},
    {Symbol.of("clojure.string/blank?"), 24},
    {new UUID(0x0123456789ABCDEFL, -1L), 18},
    {new Date(0), 3},
    {new Date(1_700_000_000_000L), 8},
    {BigInteger.ZERO, 4},
    {new BigInteger("-123456789012345678901234567890"), 16},
    {new BigDecimal("3.14"), 6},
    {new BigDecimal("-1E+30"), 5},
    {new byte[] {}, 3},
    {new byte[] {1, 2, 3}, 6},
    {'x', 3},
    {'\uFFFF', 5},
    {42, 3},
    {Integer.MIN_VALUE, 7},
    {(short) -7, 3},
    {(byte) 127, 4},
    {List.of(), 3},
    {Arrays.asList(1L, null, "a"), 7},
    {List.of(List.of(List.of(Keyword.of("deep")))), 13},
    {Set.of(1L), 4},
    {Map.of(Keyword.of("k"), "v"), 8},
  };

  @Test
  void roundTrip_eachType_sameClassAndValue() {
    for (Object[] row : TABLE) {
      Object v = row[0];
      byte[] b = ValueCodec.encode(v);
      Object back = ValueCodec.decode(b);
      assertThat(CodecTestData.same(back, v)).as("round trip of %s", v).isTrue();
      assertThat(b).as("size of %s", v).hasSize((Integer) row[1]);
    }
  }

  @Test
  void decode_list_isUnmodifiableAndAllowsNulls() {
    @SuppressWarnings("unchecked")
    List<Object> l = (List<Object>) roundTrip(Arrays.asList(null, 1L));
    assertThat(l).containsExactly(null, 1L);
    assertThatThrownBy(() -> l.set(0, 2L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void decode_keywordNamedWithColon_keepsName() {
    Keyword k = Keyword.of("::odd");
    assertThat(k.fullName()).isEqualTo(":odd");
    assertThat(roundTrip(k)).isSameAs(k);
  }

  @Test
  void roundTrip_randomValues() {
    for (long seed = 1; seed <= 5000; seed++) {
      Random r = new Random(seed);
      Object v = CodecTestData.randomValue(r, 4, true);
      Object back = roundTrip(v);
      assertThat(CodecTestData.same(back, v)).as("seed %d: %s", seed, v).isTrue();
    }
  }

  @Test
  void encode_unsupportedClass_fails() {
    assertThatThrownBy(() -> ValueCodec.encode(new Object()))
        .isInstanceOfSatisfying(
            DatahikeException.class, e -> assertThat(code(e)).isEqualTo("codec/unsupported"));
  }

  @Test
  void encode_nestedTooDeep_fails() {
    List<Object> l = new ArrayList<>();
    l.add(l);
    assertThatThrownBy(() -> ValueCodec.encode(l))
        .isInstanceOfSatisfying(
            DatahikeException.class, e -> assertThat(code(e)).isEqualTo("codec/unsupported"));
  }

  @Test
  void decode_malformed_corruptOrTooNew() {
    byte[] deep = new byte[10_000];
    Arrays.fill(deep, (byte) ValueCodec.T_LIST);
    for (int i = 2; i < deep.length; i += 2) {
      deep[i] = 1;
    }
    deep[0] = 1;
    Object[][] cases = {
      {new byte[0], "codec/corrupt"},
      {new byte[] {0}, "codec/corrupt"},
      {new byte[] {2, 0}, "codec/too-new"},
      {new byte[] {(byte) 0xFF}, "codec/too-new"},
      {new byte[] {1}, "codec/corrupt"},
      {new byte[] {1, 0, 0}, "codec/corrupt"},
      {new byte[] {1, 0x17}, "codec/corrupt"},
      {new byte[] {1, 0x20}, "codec/corrupt"},
      {new byte[] {1, 0x15, 1, 'a'}, "codec/corrupt"},
      {new byte[] {1, 0x06, -1, -1, -1, -1, 7}, "codec/corrupt"},
      {new byte[] {1, 0x0E, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}, "codec/corrupt"},
      {new byte[] {1, 0x03, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2}, "codec/corrupt"},
      {new byte[] {1, 0x03, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}, "codec/corrupt"},
      {new byte[] {1, 0x0B, 0}, "codec/corrupt"},
      {new byte[] {1, 0x11, -1, -1, 4}, "codec/corrupt"},
      {new byte[] {1, 0x14, -1, 3}, "codec/corrupt"},
      {new byte[] {1, 0x09, 1, 2, 3}, "codec/corrupt"},
      {deep, "codec/corrupt"},
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> ValueCodec.decode((byte[]) c[0]))
          .as(Arrays.toString((byte[]) c[0]))
          .isInstanceOfSatisfying(
              DatahikeException.class, e -> assertThat(code(e)).isEqualTo(c[1]));
    }
  }
}
