package datahike.bench;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.Datom;
import datahike.TxReport;
import datahike.bench.People20k.Person;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * people20k on datahike-java through its public API ({@code datahike.Datahike}), the same
 * operations and the same data as {@link DatomicHarness}.
 *
 * <p>Each database is fresh (a new id on the harness's {@link Backend}: {@code :memory} for
 * people20k, the file store for scale), with {@code :schema-flexibility :write} and {@code
 * :keep-history? false}. Entity maps ({@code Map<Keyword, Object>}) are built once per people list
 * outside the timers; queries are read from EDN once per op and passed as data. {@code init} is N/A
 * until the facade has a bulk constructor from prepared datoms.
 */
final class DatahikeHarness implements Harness {
  private static final Keyword DB_ID = Keyword.of("db/id");
  private static final Keyword ADD = Keyword.of("db/add");
  private static final Keyword RETRACT_ENTITY = Keyword.of("db.fn/retractEntity");
  private static final Keyword NAME = Keyword.of("name");
  private static final Keyword LAST_NAME = Keyword.of("last-name");
  private static final Keyword SEX = Keyword.of("sex");
  private static final Keyword AGE = Keyword.of("age");
  private static final Keyword SALARY = Keyword.of("salary");
  private static final Keyword MALE = Keyword.of("male");
  private static final Keyword FEMALE = Keyword.of("female");
  private static final Keyword AEVT = Keyword.of("aevt");

  /** PEOPLE20K.md section 3. */
  static final String SCHEMA_EDN =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
          + " {:db/ident :last-name :db/valueType :db.type/string"
          + " :db/cardinality :db.cardinality/one}"
          + " {:db/ident :sex :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :salary :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :follows :db/valueType :db.type/ref"
          + " :db/cardinality :db.cardinality/many}]";

  private static final AtomicInteger DB_SEQ = new AtomicInteger();

  private final String name;
  private final Backend backend;
  private List<Person> mapsFor;
  private List<Object> maps;

  /** The in-memory harness of people20k. */
  DatahikeHarness() {
    this("datahike", LocalBackend.memory());
  }

  /** A harness named {@code name} whose databases live on {@code backend}. */
  DatahikeHarness(String name, Backend backend) {
    this.name = name;
    this.backend = backend;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String unsupported(Op op) {
    // TODO: time `init` once the bulk constructor (Datahike.initDb(Config, List<Datom>)) lands.
    return op == Op.INIT ? "N/A (no bulk init API yet)" : null;
  }

  /** The config of the database {@code id} on {@code backend}. */
  static Config config(Backend backend, String id) {
    return Config.parse(
        "{:store " + backend.storeEdn(id) + " :schema-flexibility :write :keep-history? false}");
  }

  /** A fresh database id, unique in this run and usable as a table or key prefix. */
  static String newId() {
    return "bench_" + ProcessHandle.current().pid() + "_" + DB_SEQ.incrementAndGet();
  }

  /** A fresh database with the schema; closing deletes it. */
  static final class Db implements AutoCloseable {
    final Backend backend;
    final String id;
    final Config cfg;
    final Path dir;

    /** The open connection; {@link #reconnect} replaces it. */
    Connection conn;

    Db(Backend backend) {
      this.backend = backend;
      id = newId();
      cfg = config(backend, id);
      dir = backend.dir(id);
      Datahike.createDatabase(cfg);
      conn = Datahike.connect(cfg);
      conn.transact(SCHEMA_EDN);
    }

    /**
     * Closes the connection and opens a new one: the last connection closing closes the database,
     * so the new one starts with empty caches (an in-memory database stays as it is).
     */
    Connection reconnect() {
      conn.close();
      conn = Datahike.connect(cfg);
      return conn;
    }

    /** Total size of the files under the database's directory; -1 without one (memory, servers). */
    long diskBytes() {
      if (dir == null) {
        return -1;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).mapToLong(Db::size).sum();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static long size(Path p) {
      try {
        return Files.size(p);
      } catch (IOException e) {
        return 0; // removed meanwhile (compaction): not part of the store any more
      }
    }

    /** Closes the connection, deletes the database and removes what its deletion left. */
    @Override
    public void close() {
      try {
        conn.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + cfg + " failed", e);
      } finally {
        try {
          Datahike.deleteDatabase(cfg);
        } finally {
          String left = backend.cleanUp(id);
          if (left != null) {
            System.err.println(
                "  note: "
                    + backend.name()
                    + " deletion of "
                    + id
                    + " left "
                    + left
                    + " (removed)");
          }
        }
      }
    }
  }

  static Map<Keyword, Object> entityMap(Person p) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(DB_ID, p.tempid());
    m.put(NAME, p.name());
    m.put(LAST_NAME, p.lastName());
    m.put(SEX, p.sex().equals("male") ? MALE : FEMALE);
    m.put(AGE, p.age());
    m.put(SALARY, p.salary());
    return m;
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

  /**
   * A fresh database on {@code backend}. A durable store that cannot be opened is reported as
   * {@link DatahikeDurable.NotAvailable} (the suites print "not available yet").
   */
  static Db open(Backend backend) throws DatahikeDurable.NotAvailable {
    if (backend.name().equals("memory")) {
      return new Db(backend);
    }
    try {
      return new Db(backend);
    } catch (RuntimeException | LinkageError e) {
      throw new DatahikeDurable.NotAvailable(e);
    }
  }

  @Override
  public WriteTrial prepare(Op op, List<Person> people) throws Exception {
    List<Object> ms = maps(people);
    Db db = open(backend);
    Connection conn = db.conn;
    return switch (op) {
      case ADD_1 -> trial(db, () -> add1(conn, people));
      case ADD_5 ->
          trial(
              db,
              () -> {
                for (Object m : ms) {
                  conn.transact(List.of(m));
                }
              });
      case ADD_ALL -> trial(db, () -> conn.transact(ms));
      case RETRACT_5 -> {
        Database loaded = conn.transact(ms).dbAfter();
        List<Long> es = new ArrayList<>();
        for (Datom d : Datahike.datoms(loaded, AEVT, NAME)) {
          es.add(d.e());
        }
        long[] order = People20k.retractOrder(es.stream().mapToLong(Long::longValue).toArray());
        yield trial(
            db,
            () -> {
              for (long e : order) {
                conn.transact(List.of(List.of(RETRACT_ENTITY, e)));
              }
            });
      }
      default -> {
        db.close();
        throw new IllegalArgumentException(name + ": no write trial for " + op.label());
      }
    };
  }

  /** add-1: the first datom of each person uses the string tempid, the others its resolved id. */
  private static void add1(Connection conn, List<Person> people) {
    for (Person p : people) {
      String tempid = p.tempid();
      TxReport r = conn.transact(List.of(List.of(ADD, tempid, NAME, p.name())));
      Long e = r.tempid(tempid);
      conn.transact(List.of(List.of(ADD, e, LAST_NAME, p.lastName())));
      conn.transact(List.of(List.of(ADD, e, SEX, p.sex().equals("male") ? MALE : FEMALE)));
      conn.transact(List.of(List.of(ADD, e, AGE, p.age())));
      conn.transact(List.of(List.of(ADD, e, SALARY, p.salary())));
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
    Db db = open(backend);
    List<Object> tx = new ArrayList<>(batch);
    for (int i = 0; i < people.size(); i++) {
      tx.add(entityMap(people.get(i)));
      if (tx.size() == batch || i == people.size() - 1) {
        db.conn.transact(tx);
        tx = new ArrayList<>(batch);
      }
    }
    Database value = db.conn.db();
    return List.of(
        new QueryTarget() {
          @Override
          public String suffix() {
            return "";
          }

          @Override
          public QueryCall compile(Op op) {
            Object form = EdnReader.read(op.query());
            Object[] in = op.inputs();
            Object[] args = new Object[in.length + 1];
            args[0] = value;
            System.arraycopy(in, 0, args, 1, in.length);
            return () -> {
              Set<List<Object>> rows = Datahike.q(form, args);
              return rows.size();
            };
          }

          @Override
          public long diskBytes() {
            return db.diskBytes();
          }

          @Override
          public void close() {
            db.close();
          }
        });
  }

  @Override
  public void close() {
    maps = null;
    mapsFor = null;
  }
}
