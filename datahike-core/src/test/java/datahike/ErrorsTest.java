package datahike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import datahike.edn.Keyword;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every error a user can hit is a DatahikeException with a stable code and a message naming the
 * culprit, and a rejected transaction leaves the database exactly as it was.
 */
class ErrorsTest {
  private Connection conn;

  @BeforeEach
  void setUp() {
    Config cfg = Config.builder().build();
    Datahike.createDatabase(cfg);
    conn = Datahike.connect(cfg);
    conn.transact(
        "[{:db/ident :email :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
            + "  :db/unique :db.unique/identity}"
            + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
    conn.transact("[{:email \"a@x\" :age 30} {:email \"b@x\" :age 40}]");
  }

  private DatahikeException rejected(String txData) {
    Database before = conn.db();
    DatahikeException e = catchThrowableOfType(DatahikeException.class, () -> conn.transact(txData));
    assertThat(e).as("expected a DatahikeException for %s", txData).isNotNull();
    assertThat(conn.db().datoms(":eavt")).isEqualTo(before.datoms(":eavt"));
    assertThat(conn.db().maxTx()).isEqualTo(before.maxTx());
    return e;
  }

  @Test
  void unknownAttribute_underSchemaOnWrite() {
    DatahikeException e = rejected("[{:email \"c@x\" :height 180}]");
    assertThat(e.code()).isEqualTo(Keyword.of("transact/schema"));
    assertThat(e.getMessage()).contains(":height").contains("not defined in current schema");
  }

  @Test
  void wrongValueType() {
    DatahikeException e = rejected("[{:email \"c@x\" :age \"old\"}]");
    assertThat(e.code()).isEqualTo(Keyword.of("transact/schema"));
    assertThat(e.getMessage()).contains("\"old\"").contains(":age");
    assertThat(e.data()).containsEntry(Keyword.of("attribute"), Keyword.of("age"));
  }

  @Test
  void uniqueConflict() {
    DatahikeException e = rejected("[[:db/add [:email \"a@x\"] :email \"b@x\"]]");
    assertThat(e.code()).isEqualTo(Keyword.of("transact/unique"));
    assertThat(e.getMessage()).contains("b@x").contains("unique constraint");
  }

  @Test
  void lookupRefToNothing_andOnANonUniqueAttribute() {
    DatahikeException missing = rejected("[[:db/add [:email \"nobody@x\"] :age 3]]");
    assertThat(missing.code()).isEqualTo(Keyword.of("entity-id/missing"));
    assertThat(missing.getMessage()).contains("nobody@x");
    DatahikeException notUnique = rejected("[[:db/add [:age 30] :age 3]]");
    assertThat(notUnique.code()).isEqualTo(Keyword.of("lookup-ref/unique"));
    assertThat(notUnique.getMessage()).contains("[:age 30]");
  }

  @Test
  void casMismatch() {
    DatahikeException e = rejected("[[:db/cas [:email \"a@x\"] :age 31 32]]");
    assertThat(e.code()).isEqualTo(Keyword.of("transact/cas"));
    assertThat(e.getMessage()).contains(":age").contains("30").contains("expected 31");
  }

  @Test
  void malformedTransactionForms() {
    assertThat(rejected("[42]").code()).isEqualTo(Keyword.of("transact/syntax"));
    assertThat(rejected("[[:db/frobnicate 1 :age 3]]").getMessage()).contains(":db/frobnicate");
    assertThat(rejected("[[:db/add 1 :age nil]]").getMessage()).contains("Cannot store nil");
    assertThat(rejected("[[:db/retract \"tmp\" :age 3]]").getMessage()).contains("Tempids are allowed in :db/add only");
    DatahikeException edn = catchThrowableOfType(DatahikeException.class, () -> conn.transact("[{:age 1"));
    assertThat(edn.code()).isEqualTo(Keyword.of("edn/parse"));
    assertThat(edn.getMessage()).contains("line 1");
  }

  @Test
  void missingDatabase_andClosedConnection() {
    Config nowhere = Config.builder().memory("does-not-exist").build();
    DatahikeException e = catchThrowableOfType(DatahikeException.class, () -> Datahike.connect(nowhere));
    assertThat(e.code()).isEqualTo(Keyword.of("db/missing"));
    conn.close();
    DatahikeException closed = catchThrowableOfType(DatahikeException.class, () -> conn.db());
    assertThat(closed.code()).isEqualTo(Keyword.of("connection/closed"));
  }

  @Test
  void queryErrors_nameTheClause() {
    DatahikeException e =
        catchThrowableOfType(
            DatahikeException.class,
            () -> Datahike.q("[:find ?e :where [?e :age ?a] [(frobnicate ?a)]]", conn.db()));
    assertThat(e.code().namespace()).isEqualTo("query");
    assertThat(e.getMessage()).contains("frobnicate");
    DatahikeException bad =
        catchThrowableOfType(DatahikeException.class, () -> Datahike.q("[:find ?e :where]", conn.db()));
    assertThat(bad).isNotNull();
    assertThat(List.of(bad.code().namespace())).containsAnyOf("query", "edn");
  }
}
