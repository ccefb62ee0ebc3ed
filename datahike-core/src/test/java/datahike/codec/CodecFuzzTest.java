package datahike.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import datahike.DatahikeException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Decodes seeded random mutations of valid payloads (bit flips, truncations, overwritten, inserted
 * and deleted bytes, random tails, random bytes behind a valid version byte). The only allowed
 * failure is a DatahikeException coded {@code :codec/corrupt} or {@code :codec/too-new}; a mutation
 * may also decode successfully.
 */
class CodecFuzzTest {
  private static final int MUTATIONS = 100_000;

  @Test
  void decode_mutatedPayloads_onlyCodecErrors() {
    int[] outcomes = new int[3];
    for (long seed = 1; seed <= MUTATIONS; seed++) {
      Random r = new Random(seed);
      int which = r.nextInt(4);
      byte[] valid;
      Consumer<byte[]> decoder;
      switch (which) {
        case 0:
          valid = ValueCodec.encode(CodecTestData.randomValue(r, 3, true));
          decoder = ValueCodec::decode;
          break;
        case 1:
          valid = TxRecordCodec.encode(CodecTestData.randomRecord(r));
          decoder = TxRecordCodec::decode;
          break;
        default:
          valid = CodecTestData.randomNode(r);
          decoder = NodeCodec::decode;
          break;
      }
      byte[] bad = mutate(r, valid);
      try {
        decoder.accept(bad);
        outcomes[0]++;
      } catch (DatahikeException e) {
        String code = e.code().fullName();
        if (!code.equals("codec/corrupt") && !code.equals("codec/too-new")) {
          fail("seed " + seed + ": unexpected code " + code, e);
        }
        outcomes[code.equals("codec/corrupt") ? 1 : 2]++;
      } catch (Throwable t) {
        fail("seed " + seed + ": " + t + " decoding " + Arrays.toString(bad), t);
      }
    }
    System.out.printf(
        "CodecFuzzTest: %d mutations, %d decoded, %d corrupt, %d too-new%n",
        MUTATIONS, outcomes[0], outcomes[1], outcomes[2]);
    assertThat(outcomes[1]).isGreaterThan(MUTATIONS / 2);
  }

  private static byte[] mutate(Random r, byte[] valid) {
    byte[] b = valid.clone();
    switch (r.nextInt(8)) {
      case 0:
      case 1:
        for (int i = 1 + r.nextInt(3); i > 0 && b.length > 0; i--) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      case 2:
        return Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 3:
        for (int i = 1 + r.nextInt(4); i > 0 && b.length > 1; i--) {
          b[1 + r.nextInt(b.length - 1)] = (byte) r.nextInt(256);
        }
        return b;
      case 4:
        {
          int at = r.nextInt(b.length + 1);
          byte[] out = new byte[b.length + 1];
          System.arraycopy(b, 0, out, 0, at);
          out[at] = (byte) r.nextInt(256);
          System.arraycopy(b, at, out, at + 1, b.length - at);
          return out;
        }
      case 5:
        {
          if (b.length < 2) {
            return new byte[0];
          }
          int at = r.nextInt(b.length);
          byte[] out = new byte[b.length - 1];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + 1, out, at, b.length - at - 1);
          return out;
        }
      case 6:
        {
          int keep = r.nextInt(b.length + 1);
          byte[] out = Arrays.copyOf(b, keep + r.nextInt(40));
          for (int i = keep; i < out.length; i++) {
            out[i] = (byte) r.nextInt(256);
          }
          return out;
        }
      default:
        {
          byte[] out = new byte[1 + r.nextInt(64)];
          r.nextBytes(out);
          out[0] = 1;
          if (out.length > 1 && r.nextBoolean()) {
            out[1] = (byte) (1 + r.nextInt(2));
          }
          return out;
        }
    }
  }
}
