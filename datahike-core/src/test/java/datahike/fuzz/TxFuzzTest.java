package datahike.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;

/**
 * Fuzzes transaction data: {@link Datahike#with(Database, Object)} with a fuzzed EDN text on a
 * schema-on-write ({@link FuzzDbs#WRITE}) and a schema-on-read ({@link FuzzDbs#READ}) database. The
 * only allowed failure is a {@link DatahikeException}; whatever happens, the original database
 * value is unchanged (same datom count, max eid and max tx), since database values are immutable
 * and a rejected transaction is all-or-nothing.
 */
class TxFuzzTest {
  private static final int WRITE_COUNT = FuzzDbs.datomCount(FuzzDbs.WRITE);
  private static final int READ_COUNT = FuzzDbs.datomCount(FuzzDbs.READ);
  private static final long WRITE_EID = FuzzDbs.WRITE.maxEid();
  private static final long READ_EID = FuzzDbs.READ.maxEid();
  private static final long WRITE_TX = FuzzDbs.WRITE.maxTx();
  private static final long READ_TX = FuzzDbs.READ.maxTx();

  @DictionaryFile(resourcePath = "tx-write.dict")
  @FuzzTest
  void schemaOnWrite(byte[] data) {
    with(FuzzDbs.WRITE, FuzzDbs.text(data));
    assertUnchanged(FuzzDbs.WRITE, WRITE_COUNT, WRITE_EID, WRITE_TX);
  }

  @DictionaryFile(resourcePath = "tx-read.dict")
  @FuzzTest
  void schemaOnRead(byte[] data) {
    with(FuzzDbs.READ, FuzzDbs.text(data));
    assertUnchanged(FuzzDbs.READ, READ_COUNT, READ_EID, READ_TX);
  }

  private static void with(Database db, String txData) {
    try {
      // Reading the result back must work too.
      FuzzDbs.datomCount(Datahike.with(db, txData));
    } catch (DatahikeException e) {
      // the documented failure; the original is checked by the caller
    }
  }

  private static void assertUnchanged(Database db, int count, long maxEid, long maxTx) {
    assertThat(FuzzDbs.datomCount(db)).isEqualTo(count);
    assertThat(db.maxEid()).isEqualTo(maxEid);
    assertThat(db.maxTx()).isEqualTo(maxTx);
  }
}
