package datahike.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import datahike.DatahikeException;
import datahike.db.EdnTags;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link EdnReader#read(String)}, alone and with datahike's tag readers ({@link
 * EdnTags#READERS}). The only allowed failure is a {@link DatahikeException}; a form that reads
 * must also print, and its printed text must read back to a value that prints the same.
 *
 * <p>{@code #"..."} regex literals compile whatever they hold, as in Clojure: fuzz with Jazzer's
 * RegexInjection sanitizer disabled (see package-info).
 */
class EdnFuzzTest {
  @DictionaryFile(resourcePath = "edn.dict")
  @FuzzTest
  void read(byte[] data) {
    roundTrip(data, false);
  }

  @DictionaryFile(resourcePath = "edn-tags.dict")
  @FuzzTest
  void readWithTags(byte[] data) {
    roundTrip(data, true);
  }

  private static void roundTrip(byte[] data, boolean tags) {
    String text = new String(data, StandardCharsets.UTF_8);
    Object v;
    try {
      v = read(text, tags);
    } catch (DatahikeException e) {
      return;
    }
    String printed = EdnPrinter.print(v);
    assertReprints(printed, tags);
  }

  /** Reads {@code printed} and checks that the value prints as {@code printed} again. */
  static void assertReprints(String printed, boolean tags) {
    assertThat(EdnPrinter.print(read(printed, tags)))
        .as("reprint of %s", printed)
        .isEqualTo(printed);
  }

  private static Object read(String text, boolean tags) {
    return tags ? EdnReader.read(text, EdnTags.READERS) : EdnReader.read(text);
  }
}
