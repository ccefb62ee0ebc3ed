package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobFrameTest {
  private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

  private static String code(Throwable t) {
    return ((DatahikeException) t).code().fullName();
  }

  @Test
  void encode_layoutAsDocumented() {
    byte[] f = BlobFrame.encode(BlobFrame.KIND_BLOB, PAYLOAD);
    assertThat(f).hasSize(PAYLOAD.length + 16);
    assertThat(Arrays.copyOf(f, 12))
        .containsExactly(0x89, 'D', 'H', 'J', 1, 1, 0, 0, 0, 0, 0, PAYLOAD.length);
    assertThat(Arrays.copyOfRange(f, 12, 12 + PAYLOAD.length)).isEqualTo(PAYLOAD);
  }

  @Test
  void decode_roundTrip() {
    BlobFrame.Frame fr =
        BlobFrame.decode("k", BlobFrame.encode(BlobFrame.KIND_HEAD, PAYLOAD), BlobFrame.KIND_HEAD);
    assertThat(fr.kind()).isEqualTo(BlobFrame.KIND_HEAD);
    assertThat(fr.version()).isEqualTo(BlobFrame.VERSION);
    assertThat(fr.payload()).isEqualTo(PAYLOAD);
  }

  @Test
  void decode_eachFailure_distinctCodeNamingKey() {
    byte[] good = BlobFrame.encode(BlobFrame.KIND_BLOB, PAYLOAD);
    byte[] newer = BlobFrame.encode(BlobFrame.KIND_BLOB, 9, PAYLOAD, 0, PAYLOAD.length);
    byte[] older = BlobFrame.encode(BlobFrame.KIND_BLOB, 0, PAYLOAD, 0, PAYLOAD.length);
    byte[] badMagic = good.clone();
    badMagic[1] = 'X';
    byte[] badCrc = good.clone();
    badCrc[good.length - 1] ^= 1;
    Object[][] cases = {
      {newer, "store/too-new"},
      {older, "store/too-old"},
      {badMagic, "store/corrupt"},
      {badCrc, "store/corrupt"},
      {Arrays.copyOf(good, good.length - 1), "store/corrupt"},
      {Arrays.copyOf(good, good.length + 1), "store/corrupt"},
      {Arrays.copyOf(good, 3), "store/corrupt"},
      {new byte[0], "store/corrupt"},
      {BlobFrame.encode(BlobFrame.KIND_HEAD, PAYLOAD), "store/corrupt"},
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> BlobFrame.decode("the-key", (byte[]) c[0], BlobFrame.KIND_BLOB))
          .isInstanceOfSatisfying(
              DatahikeException.class,
              e -> {
                assertThat(e.code().fullName()).isEqualTo(c[1]);
                assertThat(e.data()).containsEntry(Keyword.of("key"), "the-key");
                assertThat(e.getMessage()).contains("the-key");
              });
    }
  }

  @Test
  void decode_randomBytes_onlyDocumentedErrors() {
    long seed = new Random().nextLong();
    Random r = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      byte[] b;
      if (r.nextBoolean()) {
        b = BlobFrame.encode(BlobFrame.KIND_BLOB, new byte[r.nextInt(40)]);
        for (int k = r.nextInt(3) + 1; k > 0; k--) {
          b[r.nextInt(b.length)] = (byte) r.nextInt();
        }
        if (r.nextInt(4) == 0) {
          b = Arrays.copyOf(b, r.nextInt(b.length + 4));
        }
      } else {
        b = new byte[r.nextInt(40)];
        r.nextBytes(b);
      }
      byte[] in = b;
      try {
        BlobFrame.decode("k", in, BlobFrame.KIND_BLOB);
      } catch (DatahikeException e) {
        assertThat(code(e))
            .as("seed %d", seed)
            .isIn("store/corrupt", "store/too-new", "store/too-old");
      }
    }
  }
}
