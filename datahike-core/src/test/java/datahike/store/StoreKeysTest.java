package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoreKeysTest {
  @Test
  void encode_plainKeys_unchanged() {
    assertThat(StoreKeys.encode("f47ac10b-58cc-4372-a567-0e02b2c3d479"))
        .isEqualTo("f47ac10b-58cc-4372-a567-0e02b2c3d479");
    assertThat(StoreKeys.encode("node_12.v1")).isEqualTo("node_12.v1");
  }

  @Test
  void encode_caseAndDotsAndSlashes_escaped() {
    assertThat(StoreKeys.encode("A")).isEqualTo("%41");
    assertThat(StoreKeys.encode(".x")).isEqualTo("%2Ex");
    assertThat(StoreKeys.encode("a/b")).isEqualTo("a%2Fb");
  }

  @Test
  void encodeDecode_randomKeys_roundTripAndNeverCollideIgnoringCase() {
    long seed = new Random().nextLong();
    Random r = new Random(seed);
    Set<String> names = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = r.nextInt(20) + 1; n > 0; n--) {
        sb.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x2000) : 0x20 + r.nextInt(0x5f));
      }
      String key = sb.toString();
      if (Character.isSurrogate(key.charAt(key.length() - 1)) || !keys.add(key)) {
        continue;
      }
      String name = StoreKeys.encode(key);
      assertThat(StoreKeys.decode(name)).as("seed %d", seed).isEqualTo(key);
      assertThat(name).doesNotStartWith(".");
      assertThat(names.add(name.toLowerCase(Locale.ROOT))).as("seed %d", seed).isTrue();
    }
  }

  @Test
  void shard_twoLowerHexDigits() {
    assertThat(StoreKeys.shard("anything")).matches("[0-9a-f]{2}");
  }
}
