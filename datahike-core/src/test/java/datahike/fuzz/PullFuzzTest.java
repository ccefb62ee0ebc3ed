package datahike.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import datahike.Database;
import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.util.List;

/**
 * Fuzzes pull patterns: {@link Database#pull(Object, Object)} with a fuzzed pattern text on {@link
 * FuzzDbs#WRITE}, for an entity id, a lookup ref and an ident, and {@link Database#pullMany} over
 * all three. The only allowed failure is a {@link DatahikeException}.
 */
class PullFuzzTest {
  private static final List<Object> EIDS =
      List.of(FuzzDbs.ALICE, List.of(Keyword.of("name"), "Bob"), Keyword.of("name"));

  @DictionaryFile(resourcePath = "pull.dict")
  @FuzzTest
  void pattern(byte[] data) {
    String pattern = FuzzDbs.text(data);
    for (Object eid : EIDS) {
      try {
        FuzzDbs.WRITE.pull(pattern, eid);
      } catch (DatahikeException e) {
        return;
      }
    }
    try {
      FuzzDbs.WRITE.pullMany(pattern, EIDS);
    } catch (DatahikeException e) {
      // the documented failure
    }
  }
}
