package datahike.fuzz;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.edn.Keyword;
import java.nio.charset.StandardCharsets;

/**
 * The small in-memory databases the fuzz targets run against, built once per JVM and shared (a
 * Database is an immutable value). {@link #WRITE} has a schema (schema-on-write) covering every
 * value type the fuzzers reach for, refs (with a cycle for recursive pull and rules), a component,
 * unique identity and value attributes and a tuple; {@link #READ} is schema-on-read with similar
 * data.
 */
final class FuzzDbs {
  private FuzzDbs() {}

  static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + "  :db/unique :db.unique/identity}"
          + " {:db/ident :email :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + "  :db/unique :db.unique/value}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one"
          + "  :db/index true}"
          + " {:db/ident :score :db/valueType :db.type/double :db/cardinality :db.cardinality/one}"
          + " {:db/ident :born :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}"
          + " {:db/ident :tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}"
          + " {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}"
          + " {:db/ident :child :db/valueType :db.type/ref :db/cardinality :db.cardinality/many"
          + "  :db/isComponent true}"
          + " {:db/ident :uuid :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}"
          + " {:db/ident :pos :db/valueType :db.type/tuple :db/tupleTypes [:db.type/long"
          + "  :db.type/long] :db/cardinality :db.cardinality/one}]";

  static final String DATA =
      "[{:db/id -1 :name \"Alice\" :email \"alice@example.org\" :age 30 :score 1.5"
          + "  :born #inst \"1990-01-01T00:00:00Z\" :tags [:admin :dev] :friend [-2]"
          + "  :uuid #uuid \"6ba7b810-9dad-11d1-80b4-00c04fd430c8\" :pos [1 2]"
          + "  :child [{:name \"Alice Jr\" :age 3}]}"
          + " {:db/id -2 :name \"Bob\" :age 40 :score -0.5 :tags [:dev] :friend [-3]}"
          + " {:db/id -3 :name \"Carol\" :age 25 :friend [-1] :email \"carol@example.org\"}"
          + " {:name \"Dave\" :age 30 :tags [:ops]}]";

  static final String READ_DATA =
      "[{:db/id -1 :name \"Alice\" :age 30 :friend -2 :tags :dev}"
          + " {:db/id -2 :name \"Bob\" :age \"forty\" :friend -1 :nested {:a 1}}"
          + " {:name 42 :age 1.5 :tags #{:x :y}}]";

  /** Schema-on-write, with {@link #SCHEMA} and {@link #DATA}. */
  static final Database WRITE = create(Config.builder().build(), SCHEMA, DATA);

  /** Schema-on-read, with {@link #READ_DATA}. */
  static final Database READ = create(Config.builder().schemaOnRead().build(), READ_DATA);

  /** Alice's entity id in {@link #WRITE}. */
  static final long ALICE = WRITE.entity(java.util.List.of(Keyword.of("name"), "Alice")).id();

  private static Database create(Config cfg, String... txs) {
    Datahike.createDatabase(cfg);
    Connection conn = Datahike.connect(cfg);
    for (String tx : txs) {
      conn.transact(tx);
    }
    return conn.db();
  }

  /** The fuzzer's bytes as text (malformed UTF-8 becomes U+FFFD). */
  static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** The number of current datoms of {@code db}. */
  static int datomCount(Database db) {
    return db.datoms(Keyword.of("eavt")).size();
  }
}
