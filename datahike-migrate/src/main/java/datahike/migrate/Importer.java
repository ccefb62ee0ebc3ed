package datahike.migrate;

import datahike.Connection;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.AbstractDb;
import datahike.db.DbValue;
import datahike.edn.Keyword;
import datahike.schema.Attribute;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One import: a checking pass over the whole file, then a loading pass.
 *
 * <p>The checking pass decodes every record and checks that transactions never go backwards and
 * that attributes match the target (keywords, or entity ids with {@code :attribute-refs?}), so a
 * corrupt or truncated file is refused with its position before the database changes. The loading
 * pass reads the file again and hands whole transactions to {@link Connection#loadEntities} in
 * batches, in the order the loader needs whatever order the file has ({@link #loadOrder}).
 *
 * <p>A transaction that defines schema ({@code :db/valueType}) ends its batch, so the records
 * after it are read against the schema it defines: that is where the types Datahike's CBOR
 * encoder narrows come back (an integer of a {@code :db.type/bigint} attribute is a BigInteger; a
 * float16 zero, NaN or infinity, and in EDN any double, of a {@code :db.type/float} attribute is a
 * Float; likewise inside tuples of those types).
 */
final class Importer {
  private static final Keyword VALUE_TYPE = Keyword.of("db/valueType");
  private static final Keyword TYPE_BIGINT = Keyword.of("db.type/bigint");
  private static final Keyword TYPE_FLOAT = Keyword.of("db.type/float");

  private final Connection conn;
  private final Path file;
  private final Format format;
  private final Migrate.Options options;
  private final boolean attributeRefs;
  private final Object valueTypeAttr;
  /** The target as of the last load: the schema records are read against. */
  private AbstractDb current;

  Importer(Connection conn, Path file, Format format, Migrate.Options options) {
    this.conn = conn;
    this.file = file;
    this.format = format;
    this.options = options;
    AbstractDb db = conn.db().unwrap();
    this.attributeRefs = db.attributeRefs();
    this.valueTypeAttr = attributeRefs ? (Object) (long) db.attrCode(VALUE_TYPE) : VALUE_TYPE;
  }

  Migrate.Report run() {
    DbValue target = conn.db().unwrap().base();
    if (target.maxTx() > DbValue.TX0) {
      throw DatahikeException.of(
          "migrate/not-empty",
          "Import needs an empty database (export ids are kept), but the target already has"
              + " transactions up to "
              + target.maxTx()
              + "; create a fresh database to import "
              + file,
          "file",
          file.toString(),
          "max-tx",
          target.maxTx());
    }
    long[] counts = check();
    options.progress().update("check", counts[0], counts[0]);
    return load(counts[0]);
  }

  /** The checking pass: returns {datoms, transactions}. */
  private long[] check() {
    long n = 0;
    long txs = 0;
    long lastTx = Long.MIN_VALUE;
    try (RecordReader r = open()) {
      for (Record rec = r.next(); rec != null; rec = r.next()) {
        n++;
        if (rec.tx() < lastTx) {
          throw DatahikeException.of(
              "migrate/corrupt",
              r.position() + ": transaction " + rec.tx() + " after " + lastTx
                  + "; an export is in transaction order",
              "file", file.toString(), "tx", rec.tx());
        }
        if (rec.tx() != lastTx) txs++;
        lastTx = rec.tx();
        if ((rec.a() instanceof Keyword) == attributeRefs) {
          throw DatahikeException.of(
              "migrate/config-mismatch",
              r.position() + ": attribute " + rec.a() + " is "
                  + (attributeRefs ? "a keyword" : "an entity id") + ", but the target database "
                  + (attributeRefs ? "has" : "does not have") + " :attribute-refs? true",
              "file", file.toString());
        }
      }
    } catch (IOException e) {
      throw Migrate.io("read", file, e);
    }
    return new long[] {n, txs};
  }

  private Migrate.Report load(long total) {
    long done = 0;
    long txs = 0;
    long lastTx = Long.MIN_VALUE;
    boolean schemaInBatch = false;
    List<Datom> batch = new ArrayList<>();
    try (RecordReader r = open()) {
      for (Record rec = r.next(); rec != null; rec = r.next()) {
        if (rec.tx() != lastTx) {
          if (!batch.isEmpty() && (schemaInBatch || batch.size() >= options.batchDatoms())) {
            done += flush(batch);
            options.progress().update("import", done, total);
            batch = new ArrayList<>();
            schemaInBatch = false;
          }
          txs++;
          lastTx = rec.tx();
        }
        if (valueTypeAttr.equals(rec.a())) schemaInBatch = true;
        batch.add(datom(rec));
      }
      done += flush(batch);
    } catch (IOException e) {
      throw Migrate.io("read", file, e);
    }
    options.progress().update("import", done, total);
    return new Migrate.Report(format, done, txs);
  }

  private int flush(List<Datom> batch) {
    if (batch.isEmpty()) return 0;
    loadOrder(batch);
    conn.loadEntities(batch);
    current = conn.db().unwrap();
    return batch.size();
  }

  /**
   * Sorts a batch (whole transactions, in order) into the order the loader applies, by transaction
   * and entity and within those: first the retractions of facts asserted earlier (a replaced value
   * is retracted before the new one is set), then each fact both asserted and retracted in this
   * transaction (a value set and overwritten within it) as its assertion directly followed by its
   * retraction, then the assertions that stay. So no assertion ever meets a cardinality-one value
   * still in place, which the loader would retract on its own.
   */
  static void loadOrder(List<Datom> batch) {
    Map<Datom, Integer> transientFacts = new HashMap<>();
    Set<Datom> asserted = new HashSet<>();
    for (Datom d : batch) if (d.added()) asserted.add(d);
    for (Datom d : batch) {
      if (!d.added()) {
        Datom a = d.withOp(d.tx(), true);
        if (asserted.contains(a)) transientFacts.put(a, transientFacts.size());
      }
    }
    batch.sort(
        Comparator.comparingLong(Datom::tx)
            .thenComparingLong(Datom::e)
            .thenComparingInt(
                d -> {
                  Integer i = transientFacts.get(d.added() ? d : d.withOp(d.tx(), true));
                  if (i != null) return 1 + 2 * i + (d.added() ? 0 : 1);
                  return d.added() ? Integer.MAX_VALUE : 0;
                }));
  }

  private Datom datom(Record r) {
    int code =
        r.a() instanceof Keyword k ? Datom.attrCode(k) : (int) ((Long) r.a()).longValue();
    if (current == null) current = conn.db().unwrap();
    Attribute attr = current.attribute(code);
    Object v = r.v();
    if (attr != null) {
      if (attr.tupleType() != null && v instanceof List<?> l) {
        v = restoreAll(attr.tupleType(), l);
      } else if (attr.tupleTypes() != null && v instanceof List<?> l) {
        List<Object> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
          Object o = l.get(i);
          out.add(i < attr.tupleTypes().size() ? restore(attr.tupleTypes().get(i), o) : o);
        }
        v = Collections.unmodifiableList(out);
      } else {
        v = restore(attr.valueType(), v);
      }
    }
    return new Datom(r.e(), code, v, r.tx(), r.added());
  }

  private Object restoreAll(Keyword type, List<?> l) {
    List<Object> out = new ArrayList<>(l.size());
    for (Object o : l) out.add(restore(type, o));
    return Collections.unmodifiableList(out);
  }

  /** The value of type {@code type} that the encoding narrowed to {@code v} (see class comment). */
  private Object restore(Keyword type, Object v) {
    if (type == TYPE_BIGINT && (v instanceof Long || v instanceof Integer)) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    if (type == TYPE_FLOAT && v instanceof Double d) {
      double x = d;
      if (format == Format.EDN || x == 0.0 || Double.isNaN(x) || Double.isInfinite(x)) {
        return (float) x;
      }
    }
    return v;
  }

  private RecordReader open() throws IOException {
    try {
      InputStream in = Files.newInputStream(file);
      if (format == Format.CBOR) {
        return new CborRecords.Reader(new BufferedInputStream(in, 1 << 16), file.toString());
      }
      return new EdnRecords.LineReader(
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), file.toString());
    } catch (NoSuchFileException e) {
      throw DatahikeException.of(
          "migrate/no-such-file", "No such file: " + file, "file", file.toString());
    }
  }
}
