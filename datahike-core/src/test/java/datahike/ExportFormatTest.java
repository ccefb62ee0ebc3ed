package datahike;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExportFormatTest {
  @Test
  void exportThenLoad_valueOverwrittenWithinOneTransaction_keepsItsHistory() {
    Config a = Config.parse("{:store {:backend :memory :id \"export-format-a\"}}");
    Config b = Config.parse("{:store {:backend :memory :id \"export-format-b\"}}");
    Datahike.createDatabase(a);
    Datahike.createDatabase(b);
    try (Connection src = Datahike.connect(a);
        Connection dst = Datahike.connect(b)) {
      src.transact(
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
              + " :db/unique :db.unique/identity}"
              + " {:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
      src.transact("[{:name \"a\" :n 5}]");
      // :n 7 is set and overwritten by :n 1 in one transaction; 5 is replaced.
      src.transact("[{:name \"a\" :n 7} {:name \"a\" :n 1}]");
      dst.loadEntities(src.db().export());
      assertThat(dst.db().history().datoms(":eavt")).isEqualTo(src.db().history().datoms(":eavt"));
    } finally {
      Datahike.deleteDatabase(a);
      Datahike.deleteDatabase(b);
    }
  }
}
