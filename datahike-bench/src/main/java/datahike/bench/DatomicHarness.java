package datahike.bench;

import datahike.bench.People20k.Person;
import datomic.Connection;
import datomic.Database;
import datomic.Datom;
import datomic.Peer;
import datomic.Util;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * people20k on Datomic peer 1.0.7622 with an in-memory {@code datomic:mem://} database, through
 * Datomic's Java API. Follows datascript-bench's {@code bench/datascript/bench/datomic.clj}, with
 * the changes of PEOPLE20K.md section 6.
 *
 * <p>Keywords are Datomic's own ({@code Util.read(":name")} gives a {@code clojure.lang.Keyword});
 * entity maps are built once per people list, outside the timers, as the Clojure original holds
 * them as data before the benchmark starts.
 *
 * <p>Query dbs (PEOPLE20K.md section 5): after the untimed load the harness requests an index job
 * and waits for it; {@code conn.db()} then has the data in the covering indexes ("q1" ...), while
 * the load transaction's {@code db-after} still has every datom in the memory index ("novelty",
 * "q1@novelty" ..., which is what the original's {@code db100k} was).
 */
final class DatomicHarness implements Harness {
  private static final Object DB_ID = Util.read(":db/id");
  private static final Object ADD = Util.read(":db/add");
  private static final Object RETRACT_ENTITY = Util.read(":db/retractEntity");
  private static final Object NAME = Util.read(":name");
  private static final Object LAST_NAME = Util.read(":last-name");
  private static final Object SEX = Util.read(":sex");
  private static final Object AGE = Util.read(":age");
  private static final Object SALARY = Util.read(":salary");
  private static final Object MALE = Util.read(":male");
  private static final Object FEMALE = Util.read(":female");

  /** PEOPLE20K.md section 3; Datomic 1.x installs attributes without {@code :db.install}. */
  private static final String SCHEMA_EDN =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
          + " {:db/ident :last-name :db/valueType :db.type/string"
          + " :db/cardinality :db.cardinality/one}"
          + " {:db/ident :sex :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :salary :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :follows :db/valueType :db.type/ref"
          + " :db/cardinality :db.cardinality/many}]";

  private static final AtomicInteger DB_SEQ = new AtomicInteger();

  private final List<?> schema = (List<?>) Util.read(SCHEMA_EDN);
  private List<Person> mapsFor;
  private List<Object> maps;

  @Override
  public String name() {
    return "datomic";
  }

  @Override
  public String unsupported(Op op) {
    return op == Op.INIT ? "N/A" : null;
  }

  /** A fresh in-memory database with the schema; closing deletes it. */
  private final class Db implements AutoCloseable {
    final String uri = "datomic:mem://people-" + DB_SEQ.incrementAndGet();
    final Connection conn;

    Db() throws Exception {
      Peer.createDatabase(uri);
      conn = Peer.connect(uri);
      conn.transact(schema).get();
    }

    @Override
    public void close() {
      Peer.deleteDatabase(uri);
      conn.release();
    }
  }

  private static Object sex(Person p) {
    return p.sex().equals("male") ? MALE : FEMALE;
  }

  private static Object entityMap(Person p) {
    return Util.map(
        DB_ID,
        p.tempid(),
        NAME,
        p.name(),
        LAST_NAME,
        p.lastName(),
        SEX,
        sex(p),
        AGE,
        p.age(),
        SALARY,
        p.salary());
  }

  private List<Object> maps(List<Person> people) {
    if (mapsFor != people) {
      List<Object> ms = new ArrayList<>(people.size());
      for (Person p : people) {
        ms.add(entityMap(p));
      }
      maps = ms;
      mapsFor = people;
    }
    return maps;
  }

  private static Map<?, ?> transact(Connection conn, List<?> tx) throws Exception {
    return conn.transact(tx).get();
  }

  @Override
  public WriteTrial prepare(Op op, List<Person> people) throws Exception {
    List<Object> ms = maps(people);
    Db db = new Db();
    Connection conn = db.conn;
    return switch (op) {
      case ADD_1 -> trial(db, () -> add1(conn, people));
      case ADD_5 ->
          trial(
              db,
              () -> {
                for (Object m : ms) {
                  transact(conn, List.of(m));
                }
              });
      case ADD_ALL -> trial(db, () -> transact(conn, ms));
      case RETRACT_5 -> {
        Database loaded = (Database) transact(conn, ms).get(Connection.DB_AFTER);
        List<Long> es = new ArrayList<>();
        for (Datom d : loaded.datoms(Database.AEVT, NAME)) {
          es.add((Long) d.e());
        }
        long[] order = People20k.retractOrder(es.stream().mapToLong(Long::longValue).toArray());
        yield trial(
            db,
            () -> {
              for (long e : order) {
                transact(conn, List.of(Util.list(RETRACT_ENTITY, e)));
              }
            });
      }
      default -> {
        db.close();
        throw new IllegalArgumentException("datomic: no write trial for " + op.label());
      }
    };
  }

  /**
   * add-1: each person's first datom uses the string tempid, the other four the id it resolved to
   * (as datascript-bench's {@code datomic.clj} does).
   */
  private static void add1(Connection conn, List<Person> people) throws Exception {
    for (Person p : people) {
      String tempid = p.tempid();
      Map<?, ?> r = transact(conn, List.of(Util.list(ADD, tempid, NAME, p.name())));
      Object e = ((Map<?, ?>) r.get(Connection.TEMPIDS)).get(tempid);
      transact(conn, List.of(Util.list(ADD, e, LAST_NAME, p.lastName())));
      transact(conn, List.of(Util.list(ADD, e, SEX, sex(p))));
      transact(conn, List.of(Util.list(ADD, e, AGE, p.age())));
      transact(conn, List.of(Util.list(ADD, e, SALARY, p.salary())));
    }
  }

  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  private static WriteTrial trial(Db db, Body body) {
    return new WriteTrial() {
      @Override
      public void run() throws Exception {
        body.run();
      }

      @Override
      public void close() {
        db.close();
      }
    };
  }

  @Override
  public List<QueryTarget> load(List<Person> people, int batch) throws Exception {
    Db db = new Db();
    Database novelty = null;
    List<Object> tx = new ArrayList<>(batch);
    for (int i = 0; i < people.size(); i++) {
      tx.add(entityMap(people.get(i)));
      if (tx.size() == batch || i == people.size() - 1) {
        novelty = (Database) transact(db.conn, tx).get(Connection.DB_AFTER);
        tx = new ArrayList<>(batch);
      }
    }
    db.conn.requestIndex();
    Database indexed = db.conn.syncIndex(novelty.basisT()).get();
    return List.of(target("", indexed, db), target("@novelty", novelty, null));
  }

  /** A query target; the one that owns {@code db} deletes it on close. */
  private static QueryTarget target(String suffix, Database value, Db owner) {
    return new QueryTarget() {
      @Override
      public String suffix() {
        return suffix;
      }

      @Override
      public QueryCall compile(Op op) {
        Object form = Util.read(op.query());
        Object[] in = op.inputs();
        Object[] args = new Object[in.length + 1];
        args[0] = value;
        System.arraycopy(in, 0, args, 1, in.length);
        return () -> Peer.q(form, args).size();
      }

      @Override
      public void close() {
        if (owner != null) {
          owner.close();
        }
      }
    };
  }

  @Override
  public void close() {
    maps = null;
    mapsFor = null;
  }
}
