package datahike.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Value equality is Clojure's {@code =}, and {@link Values#hash} agrees with it (hash joins). */
class ValuesTest {

  private static void equalWithEqualHashes(Object a, Object b) {
    assertThat(Values.equal(a, b)).as("%s = %s", a, b).isTrue();
    assertThat(Values.hash(a)).as("hash %s vs %s", a, b).isEqualTo(Values.hash(b));
  }

  @Test
  void integersOfAnyWidth_equalLongs_andHashAlike() {
    for (long v : new long[] {0, 1, -1, 42, -123456, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      equalWithEqualHashes((int) v, v);
      equalWithEqualHashes(v, (int) v);
    }
    equalWithEqualHashes((short) -7, -7L);
    equalWithEqualHashes((byte) -7, -7L);
  }

  @Test
  void bigDecimals_differingOnlyInScale_areEqual_andHashAlike() {
    equalWithEqualHashes(new BigDecimal("1.0"), new BigDecimal("1.00"));
    equalWithEqualHashes(new BigDecimal("0.0"), new BigDecimal("0"));
    equalWithEqualHashes(new BigDecimal("-2.50"), new BigDecimal("-2.5"));
  }

  @Test
  void integersAndFloatingPointOrDecimals_areNotEqual_asInClojure() {
    assertThat(Values.equal(1L, 1.0)).isFalse();
    assertThat(Values.equal(1L, new BigDecimal("1"))).isFalse();
  }

  @Test
  void listsCompareElementwise_withTheSameRules() {
    equalWithEqualHashes(List.of(1, "a"), List.of(1L, "a"));
    assertThat(Values.equal(List.of(1L), List.of(1.0))).isFalse();
  }

  @Test
  void byteArrays_byContent() {
    equalWithEqualHashes(new byte[] {1, 2}, new byte[] {1, 2});
    assertThat(Values.equal(new byte[] {1}, new byte[] {2})).isFalse();
  }
}
