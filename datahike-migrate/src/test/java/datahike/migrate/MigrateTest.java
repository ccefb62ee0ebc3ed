package datahike.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.DbValue;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrateTest {
  @TempDir Path dir;

  private static int ids;

  static Keyword kw(String s) {
    return Keyword.of(s);
  }

  static Connection fresh() {
    Config cfg = Config.parse("{:store {:backend :memory :id \"migrate-" + (++ids) + "\"}}");
    Datahike.createDatabase(cfg);
    return Datahike.connect(cfg);
  }

  static Map<Keyword, Object> attr(String ident, String type, Object... more) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(kw("db/ident"), kw(ident));
    m.put(kw("db/valueType"), kw("db.type/" + type));
    m.put(kw("db/cardinality"), kw("db.cardinality/one"));
    for (int i = 0; i < more.length; i += 2) m.put(kw((String) more[i]), more[i + 1]);
    return m;
  }

  /** A database with every value type, history (updates, retractions) and tx metadata. */
  static Connection everyType() {
    Connection conn = fresh();
    conn.transact(
        List.of(
            attr("s", "string"),
            attr("l", "long"),
            attr("d", "double"),
            attr("f", "float"),
            attr("b", "boolean"),
            attr("k", "keyword"),
            attr("sym", "symbol"),
            attr("r", "ref"),
            attr("i", "instant"),
            attr("u", "uuid"),
            attr("bi", "bigint"),
            attr("bd", "bigdec"),
            attr("by", "bytes"),
            attr("t", "tuple", "db/tupleType", kw("db.type/bigint")),
            attr("tt", "tuple", "db/tupleTypes", List.of(kw("db.type/string"), kw("db.type/float"))),
            attr("many", "string", "db/cardinality", kw("db.cardinality/many")),
            attr("tx/author", "string")));
    Map<Keyword, Object> a = new LinkedHashMap<>();
    a.put(kw("db/id"), "a");
    a.put(kw("s"), "héllo ✓ " + "x".repeat(5000));
    a.put(kw("l"), Long.MIN_VALUE);
    a.put(kw("d"), 1.5);
    a.put(kw("f"), 2.5f);
    a.put(kw("b"), true);
    a.put(kw("k"), kw("some/kw"));
    a.put(kw("sym"), Symbol.of("a/b"));
    a.put(kw("i"), new Date(1600000000123L));
    a.put(kw("u"), UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"));
    a.put(kw("bi"), BigInteger.valueOf(7));
    a.put(kw("bd"), new BigDecimal("1.50"));
    a.put(kw("by"), new byte[] {1, 2, 3, (byte) 0xff});
    a.put(kw("t"), List.of(BigInteger.ONE, BigInteger.ONE.shiftLeft(70)));
    a.put(kw("tt"), List.of("x", 0.0f));
    a.put(kw("many"), List.of("one", "two"));
    Map<Keyword, Object> b = new LinkedHashMap<>();
    b.put(kw("db/id"), "b");
    b.put(kw("r"), "a");
    b.put(kw("d"), 0.0);
    b.put(kw("f"), 0.0f);
    b.put(kw("l"), 3_000_000_000L);
    b.put(kw("i"), new Date(-1500L));
    b.put(kw("bi"), BigInteger.ONE.shiftLeft(63));
    b.put(kw("bd"), new BigDecimal("-12345678901234567890.123456789"));
    b.put(kw("s"), "");
    conn.transact(List.of(a, b), Map.of(kw("tx/author"), "alice"));
    Map<Keyword, Object> c = new LinkedHashMap<>();
    c.put(kw("s"), "carol");
    c.put(kw("d"), Double.POSITIVE_INFINITY);
    c.put(kw("bi"), BigInteger.ONE.shiftLeft(70).negate());
    c.put(kw("f"), Float.NEGATIVE_INFINITY);
    conn.transact(List.of(c));
    long ea = (Long) Datahike.q("[:find ?e . :where [?e :b true]]", conn.db());
    conn.transact(
        List.of(
            Map.of(kw("db/id"), ea, kw("s"), "changed", kw("d"), -2.25),
            List.of(kw("db/retract"), ea, kw("k"), kw("some/kw")),
            List.of(kw("db/retract"), ea, kw("many"), "one")),
        Map.of(kw("tx/author"), "bob"));
    long ec = (Long) Datahike.q("[:find ?e . :where [?e :s \"carol\"]]", conn.db());
    conn.transact(List.of(List.of(kw("db/retractEntity"), ec)));
    return conn;
  }

  static void assertSameHistory(Database want, Database got) {
    List<Datom> w = want.history().datoms(":eavt");
    List<Datom> g = got.history().datoms(":eavt");
    assertThat(g).isEqualTo(w);
    for (int i = 0; i < w.size(); i++) {
      assertThat(shape(g.get(i).v())).as("type of %s", w.get(i)).isEqualTo(shape(w.get(i).v()));
    }
    assertThat(got.datoms(":eavt")).isEqualTo(want.datoms(":eavt"));
    assertThat(got.schema()).isEqualTo(want.schema());
    assertThat(got.maxTx()).isEqualTo(want.maxTx());
  }

  /** The Java types of a value, element by element for tuples. */
  static Object shape(Object v) {
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(shape(o));
      return out;
    }
    return v == null ? null : v.getClass();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void exportImport_everyValueTypeWithHistoryAndTxMeta_roundTripsTypeExact(Format format) {
    try (Connection src = everyType();
        Connection dst = fresh()) {
      Path file = dir.resolve("db." + format.extension());
      Migrate.Report out = Migrate.exportDb(src.db(), file, format);
      assertThat(Format.detect(file)).isEqualTo(format);
      Migrate.Report in = Migrate.importDb(dst, file);
      assertThat(in).isEqualTo(out);
      assertThat(out.datoms()).isEqualTo(src.db().history().datoms(":eavt").size());
      assertThat(out.transactions()).isEqualTo(5);
      assertSameHistory(src.db(), dst.db());
      Object author =
          Datahike.q(
              "[:find ?a . :where [?e :s \"changed\" ?tx] [?tx :tx/author ?a]]", dst.db());
      assertThat(author).isEqualTo("bob");
      // The imported database keeps working: its next transaction follows the loaded ones.
      dst.transact("[{:s \"after\"}]");
      assertThat(dst.db().maxTx()).isEqualTo(src.db().maxTx() + 1);
    }
  }

  @Test
  void exportDb_connectionOverload_writesCborByDefault() throws Exception {
    try (Connection src = everyType()) {
      Path file = dir.resolve("default");
      Migrate.exportDb(src, file);
      assertThat(Files.readAllBytes(file)[0] & 0xff).isEqualTo(0x85);
      assertThat(Format.detect(file)).isEqualTo(Format.CBOR);
    }
  }

  @Test
  void exportDb_inWindowsAndBatches_isTheSameFileAndImportsTheSame() throws Exception {
    Random rnd = new Random(42);
    try (Connection src = fresh();
        Connection dst = fresh()) {
      src.transact(
          List.of(
              attr("name", "string", "db/unique", kw("db.unique/identity")),
              attr("n", "long"),
              attr("friend", "ref", "db/cardinality", kw("db.cardinality/many"))));
      for (int t = 0; t < 120; t++) {
        List<Object> tx = new ArrayList<>();
        for (int j = 0; j < 1 + rnd.nextInt(6); j++) {
          String name = "p" + rnd.nextInt(60);
          Map<Keyword, Object> m = new LinkedHashMap<>();
          m.put(kw("name"), name);
          m.put(kw("n"), (long) rnd.nextInt(1000));
          if (rnd.nextBoolean()) m.put(kw("friend"), List.of(kw("name"), name));
          tx.add(m);
        }
        src.transact(tx);
      }
      Path whole = dir.resolve("whole.cbor");
      Path windowed = dir.resolve("windowed.cbor");
      Migrate.exportDb(src.db(), whole, Format.CBOR);
      List<String> phases = new ArrayList<>();
      Migrate.Options small =
          new Migrate.Options(17, 50, (phase, done, total) -> phases.add(phase + " " + done + "/" + total));
      Migrate.Report r = Migrate.exportDb(src.db(), windowed, Format.CBOR, small);
      assertThat(Files.readAllBytes(windowed)).isEqualTo(Files.readAllBytes(whole));
      assertThat(phases).last().isEqualTo("export " + r.datoms() + "/" + r.datoms());
      Migrate.importDb(dst, windowed, small);
      assertSameHistory(src.db(), dst.db());
      assertThat(phases).contains("import " + r.datoms() + "/" + r.datoms());
    }
  }

  @Test
  void importDb_nonEmptyTarget_isRefused() {
    try (Connection src = everyType();
        Connection dst = fresh()) {
      Path file = dir.resolve("x.cbor");
      Migrate.exportDb(src, file);
      dst.transact("[{:db/ident :other}]");
      assertThatThrownBy(() -> Migrate.importDb(dst, file))
          .isInstanceOf(DatahikeException.class)
          .hasMessageContaining("empty database")
          .satisfies(e -> assertThat(((DatahikeException) e).code()).isEqualTo(kw("migrate/not-empty")));
    }
  }

  @Test
  void importDb_truncatedAnywhere_namesThePositionAndChangesNothing() throws Exception {
    try (Connection src = everyType()) {
      Path file = dir.resolve("full.cbor");
      Migrate.exportDb(src, file);
      byte[] all = Files.readAllBytes(file);
      Path cut = dir.resolve("cut.cbor");
      // Every cut inside the last records and a spread of cuts elsewhere: none may load anything.
      List<Integer> cuts = new ArrayList<>();
      for (int n = all.length - 1; n > all.length - 120; n--) cuts.add(n);
      for (int n = 1; n < all.length; n += all.length / 40) cuts.add(n);
      int refused = 0;
      for (int n : cuts) {
        Files.write(cut, Arrays.copyOf(all, n));
        try (Connection dst = fresh()) {
          try {
            Migrate.importDb(dst, cut);
            // A cut exactly between two records is a shorter, valid export.
          } catch (DatahikeException e) {
            refused++;
            assertThat(e.code()).isEqualTo(kw("migrate/corrupt"));
            assertThat(e.getMessage()).contains(cut.toString()).containsPattern("at byte \\d+");
            long offset = ((Number) e.data().get(kw("offset"))).longValue();
            assertThat(offset).isBetween(0L, (long) n);
            assertThat(dst.db().maxTx()).isEqualTo(DbValue.TX0);
            assertThat(dst.db().history().datoms(":eavt")).isEmpty();
          }
        }
      }
      assertThat(refused).isGreaterThan(cuts.size() / 2);
    }
  }

  @Test
  void importDb_corruptByte_namesTheByteAndRecord() throws Exception {
    try (Connection src = everyType();
        Connection dst = fresh()) {
      Path file = dir.resolve("bad.cbor");
      Migrate.exportDb(src, file);
      byte[] b = Files.readAllBytes(file);
      // Turn the tail record's `added` (f5/f4, its last byte) into the integer 0x17.
      b[b.length - 1] = 0x17;
      Files.write(file, b);
      assertThatThrownBy(() -> Migrate.importDb(dst, file))
          .isInstanceOf(DatahikeException.class)
          .hasMessageContaining("at byte " + (b.length - 1))
          .hasMessageContaining("added is true or false");
      assertThat(dst.db().maxTx()).isEqualTo(DbValue.TX0);
    }
  }

  @Test
  void importDb_corruptEdnLine_namesTheLine() throws Exception {
    try (Connection dst = fresh()) {
      Path file = dir.resolve("bad.edn");
      Files.writeString(
          file,
          EdnRecords.HEADER
              + "\n#datahike/Datom [1 :db/ident :x 536870913 true]\n#datahike/Datom [1 :db/ident\n");
      assertThatThrownBy(() -> Migrate.importDb(dst, file))
          .isInstanceOf(DatahikeException.class)
          .hasMessageContaining("line 3");
      assertThat(dst.db().maxTx()).isEqualTo(DbValue.TX0);
    }
  }

  @Test
  void detect_unknownContent_isRefused() throws Exception {
    Path file = dir.resolve("x.bin");
    Files.write(file, new byte[] {0x00, 0x01});
    assertThatThrownBy(() -> Format.detect(file))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining("neither a CBOR nor an EDN export");
    Path empty = dir.resolve("e.edn");
    Files.write(empty, new byte[0]);
    assertThat(Format.detect(empty)).isEqualTo(Format.EDN);
    assertThat(Format.of("CBOR")).isEqualTo(Format.CBOR);
  }
}
