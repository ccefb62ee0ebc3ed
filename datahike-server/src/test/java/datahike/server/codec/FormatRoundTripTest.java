package datahike.server.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.EdnPrinter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Model-based round trips: random data survives encode then decode in every format. */
class FormatRoundTripTest {
  @ParameterizedTest
  @EnumSource(Format.class)
  void randomData_roundTrips(Format f) {
    long seed = Long.getLong("datahike.seed", System.nanoTime());
    RandomData gen = new RandomData(seed);
    for (int i = 0; i < 3000; i++) {
      Object v = gen.value(4);
      byte[] bytes = f.encode(v);
      Object back;
      try {
        back = f.decode(bytes);
      } catch (RuntimeException e) {
        throw new AssertionError(
            "seed " + seed + " case " + i + ": " + new String(bytes, StandardCharsets.UTF_8), e);
      }
      assertThat(Same.same(v, back))
          .as(
              "seed %d case %d: %s -> %s -> %s",
              seed,
              i,
              EdnPrinter.print(v),
              new String(bytes, StandardCharsets.UTF_8),
              EdnPrinter.print(back))
          .isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void deepNesting_isAnErrorNotAStackOverflow(Format f) {
    Object v = "x";
    for (int i = 0; i < 5000; i++) {
      List<Object> l = new ArrayList<>();
      l.add(v);
      v = l;
    }
    Object deep = v;
    if (f == Format.EDN) {
      // The core's printer and reader use explicit stacks: deep data round trips.
      assertThat(f.decode(f.encode(deep))).isEqualTo(deep);
      return;
    }
    assertThatThrownBy(() -> f.encode(deep))
        .isInstanceOf(DatahikeException.class)
        .extracting(e -> ((DatahikeException) e).code().fullName())
        .isEqualTo("codec/too-deep");
    String text = "[".repeat(5000) + "]".repeat(5000);
    assertThatThrownBy(() -> f.decode(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DatahikeException.class);
  }
}
